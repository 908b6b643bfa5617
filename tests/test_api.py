"""The read-only API as its clients see it: only live content, each text with its real
language, the guide list's filters, pagination, caching headers, rate limiting and CORS."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures import publishing
from procedures.models import Procedure
from procedures.translations import status as translation_status

from .factories import CarrierFactory, ProcedureFactory, full_guide
from .test_query_budget import _bulk_guides

pytestmark = pytest.mark.django_db

EDITOR_ONLY = {
    "status", "published_by", "last_edited_by", "search_text", "review_interval_days",
    "rendered_stamp", "rendered_body", "created_at", "updated_at", "id", "procedure",
}  # fmt: skip


def keys_in(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in keys_in(item)}
    if isinstance(value, list):
        return {key for item in value for key in keys_in(item)}
    return set()


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [guide["slug"] for guide in response.json()["results"]]


def test_a_guide_in_full_with_steps_per_channel(client):
    guide = full_guide(steps_per_channel=2, channels=("website", "store"))
    data = client.get(f"/en/api/v1/guides/{guide.slug}/").json()
    assert data["title"] == {
        "text": guide.title_en,
        "language": "en",
        "fallback": False,
        "machine_converted": False,
    }
    assert [channel["channel"] for channel in data["channels"]] == ["website", "store"]
    assert [len(channel["steps"]) for channel in data["channels"]] == [2, 2]
    assert data["channels"][0]["steps"][0]["body"]["text"] == "EN body"
    assert len(data["documents"]) == 2 and len(data["faqs"]) == 2 and len(data["notes"]) == 3
    assert data["sources"][0]["url"] == "https://regulator.example/rules"
    assert data["last_verified_on"] == "2026-11-01"
    assert data["requirement"] == "required"
    assert data["carrier"]["slug"] == guide.carrier.slug
    assert data["url"] == f"http://testserver/en/guides/{guide.slug}/"
    assert not keys_in(data) & EDITOR_ONLY


def test_drafts_never_appear(client):
    live = ProcedureFactory(title_en="Live guide")
    draft = ProcedureFactory(status=Procedure.Status.DRAFT, title_en="Draft guide")
    # An editor's unpublished change to a live guide stays out too.
    live.title_en = "Edited, not yet published"
    live.save()
    listed = client.get("/en/api/v1/guides/")
    assert slugs(listed) == [live.slug]
    assert "Draft guide" not in listed.content.decode()
    assert client.get(f"/en/api/v1/guides/{draft.slug}/").status_code == 404
    shown = client.get(f"/en/api/v1/guides/{live.slug}/").content.decode()
    assert "Live guide" in shown and "Edited, not yet published" not in shown
    publishing.procedure_unpublish(procedure=live, user=None)
    assert client.get(f"/en/api/v1/guides/{live.slug}/").status_code == 404
    assert slugs(client.get("/en/api/v1/guides/")) == []


def test_language_from_the_prefix_or_accept_language(client):
    guide = ProcedureFactory()
    assert client.get(f"/zh-hant/api/v1/guides/{guide.slug}/").json()["title"]["text"] == (
        guide.title_zh_hant
    )
    response = client.get(f"/api/v1/guides/{guide.slug}/", HTTP_ACCEPT_LANGUAGE="en;q=1")
    assert response.json()["title"]["text"] == guide.title_en
    assert response["Content-Language"] == "en"
    assert "Accept-Language" in response["Vary"]
    default = client.get(f"/api/v1/guides/{guide.slug}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert default.json()["title"]["text"] == guide.title_zh_hans


def test_fallbacks_and_machine_conversions_are_marked_as_on_the_pages(client):
    guide = ProcedureFactory(
        status=Procedure.Status.DRAFT, title_zh_hant="", title_en="", title_zh_hans="简体的标题"
    )
    publishing.publication_create(procedure=guide)
    english = client.get(f"/en/api/v1/guides/{guide.slug}/").json()["title"]
    assert english["text"] == "简体的标题"
    assert (english["language"], english["fallback"]) == ("zh-hans", True)
    traditional = client.get(f"/zh-hant/api/v1/guides/{guide.slug}/").json()["title"]
    assert traditional["text"] == "簡體的標題"
    assert traditional["language"] == "zh-hant" and traditional["machine_converted"]
    card = client.get("/en/api/v1/guides/").json()["results"][0]["title"]
    assert card["language"] == "zh-hans" and card["fallback"]


def test_the_list_filters_and_searches_as_the_html_list(client):
    first, second = CarrierFactory.create_batch(2)
    mine = ProcedureFactory(carrier=first, title_en="Porting your number", kind="number-transfer")
    ProcedureFactory(carrier=second, title_en="Something else")
    assert slugs(client.get(f"/en/api/v1/guides/?carrier={first.slug}")) == [mine.slug]
    assert slugs(client.get("/en/api/v1/guides/?q=porting")) == [mine.slug]
    assert slugs(client.get("/en/api/v1/guides/?kind=number-transfer")) == [mine.slug]
    assert len(slugs(client.get("/en/api/v1/guides/"))) == 2


def test_bad_filters_get_a_clear_translated_error(client):
    ProcedureFactory()
    response = client.get("/zh-hant/api/v1/guides/?carrier=nope")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "部分篩選條件無效。"
    assert "carrier" in body["errors"]
    wrong_page = client.get("/en/api/v1/guides/?page=x")
    assert wrong_page.status_code == 400 and "page" in wrong_page.json()["errors"]
    assert client.get("/en/api/v1/guides/?kind=unknown").status_code == 400
    missing = client.get("/en/api/v1/guides/no-such-guide/")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "There is no live guide at this address."
    assert client.get("/api/v1/nothing-here/").json()["detail"]


def test_pages_of_guides(client, settings):
    settings.KB_GUIDES_PER_PAGE = 2
    ProcedureFactory.create_batch(5)
    first = client.get("/en/api/v1/guides/").json()
    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["page"] == 2 and second["previous"].endswith("page=1")
    last = client.get("/en/api/v1/guides/?page=3").json()
    assert len(last["results"]) == 1 and last["next"] is None
    seen = {g["slug"] for page in (first, second, last) for g in page["results"]}
    assert len(seen) == 5
    assert client.get("/en/api/v1/guides/?page=4").status_code == 404
    assert client.get("/en/api/v1/guides/?page=0").status_code == 400


def test_regions_and_carriers(client):
    guide = full_guide()
    carrier, region = guide.carrier, guide.region
    regions = client.get("/en/api/v1/regions/").json()
    assert [item["slug"] for item in regions] == [region.slug]
    assert regions[0]["carriers"] == [carrier.slug]
    carriers = client.get("/zh-hant/api/v1/carriers/").json()
    assert carriers[0]["name"]["text"] == carrier.name_zh_hant
    assert carriers[0]["contact_numbers"][0]["tel_href"].startswith("tel:")
    assert client.get(f"/en/api/v1/carriers/{carrier.slug}/").json()["region"] == region.slug
    assert client.get("/en/api/v1/regions/nope/").status_code == 404


@pytest.mark.parametrize(
    ("path", "budget"),
    [
        # The filters' options are kept with the guide index; a search's snippets and the
        # popular guides offered when nothing matched are for the HTML page only.
        ("/en/api/v1/guides/", 1),
        ("/en/api/v1/guides/?region={region}&sim=esim&q=Guide", 1),
        ("/en/api/v1/guides/?q=Zyxwvutsrq", 1),
        ("/en/api/v1/regions/", 3),
        ("/en/api/v1/carriers/", 2),
    ],
)
def test_a_fixed_number_of_queries_whatever_the_data_size(client, settings, path, budget):
    settings.KB_PAGE_CACHE = False
    carriers = CarrierFactory.create_batch(3)
    url = path.format(region=carriers[0].region.slug)
    _bulk_guides(5, carriers)
    client.get(url)  # the guide index is built once per process, as for the pages

    def cost():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = cost()
    _bulk_guides(300, carriers, start=5)
    CarrierFactory.create_batch(10)
    client.get(url)
    assert cost() == few <= budget


def test_a_guide_costs_one_query_whatever_its_size(client, settings):
    settings.KB_PAGE_CACHE = False
    small = full_guide(steps_per_channel=1, channels=("website",))
    large = full_guide(steps_per_channel=20, channels=("website", "store", "app"))
    for guide in (small, large):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/en/api/v1/guides/{guide.slug}/").status_code == 200
        assert len(captured) == 1


def test_etag_cache_control_and_the_page_cache(client):
    guide = full_guide(title_en="First edition")
    url = f"/en/api/v1/guides/{guide.slug}/"
    first = client.get(url)
    # The same policy as the pages: front caches keep it briefly, clients revalidate (ETag).
    page = client.get(f"/en/guides/{guide.slug}/")
    assert first["Cache-Control"] == page["Cache-Control"]
    assert "public" in first["Cache-Control"] and "s-maxage=" in first["Cache-Control"]
    assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # Publishing refreshes the API as it refreshes the pages.
    guide.title_en = "Second edition"
    guide.save()
    publishing.procedure_publish(procedure=guide)
    fresh = client.get(url)
    assert "X-Page-Cache" not in fresh
    assert fresh.json()["title"]["text"] == "Second edition"
    assert "Second edition" in client.get("/en/api/v1/guides/").content.decode()
    carrier = guide.carrier
    carrier.name_en = "Renamed carrier"
    carrier.save()
    assert "Renamed carrier" in client.get("/en/api/v1/carriers/").content.decode()
    assert "Renamed carrier" in client.get(url).content.decode()


def test_too_many_requests_from_one_address_get_a_clear_429(client, settings):
    settings.KB_API_RATE = "3/m"
    guide = ProcedureFactory()
    url = f"/zh-hant/api/v1/guides/{guide.slug}/"
    for _ in range(3):
        assert client.get(url).status_code == 200  # the last ones from the page cache
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "請求過多" in refused.json()["detail"]
    # Another address is not affected, and the pages are not limited.
    assert client.get(url, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get(f"/zh-hant/guides/{guide.slug}/").status_code == 200


def test_other_sites_may_read_but_not_write(client):
    guide = ProcedureFactory()
    response = client.get("/en/api/v1/guides/", HTTP_ORIGIN="https://app.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        f"/en/api/v1/guides/{guide.slug}/",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert client.post("/en/api/v1/guides/").status_code == 405
    assert "Access-Control-Allow-Origin" not in client.get(
        "/en/guides/", HTTP_ORIGIN="https://app.example"
    )


def test_schema_and_docs_are_served_from_this_site_within_the_csp(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/guides/", "/api/v1/guides/{slug}/", "/api/v1/regions/"} <= set(schema["paths"])
    docs = client.get("/en/api/v1/docs")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert (
        "unsafe-inline" not in docs["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    )
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in html
    assert "cdn" not in html.lower() and "https://" not in html
    # Every script is a file of this site, or data (not run by the browser).
    for tag in html.split("<script")[1:]:
        opening = tag.split(">")[0]
        assert "src=" in opening or 'type="application/json"' in opening
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
    settings_json = html.split('id="swagger-settings">')[1].split("</script>")[0]
    assert json.loads(settings_json)["url"] == "/en/api/v1/openapi.json"


def test_a_guide_published_by_older_code_still_answers(client):
    """Snapshots stored before a field existed lack it: the API answers without it."""
    guide = ProcedureFactory()
    page = guide.publications.get().page
    for key in ("official_contacts", "translation", "correction_notice", "faqs"):
        page.content.pop(key, None)
    page.save()
    data = client.get(f"/zh-hans/api/v1/guides/{guide.slug}/").json()
    assert data["official_contacts"] is None and data["faqs"] == []
    assert data["title"]["text"] == guide.title_zh_hans


def test_an_outdated_translation_says_which_newer_text_it_lags_behind(client):
    guide = ProcedureFactory()
    translation_status.record(guide, before=None)  # as written in the admin
    before = translation_status.texts_of(guide)
    guide.title_zh_hans = "简 新标题"
    guide.save()
    translation_status.record(guide, before=before)
    publishing.publication_create(procedure=guide)
    english = client.get(f"/en/api/v1/guides/{guide.slug}/").json()
    assert english["outdated"]["source_language"] == "zh-hans"
    assert client.get(f"/zh-hans/api/v1/guides/{guide.slug}/").json()["outdated"] is None
