"""The demo knowledge base: the five seed guides, in three languages, loaded idempotently."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from procedures.models import Procedure, Step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

# One guide (at least) for each article of ../shared/content/SEED_GUIDES.md.
SEED_GUIDES = {
    1: "macau-esim-real-name",
    2: "macau-esim-cancellation",
    3: "hong-kong-smartone-real-name",
    "3 (Philippines)": "philippines-smart-sim-registration",
    4: "us-tmobile-real-name",
    5: "us-tmobile-data-sim",
}


def load() -> str:
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        guide.slug: (
            guide.updated_at,
            guide.title_en,
            list(guide.steps.values_list("pk", "title_en")),
        )
        for guide in Procedure.objects.prefetch_related("steps")
    }


def test_loading_again_changes_nothing():
    before = snapshot()
    assert " 0 created, 0 updated," in load()
    assert snapshot() == before


def test_guides_created_by_editors_survive_a_reload():
    Procedure.objects.filter(slug="macau-esim-real-name").update(title_en="Edited")
    custom = Procedure.objects.create(
        slug="editor-made", kind="activation", title_zh_hans="编辑写的", summary_zh_hans="摘要"
    )
    load()
    assert Procedure.objects.filter(pk=custom.pk).exists()
    # Demo guides are brought back in line with their files.
    assert Procedure.objects.get(slug="macau-esim-real-name").title_en != "Edited"


@pytest.mark.parametrize("seed, slug", SEED_GUIDES.items(), ids=str)
def test_each_seed_article_became_a_published_guide_in_three_languages(seed, slug):
    guide = Procedure.objects.published().get(slug=slug)
    for field in ("title", "summary"):
        values = {lang: getattr(guide, f"{field}_{lang}") for lang in ("zh_hans", "zh_hant", "en")}
        assert all(values.values()), f"{slug}.{field} misses a language: {values}"
        assert len(set(values.values())) == 3, f"{slug}.{field} is not translated: {values}"
    assert guide.sources.exists(), f"{slug} has no source"
    assert guide.last_verified_on is not None
    assert Step.objects.filter(procedure=guide).exists()


def test_seed_corrections_are_told_to_readers(client):
    with translation.override("en"):
        macau = Procedure.objects.get(slug="macau-esim-real-name")
        assert "regulator" in macau.correction_notice
        tmobile = Procedure.objects.get(slug="us-tmobile-real-name")
    assert tmobile.requirement == Procedure.Requirement.NOT_REQUIRED
    html = client.get("/en/guides/us-tmobile-real-name/").content.decode()
    assert "Not required" in html


def test_every_demo_guide_page_renders_in_every_language(client):
    slugs = list(Procedure.objects.published().values_list("slug", flat=True))
    assert len(slugs) >= 5
    for slug in slugs:
        for language in ("zh-hans", "zh-hant", "en"):
            response = client.get(f"/{language}/guides/{slug}/")
            assert response.status_code == 200, (slug, language)
