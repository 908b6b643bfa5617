"""Every public page, as a reader sees it, in every language."""

import re

import pytest
from django.conf import settings

from procedures.models import Note, Procedure

from .conftest import LANGUAGE_MARKS, LANGUAGES
from .factories import (
    CarrierFactory,
    ProcedureFactory,
    StepFactory,
    UserFactory,
    full_guide,
    publish,
)

pytestmark = pytest.mark.django_db

HTML_LANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def guide():
    return full_guide(slug="ctm-real-name")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_answers_in_its_language(client, guide, language):
    mark = LANGUAGE_MARKS[language]
    pages = [
        f"/{language}/",
        f"/{language}/guides/",
        f"/{language}/guides/{guide.slug}/",
        f"/{language}/carriers/{guide.carrier.slug}/",
        f"/{language}/regions/{guide.region.slug}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = text_of(response)
        assert f'<html lang="{HTML_LANG[language]}">' in html, url
        assert f"{mark} " in html, f"{url} does not show {language} content"
        other_marks = set(LANGUAGE_MARKS.values()) - {mark}
        guide_title = getattr(guide, f"title_{language.replace('-', '_')}")
        if url.endswith("/guides/ctm-real-name/"):
            assert guide_title in html
            for other in other_marks:
                assert f"{other} Guide" not in html and f"{other} 指南" not in html


def test_guide_page_shows_steps_numbered_per_channel_in_order(client):
    guide = ProcedureFactory()
    StepFactory(procedure=guide, channel="website", position=1, title_en="Open the site")
    StepFactory(procedure=guide, channel="store", position=2, title_en="Go to a store")
    StepFactory(procedure=guide, channel="website", position=3, title_en="Upload your ID")
    StepFactory(procedure=guide, channel="store", position=4, title_en="Show your passport")
    publish(guide)

    html = text_of(client.get(f"/en/guides/{guide.slug}/"))

    website = html[html.index('id="channel-website"') : html.index('id="channel-store"')]
    store = html[html.index('id="channel-store"') :]
    assert website.index("Open the site") < website.index("Upload your ID")
    assert re.search(r"Step 1</span> <span class=\"step-title\">Open the site", website)
    assert re.search(r"Step 2</span> <span class=\"step-title\">Upload your ID", website)
    assert re.search(r"Step 1</span> <span class=\"step-title\">Go to a store", store)
    assert re.search(r"Step 2</span> <span class=\"step-title\">Show your passport", store)


def test_guide_page_has_what_a_reader_needs(client, guide):
    guide.requirement_basis_en = "Macau Law 13/2019, art. 24"
    guide.requirement_basis_url = "https://law.example/13-2019"
    guide.processing_time_en = "A few minutes"
    guide.save()
    publish(guide)

    html = text_of(client.get(f"/en/guides/{guide.slug}/"))

    assert "Required by law" in html
    assert (
        '<a href="https://law.example/13-2019" rel="noopener">Macau Law 13/2019, art. 24</a>'
        in html
    )
    assert "A few minutes" in html
    for item in guide.procedure_documents.all():
        assert f'<input type="checkbox"> {item.document.name_en}' in html
    assert "Before you start" in html and "Watch out" in html
    assert "EN question" in html and "EN answer" in html
    assert 'href="https://regulator.example/rules"' in html
    assert "Last verified on 1 November 2026." in html
    assert 'href="tel:+8531000"' in html


@pytest.mark.parametrize(
    "language, date_text",
    [("zh-hans", "2026年11月1日"), ("zh-hant", "2026年11月1日"), ("en", "1 November 2026")],
)
def test_last_verified_date_is_written_the_readers_way(client, guide, language, date_text):
    assert date_text in text_of(client.get(f"/{language}/guides/{guide.slug}/"))


def test_markdown_in_steps_is_rendered_and_sanitised(client):
    guide = ProcedureFactory()
    StepFactory(
        procedure=guide,
        body_en="Open **Settings**.\n\n<script>alert('x')</script><img src=x onerror=alert(1)>",
    )
    publish(guide)
    html = text_of(client.get(f"/en/guides/{guide.slug}/"))
    assert "<strong>Settings</strong>" in html
    assert "alert(" not in html
    assert "onerror" not in html


def test_unverified_facts_carry_a_visible_label(client):
    guide = ProcedureFactory()
    NoteFactory_body = "CTM offers eSIM on monthly plans [unverified]."
    Note.objects.create(procedure=guide, kind="tip", position=1, body_en=NoteFactory_body)
    publish(guide)
    html = text_of(client.get(f"/en/guides/{guide.slug}/"))
    assert (
        'CTM offers eSIM on monthly plans <span class="badge badge-unverified">unverified</span>'
        in html
    )


def test_drafts_are_hidden_from_readers_and_previewed_for_staff(client):
    draft = ProcedureFactory(status=Procedure.Status.DRAFT, title_en="Secret draft")
    assert client.get(f"/en/guides/{draft.slug}/").status_code == 404
    assert "Secret draft" not in text_of(client.get("/en/guides/"))
    assert "Secret draft" not in text_of(client.get(f"/en/carriers/{draft.carrier.slug}/"))

    client.force_login(UserFactory(is_staff=True))
    response = client.get(f"/en/guides/{draft.slug}/")
    assert response.status_code == 200
    assert "Preview of the editors' version" in text_of(response)
    assert "Secret draft" in text_of(response)


def test_closed_carrier_stays_visible_marked_closed(client):
    carrier = CarrierFactory(
        is_active=False, closed_on="2024-10-31", status_note_en="Customers moved to CTM."
    )
    html = text_of(client.get(f"/en/carriers/{carrier.slug}/"))
    assert "Closed" in html
    assert "This operator stopped its service on 31 October 2024." in html
    assert "Customers moved to CTM." in html
    assert "Closed" in text_of(client.get("/en/"))


def test_home_lists_regions_carriers_and_featured_guides(client, guide):
    guide.is_featured = True
    guide.save()
    publish(guide)
    html = text_of(client.get("/en/"))
    assert guide.region.name_en in html
    assert guide.carrier.name_en in html
    assert guide.title_en in html
    assert 'role="search"' in html


# --- Language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, expected",
    [
        ({}, "/zh-hans/"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, "/en/"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.9"}, "/zh-hant/"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-HK"}, "/zh-hant/"),
        ({"HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9,en;q=0.5"}, "/zh-hans/"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr-FR"}, "/zh-hans/"),
    ],
)
def test_root_sends_readers_to_their_language(client, headers, expected):
    response = client.get("/", **headers)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_chosen_language_is_remembered_over_the_browser_language(client, guide):
    response = client.get(f"/zh-hant/guides/{guide.slug}/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hant"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/zh-hant/"
    # Reading on in the same language sends no new cookie.
    assert settings.LANGUAGE_COOKIE_NAME not in client.get("/zh-hant/guides/").cookies


def test_switcher_keeps_the_page_and_its_query_string(client, guide):
    html = text_of(client.get(f"/en/guides/?region={guide.region.slug}&kind=real-name"))
    query = f"region={guide.region.slug}&amp;kind=real-name"
    assert f'<a href="/zh-hans/guides/?{query}" hreflang="zh-Hans" lang="zh-Hans">' in html
    assert f'<a href="/zh-hant/guides/?{query}" hreflang="zh-Hant" lang="zh-Hant">' in html
    assert f'<a href="/en/guides/?{query}" hreflang="en" lang="en" aria-current="page">' in html

    # The same page with other filters: the links carry the new query, not the first one.
    html = text_of(client.get("/en/guides/?kind=activation"))
    assert '<a href="/zh-hant/guides/?kind=activation" hreflang="zh-Hant"' in html
    assert "real-name" not in html.split('class="language-switcher"')[1].split("</nav>")[0]

    html = text_of(client.get(f"/zh-hans/guides/{guide.slug}/"))
    assert f'href="/en/guides/{guide.slug}/" hreflang="en"' in html


def test_pages_declare_their_translations_for_search_engines(client, guide):
    html = text_of(client.get(f"/en/guides/{guide.slug}/"))
    for language, tag in HTML_LANG.items():
        assert (
            f'<link rel="alternate" hreflang="{tag}" '
            f'href="http://testserver/{language}/guides/{guide.slug}/">'
        ) in html
    assert (
        f'<link rel="alternate" hreflang="x-default" href="http://testserver/guides/{guide.slug}/">'
        in html
    )
    # The x-default address sends each reader to their own language.
    assert client.get(f"/guides/{guide.slug}/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == (
        f"/en/guides/{guide.slug}/"
    )


# --- Not found --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, message",
    [("zh-hans", "找不到页面"), ("zh-hant", "找不到頁面"), ("en", "Page not found")],
)
def test_unknown_guide_gives_a_translated_404(client, language, message):
    response = client.get(f"/{language}/guides/no-such-guide/")
    assert response.status_code == 404
    assert message in text_of(response)
    assert f'<html lang="{HTML_LANG[language]}">' in text_of(response)


def test_unknown_language_prefix_gives_a_404_in_the_readers_language(client):
    response = client.get("/fr/guides/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    # Its language links lead to real pages, not back to the missing one.
    assert 'href="/zh-hant/" hreflang="zh-Hant"' in text_of(response)


def test_unknown_carrier_and_region_give_404(client):
    assert client.get("/en/carriers/nope/").status_code == 404
    assert client.get("/en/regions/nope/").status_code == 404


# --- Sitemap ----------------------------------------------------------------------------------


def test_sitemap_lists_every_published_guide_in_every_language(client, guide):
    draft = ProcedureFactory(status=Procedure.Status.DRAFT)
    xml = text_of(client.get("/sitemap.xml"))
    for language in LANGUAGES:
        assert f"<loc>http://testserver/{language}/guides/{guide.slug}/</loc>" in xml
    assert draft.slug not in xml
    assert 'hreflang="x-default"' in xml


def test_robots_and_health(client):
    assert "Sitemap: http://testserver/sitemap.xml" in text_of(client.get("/robots.txt"))
    assert client.get("/healthz").json() == {"status": "ok"}


def test_region_page_lists_guides_for_every_operator_of_the_region(client):
    carrier = CarrierFactory()
    rules = ProcedureFactory(carrier=None, region=carrier.region, title_en="The rules")
    html = text_of(client.get(f"/en/regions/{carrier.region.slug}/"))
    assert f"For every operator in {carrier.region.name_en}" in html
    assert f'<a href="/en/guides/{rules.slug}/">The rules</a>' in html


def test_home_follows_renamed_operators_and_new_guides_at_once(client, guide, settings):
    """Regions, carriers and the guides for anywhere are read once per guide index; every
    change to them makes a new one (the page cache is off: the index is what is tested)."""
    settings.KB_PAGE_CACHE = False
    assert "1 guide" in text_of(client.get("/en/"))
    guide.carrier.name_en = "Renamed Operator"
    guide.carrier.save()
    guide.region.name_en = "Renamed Region"
    guide.region.save()
    ProcedureFactory(carrier=guide.carrier, title_en="Second guide")
    ProcedureFactory(carrier=None, region=None, title_en="Find your EID")
    html = text_of(client.get("/en/"))
    assert "Renamed Operator" in html and "Renamed Region" in html
    assert "2 guides" in html
    assert "Find your EID" in html


def test_home_lists_guides_that_apply_anywhere(client):
    basics = ProcedureFactory(carrier=None, region=None, title_en="Find your EID")
    html = text_of(client.get("/en/"))
    assert "For any phone, anywhere" in html
    assert f'<a href="/en/guides/{basics.slug}/">Find your EID</a>' in html


def test_a_carrier_with_many_guides_shows_the_first_and_links_to_all(client, settings):
    carrier = CarrierFactory()
    for number in range(23):
        ProcedureFactory(carrier=carrier, slug=f"many-{number:02}", title_en=f"Many {number:02}")
    html = text_of(client.get(f"/en/carriers/{carrier.slug}/"))
    assert html.count('class="card"') == 20
    assert f'href="/en/guides/?carrier={carrier.slug}">See all 23 guides for this operator' in html
    region = text_of(client.get(f"/en/regions/{carrier.region.slug}/"))
    assert "See all 23 guides for this operator" in region
    assert len(client.get(f"/en/guides/?carrier={carrier.slug}").context["result"].page) == 20
