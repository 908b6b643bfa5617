"""Readers are told when a text typed by editors is not in their language, on every page: it
carries its real `lang` and a mark, a missing Traditional text is converted from Simplified and
labelled, and the page's notice names exactly the languages of the texts marked on it."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.utils.translation import gettext, override
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from procedures import publishing
from procedures.translations import conversion

from .conftest import LANGUAGES
from .factories import (
    CarrierFactory,
    ContactNumberFactory,
    ProcedureFactory,
    RegionFactory,
    StepFactory,
    full_guide,
    publish,
)

pytestmark = pytest.mark.django_db

NAMES = dict(settings.LANGUAGES)
TAGS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}
CODES = {tag: code for code, tag in TAGS.items()}
MARK = re.compile(r'<(?:span|div) lang="([^"]+)" class="(fallback|auto-converted)">')
OPTION_LANG = re.compile(r'<(?:option|optgroup)\b[^>]*\blang="([^"]+)"')
NOTICE = re.compile(r'<div class="notice notice-translation" role="note">(.*?)</div>', re.S)
AUTO_NOTICES = [
    "Parts of this page were converted automatically from Simplified Chinese and have not been "
    "checked by an editor yet. They are marked with a dashed line.",
    "Parts of this guide were converted automatically from Simplified Chinese and have not been "
    "checked by an editor yet. They are marked with a dashed line.",
]


def only(obj, field: str, languages) -> None:
    """Keep `field` of `obj` in `languages` only (the others left empty, as not yet written)."""
    for code in LANGUAGES:
        name = f"{field}_{code.replace('-', '_')}"
        if code not in languages:
            setattr(obj, name, "")
        elif not getattr(obj, name):
            setattr(obj, name, f"{code} {field}")


def what_the_page_says(html: str, language: str) -> tuple[set, bool, set, bool]:
    """(languages the notice names, whether it says "converted automatically",
    languages of the texts marked on the page, whether any is marked converted)."""
    notices = NOTICE.findall(html)
    assert len(notices) <= 1, "one notice per page"
    notice = notices[0] if notices else ""
    named = {code for code, name in NAMES.items() if name in notice} - {language}
    with override(language):
        says_auto = any(gettext(text) in notice for text in AUTO_NOTICES)
    marks = MARK.findall(html)
    marked = {CODES[tag] for tag, css in marks if css == "fallback"}
    marked |= {CODES[tag] for tag in OPTION_LANG.findall(html)} - {language}
    return named, says_auto, marked, any(css == "auto-converted" for _tag, css in marks)


# --- Item by item ------------------------------------------------------------------------------


@pytest.fixture
def simplified_only():
    """A closed carrier whose status note, and a guide whose title, exist in Simplified only."""
    region = RegionFactory(slug="macau", name_en="Macao")
    carrier = CarrierFactory(
        slug="smartone", region=region, is_active=False, closed_on="2024-10-31",
        status_note_zh_hans="客户已转至澳门电讯。", status_note_zh_hant="", status_note_en="",
    )  # fmt: skip
    guide = ProcedureFactory(
        carrier=carrier,
        slug="data",
        title_zh_hans="数据流量说明",
        is_featured=True,
        with_source=False,
    )
    only(guide, "title", {"zh-hans"})
    guide.save()
    publish(guide)
    return carrier


def test_a_status_note_in_simplified_only_is_marked_on_the_english_page(client, simplified_only):
    html = client.get("/en/carriers/smartone/").content.decode()
    assert '<div lang="zh-Hans" class="fallback"><p>客户已转至澳门电讯。</p></div>' in html
    assert (
        "Parts of this page are not yet available in English; they are shown in 简体中文"
    ) in html


def test_a_missing_traditional_text_is_converted_and_labelled(client, simplified_only):
    html = client.get("/zh-hant/carriers/smartone/").content.decode()
    converted = conversion.to_traditional("客户已转至澳门电讯。")
    assert f'<div lang="zh-Hant" class="auto-converted"><p>{converted}</p></div>' in html
    assert "客户已转至" not in html
    with override("zh-hant"):
        assert gettext(AUTO_NOTICES[0]) in html
    # The guide card, stored when publishing, is converted and counted in the notice too.
    title = conversion.to_traditional("数据流量说明")
    assert f'<span lang="zh-Hant" class="auto-converted">{title}</span>' in html


@pytest.mark.parametrize(
    "page", ["/en/", "/en/guides/", "/en/regions/macau/", "/en/carriers/smartone/"]
)
def test_every_page_marks_texts_in_another_language(client, simplified_only, page):
    html = client.get(page).content.decode()
    assert '<span lang="zh-Hans" class="fallback">数据流量说明</span>' in html
    assert "Parts of this page are not yet available in English" in html


def test_titles_and_feeds_say_which_language_they_are_in(client, simplified_only):
    carrier = simplified_only
    carrier.name_en = ""
    carrier.save()
    html = client.get("/en/carriers/smartone/").content.decode()
    assert f"<title>{carrier.name_zh_hans} (简体中文) ·" in html
    feed = ET.fromstring(client.get("/en/feeds/guides.atom").content)
    title = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")
    assert title.text == "数据流量说明 (简体中文)"
    assert title.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hans"


def test_a_guide_page_title_is_converted_like_its_body(client, simplified_only):
    html = client.get("/zh-hant/guides/data/").content.decode()
    title = conversion.to_traditional("数据流量说明")
    assert f"<title>{title} (" in html
    assert "数据流量说明" not in html


def test_filter_options_in_another_language_say_so(client, simplified_only):
    simplified_only.name_en = ""
    simplified_only.save()
    html = client.get("/en/guides/").content.decode()
    assert f'<option value="smartone" lang="zh-Hans">{simplified_only.name_zh_hans} (1)' in html
    assert "Parts of this page are not yet available in English" in html


def test_an_english_only_change_note_is_marked_not_announced_falsely(client):
    guide = full_guide()
    publishing.publication_create(procedure=guide, change_note={"en": "Fixed the store hours."})
    for language in ("zh-hans", "zh-hant"):
        html = client.get(f"/{language}/guides/{guide.slug}/").content.decode()
        assert '<span lang="en" class="fallback">Fixed the store hours.</span>' in html
        named, _auto, marked, _marked_auto = what_the_page_says(html, language)
        assert named == marked == {"en"}


# --- Any combination ---------------------------------------------------------------------------

languages = st.sets(st.sampled_from(LANGUAGES))


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=languages, summary=languages, step=languages, note=languages, carrier=languages,
    region=languages, label=languages, status=languages,
)  # fmt: skip
def test_the_notice_names_exactly_the_languages_marked_on_the_page(
    client, title, summary, step, note, carrier, region, label, status
):
    guide = ProcedureFactory(with_source=False)
    only(guide, "title", title)
    only(guide, "summary", summary)
    guide.save()
    step_row = StepFactory(procedure=guide)
    only(step_row, "title", step)
    step_row.save()
    only(guide.carrier, "name", carrier)
    only(guide.carrier, "status_note", status)
    guide.carrier.save()
    only(guide.region, "name", region)
    only(guide.region, "summary", region)
    guide.region.save()
    number = ContactNumberFactory(carrier=guide.carrier)
    only(number, "label", label)
    number.save()
    guide.refresh_from_db()
    publishing.publication_create(procedure=guide, change_note=dict.fromkeys(note, "note"))

    for language in LANGUAGES:
        for page in [
            f"/{language}/guides/{guide.slug}/",
            f"/{language}/carriers/{guide.carrier.slug}/",
            f"/{language}/regions/{guide.region.slug}/",
            f"/{language}/guides/",
            f"/{language}/",
        ]:
            html = client.get(page).content.decode()
            named, says_auto, marked, marked_auto = what_the_page_says(html, language)
            assert named == marked, page
            assert says_auto == marked_auto, page
