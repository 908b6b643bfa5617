"""The demo knowledge base: the five seed guides, in three languages, loaded idempotently."""

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from procedures import publishing
from procedures.importing import demo as importing
from procedures.models import Carrier, GuideRedirect, Procedure, Publication, Step

from .factories import UserFactory, full_guide
from .forms import form_data

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
    output = load()
    assert Procedure.objects.filter(pk=custom.pk).exists()
    # A demo guide changed since it was loaded is left as it is, and the import says so.
    assert Procedure.objects.get(slug="macau-esim-real-name").title_en == "Edited"
    assert "guide macau-esim-real-name" in output and "--force" in output


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


def test_editors_published_work_survives_make_run(client):
    """What `make run` does again and again: an editor's published change, an added step and a
    carrier's new number stay; --force brings the files back and names what it overwrote."""
    guide = Procedure.objects.get(slug="macau-esim-cancellation")
    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    url = f"/en/admin/procedures/procedure/{guide.pk}/change/"
    data = form_data(client.get(url).content.decode(), "procedure_form")
    data["summary_en"] = "Our own careful summary."
    add_step(data, "Ask for a written confirmation")
    assert client.post(url, data).status_code == 302
    publisher = UserFactory(is_staff=True, is_superuser=True)
    publishing.procedure_publish(procedure=guide, user=publisher)
    carrier = Carrier.objects.get(slug="ctm")
    carrier.contact_numbers.create(number="+853 2883 3833", position=99)

    output = load()
    guide.refresh_from_db()
    assert guide.summary_en == "Our own careful summary."
    assert guide.steps.filter(title_en="Ask for a written confirmation").exists()
    live = Publication.objects.live().get(procedure=guide)
    assert live.published_by == publisher and live.summary_en == "Our own careful summary."
    assert carrier.contact_numbers.filter(number="+853 2883 3833").exists()
    assert "guide macau-esim-cancellation" in output and "carrier ctm" in output
    client.logout()
    assert "Our own careful summary." in client.get(f"/en/guides/{guide.slug}/").content.decode()

    forced = io.StringIO()
    call_command("loaddemo", "--force", stdout=forced)
    assert "guide macau-esim-cancellation" in forced.getvalue()
    assert "editors' changes lost" in forced.getvalue()
    guide.refresh_from_db()
    assert guide.summary_en != "Our own careful summary."
    assert not carrier.contact_numbers.filter(number="+853 2883 3833").exists()
    # Forced or not, loading again is then a no-op.
    assert " 0 created, 0 updated," in load()


def test_old_addresses_of_merged_guides_redirect_in_every_language(client):
    redirects = list(GuideRedirect.objects.select_related("procedure"))
    assert redirects, "the demo content merges guides"
    for redirect in redirects:
        for language in ("zh-hans", "zh-hant", "en"):
            response = client.get(f"/{language}/guides/{redirect.old_slug}/?q=1")
            assert response.status_code == 301, (redirect.old_slug, language)
            assert response["Location"] == (f"/{language}/guides/{redirect.procedure.slug}/?q=1"), (
                redirect.old_slug
            )


def add_step(data: dict, title: str) -> None:
    new = int(data["steps-TOTAL_FORMS"])
    data["steps-TOTAL_FORMS"] = str(new + 1)
    data.update(
        {
            f"steps-{new}-channel": "store",
            f"steps-{new}-title_zh_hans": title + "（简）",
            f"steps-{new}-title_zh_hant": title + "（繁）",
            f"steps-{new}-title_en": title,
        }
    )


def test_a_demo_guide_editors_renamed_or_deleted_is_not_made_again(client):
    renamed = Procedure.objects.get(slug="macau-ctm-lost-card")
    renamed.slug = "macau-ctm-lost-or-stolen-card"
    renamed.save()
    Procedure.objects.get(slug="esim-find-eid").delete()
    output = load()  # the whole load must not fail
    assert "guide macau-ctm-lost-card (renamed to macau-ctm-lost-or-stolen-card" in output
    assert "guide esim-find-eid (deleted by editors)" in output
    assert not Procedure.objects.filter(slug__in=["macau-ctm-lost-card", "esim-find-eid"]).exists()


def test_what_the_import_wrote_is_recognised_whatever_language_is_active():
    with translation.override("en"):
        assert " 0 skipped" in load()
    with translation.override("zh-hant"):
        assert " 0 skipped" in load()


def test_a_merged_guide_an_editor_kept_working_on_keeps_its_address(client):
    redirect = GuideRedirect.objects.first()
    GuideRedirect.objects.filter(old_slug=redirect.old_slug).delete()
    kept = full_guide(slug=redirect.old_slug, title_en="As the import wrote it")
    importing.remember(kept)  # as a database from before the merge has it
    Procedure.objects.filter(pk=kept.pk).update(title_en="Kept by an editor")
    publishing.procedure_publish(procedure=kept)
    output = load()
    assert f"guide {redirect.old_slug}" in output
    assert not GuideRedirect.objects.filter(old_slug=redirect.old_slug).exists()
    assert "Kept by an editor" in client.get(f"/en/guides/{kept.slug}/").content.decode()
