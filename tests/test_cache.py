"""Pages are served from the cache, and a reader never sees stale content after a change."""

import datetime
import logging
import os
import socket
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures import publishing

from .factories import CarrierFactory, ProcedureFactory, UserFactory, full_guide

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    response.queries = len(queries)
    return response


def is_hit(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


@pytest.fixture
def two_guides():
    carrier = CarrierFactory(name_en="Old Carrier Name")
    first = full_guide(carrier=carrier, title_en="First guide")
    other = full_guide(title_en="Other guide")
    return first, other


def pages_of(guide):
    return [
        f"/en/guides/{guide.slug}/",
        "/en/guides/",
        "/en/guides/?region=" + guide.region.slug,
        "/en/",
        f"/en/carriers/{guide.carrier.slug}/",
        f"/en/regions/{guide.region.slug}/",
    ]


def test_a_second_visit_is_served_from_the_cache_without_rendering(client, two_guides):
    first, _other = two_guides
    for url in pages_of(first):
        assert not is_hit(get(client, url)), url
        again = get(client, url)
        assert is_hit(again), url
        assert again.queries <= 1, url  # at most the versions of what the page shows
    # Once this process knows the versions, hits need no query until something changes.
    assert get(client, f"/en/guides/{first.slug}/").queries == 0


def test_a_change_made_by_another_server_process_is_seen_at_once(client, two_guides, settings):
    """Each process keeps pages and the versions it read in its own memory: another process's
    change (a new version in the database, and the signal file rewritten, as `bump` does) is
    seen on the next request."""
    from kb.models import CacheTag

    first, _other = two_guides
    get(client, f"/en/guides/{first.slug}/")
    assert is_hit(get(client, f"/en/guides/{first.slug}/"))
    CacheTag.objects.filter(name=f"guide:{first.pk}").update(version=2**62)
    signal = Path(settings.KB_PAGE_CACHE_SIGNAL)
    draft = signal.with_suffix(".other-process")
    draft.write_text("changed")
    os.replace(draft, signal)
    assert not is_hit(get(client, f"/en/guides/{first.slug}/"))


def test_every_change_writes_a_signal_never_seen_before(
    two_guides, settings, django_capture_on_commit_callbacks
):
    """Readers compare the signal's content: two changes in the same clock tick must differ."""
    from kb import pagecache as page_cache

    seen = set()
    for _change in range(50):
        with django_capture_on_commit_callbacks(execute=True):
            page_cache.bump("guides")
        seen.add(Path(settings.KB_PAGE_CACHE_SIGNAL).read_bytes())
    assert len(seen) == 50


def test_a_page_rendered_from_data_before_a_commit_is_not_kept(
    rf, two_guides, django_capture_on_commit_callbacks
):
    """An editor's save bumps its tags, then commits a moment later; a reader's page that was
    rendered in between (from the old data) must not be stored as current."""
    from django.http import HttpResponse

    from kb import pagecache as page_cache
    from kb.pagecache.middleware import PageCacheMiddleware

    first, _other = two_guides
    tag_name = f"guide:{first.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.bump(tag_name)  # the editor's transaction, not committed yet
        started = time.time_ns()  # a reader's request starts, reading the old data
    middleware = PageCacheMiddleware(lambda request: HttpResponse())
    middleware._store("kb:page:test", HttpResponse("old"), {tag_name}, started)
    assert caches["default"].get("kb:page:test") is None


def test_a_head_request_does_not_store_a_page_without_its_etag(client, two_guides):
    first, _other = two_guides
    url = f"/en/guides/{first.slug}/"
    assert client.head(url).status_code == 200
    page = get(client, url)
    assert page.has_header("ETag")
    assert client.get(url, HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304


def test_remembered_versions_are_read_again_after_a_while(client, two_guides, monkeypatch):
    """A safety net for a change whose signal never arrived (a file not shared, not written)."""
    from kb.models import CacheTag
    from kb.pagecache import invalidation as page_cache

    first, _other = two_guides
    get(client, f"/en/guides/{first.slug}/")
    assert is_hit(get(client, f"/en/guides/{first.slug}/"))
    CacheTag.objects.filter(name=f"guide:{first.pk}").update(version=2**62)  # no signal
    assert is_hit(get(client, f"/en/guides/{first.slug}/"))
    monkeypatch.setattr(page_cache, "REMEMBER_VERSIONS_FOR", -1.0)
    assert not is_hit(get(client, f"/en/guides/{first.slug}/"))


def test_without_a_signal_file_every_hit_reads_the_versions(client, two_guides, settings):
    """For servers on several hosts with no shared file."""
    from kb.models import CacheTag

    settings.KB_PAGE_CACHE_SIGNAL = ""
    first, _other = two_guides
    get(client, f"/en/guides/{first.slug}/")
    for _visit in range(2):
        hit = get(client, f"/en/guides/{first.slug}/")
        assert is_hit(hit) and hit.queries == 1
    CacheTag.objects.filter(name=f"guide:{first.pk}").update(version=2**62)
    assert not is_hit(get(client, f"/en/guides/{first.slug}/"))


def test_an_unwritable_signal_file_falls_back_to_reading_versions(client, two_guides, settings):
    from kb.pagecache import invalidation as page_cache

    settings.KB_PAGE_CACHE_SIGNAL = "/proc/no-such-place/page-cache-signal"
    first, _other = two_guides
    try:
        page_cache.check_signal()
        get(client, f"/en/guides/{first.slug}/")
        hit = get(client, f"/en/guides/{first.slug}/")
        assert is_hit(hit) and hit.queries == 1
    finally:
        page_cache._signal_broken = False


def test_the_cache_keeps_languages_and_query_strings_apart(client, two_guides):
    first, _other = two_guides
    english = get(client, f"/en/guides/{first.slug}/")
    chinese = get(client, f"/zh-hant/guides/{first.slug}/")
    assert not is_hit(chinese)
    assert "EN Guide" not in chinese.content.decode() and "First guide" in english.content.decode()
    get(client, "/en/guides/?kind=real-name")
    assert not is_hit(get(client, "/en/guides/?kind=activation"))


def test_publishing_a_guide_refreshes_every_page_that_shows_it_and_only_those(client, two_guides):
    first, other = two_guides
    for url in pages_of(first) + [f"/en/guides/{other.slug}/"]:
        get(client, url)
    first.title_en = "First guide, new edition"
    first.save()
    publishing.procedure_publish(procedure=first)

    for url in pages_of(first):
        response = get(client, url)
        assert not is_hit(response), url
        if url != "/en/":  # the home page lists carriers and featured guides, not this one
            assert "First guide, new edition" in response.content.decode(), url
    assert is_hit(get(client, f"/en/guides/{other.slug}/"))


def test_renaming_a_carrier_refreshes_its_pages(client, two_guides):
    first, other = two_guides
    for url in [f"/en/guides/{first.slug}/", f"/en/carriers/{first.carrier.slug}/", "/en/"]:
        get(client, url)
    get(client, f"/en/guides/{other.slug}/")
    carrier = first.carrier
    carrier.name_en = "New Carrier Name"
    carrier.save()
    for url in [f"/en/guides/{first.slug}/", f"/en/carriers/{carrier.slug}/", "/en/"]:
        html = get(client, url).content.decode()
        assert "New Carrier Name" in html and "Old Carrier Name" not in html, url
    assert is_hit(get(client, f"/en/guides/{other.slug}/"))


def test_changing_a_region_refreshes_its_pages(client, two_guides):
    first, _other = two_guides
    get(client, f"/en/regions/{first.region.slug}/")
    get(client, f"/en/guides/{first.slug}/")
    region = first.region
    region.name_en = "Renamed Region"
    region.save()
    assert "Renamed Region" in get(client, f"/en/regions/{region.slug}/").content.decode()
    assert "Renamed Region" in get(client, f"/en/guides/{first.slug}/").content.decode()


def test_an_unpublished_guide_disappears_at_once(client, two_guides):
    first, _other = two_guides
    get(client, f"/en/guides/{first.slug}/")
    get(client, "/en/guides/")
    publishing.procedure_unpublish(procedure=first, user=None)
    assert get(client, f"/en/guides/{first.slug}/").status_code == 404
    assert "First guide" not in get(client, "/en/guides/").content.decode()


def test_a_scheduled_publication_shows_when_its_time_comes(client):
    start = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        guide = full_guide(title_en="Before the change")
        guide.title_en = "After the change"
        guide.save()
        publishing.procedure_publish(
            procedure=guide, publish_at=start + datetime.timedelta(hours=2)
        )
        get(client, f"/en/guides/{guide.slug}/")
        cached = get(client, f"/en/guides/{guide.slug}/")
        assert is_hit(cached) and "Before the change" in cached.content.decode()
    with time_machine.travel(start + datetime.timedelta(hours=2, seconds=1), tick=False):
        html = get(client, f"/en/guides/{guide.slug}/").content.decode()
        assert "After the change" in html
        assert "After the change" in get(client, "/en/guides/").content.decode()


def test_a_publication_scheduled_while_an_earlier_one_waits_still_goes_live(client):
    """The first go-live time has passed but no reader came yet when a second guide is
    scheduled: both must show when their time comes."""
    start = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    hour = datetime.timedelta(hours=1)
    with time_machine.travel(start, tick=False):
        early, late = full_guide(title_en="Early v1"), full_guide(title_en="Late v1")
        early.title_en = "Early v2"
        early.save()
        publishing.procedure_publish(procedure=early, publish_at=start + hour)
        for guide in (early, late):
            get(client, f"/en/guides/{guide.slug}/")
    with time_machine.travel(start + 2 * hour, tick=False):  # early went live; no reader yet
        late.title_en = "Late v2"
        late.save()
        publishing.procedure_publish(procedure=late, publish_at=start + 3 * hour)
        assert "Early v2" in get(client, f"/en/guides/{early.slug}/").content.decode()
        assert "Late v1" in get(client, f"/en/guides/{late.slug}/").content.decode()
        assert is_hit(get(client, f"/en/guides/{late.slug}/"))  # until its own time
    with time_machine.travel(start + 3 * hour + datetime.timedelta(seconds=1), tick=False):
        assert "Late v2" in get(client, f"/en/guides/{late.slug}/").content.decode()


def test_staff_and_previews_are_never_cached(client):
    guide = full_guide()
    client.force_login(UserFactory(is_staff=True))
    get(client, f"/en/guides/{guide.slug}/")
    assert not is_hit(get(client, f"/en/guides/{guide.slug}/"))
    assert not is_hit(get(client, f"/en/guides/{guide.slug}/?preview=1"))


def test_a_repeat_visit_gets_304_not_modified(client):
    guide = full_guide()
    first = client.get(f"/en/guides/{guide.slug}/")
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    for _attempt in range(2):  # rendered, then from the cache
        again = client.get(f"/en/guides/{guide.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert again.content == b""
    assert client.get(f"/en/guides/{guide.slug}/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_cached_page_has_the_same_security_headers_as_a_fresh_one(client):
    guide = full_guide()
    fresh = get(client, f"/en/guides/{guide.slug}/")
    cached = get(client, f"/en/guides/{guide.slug}/")
    assert is_hit(cached)
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "ETag"):
        assert fresh.has_header(header), header
        assert cached[header] == fresh[header], header
    assert cached.content == fresh.content


def test_plain_http_is_redirected_to_https_even_when_the_page_is_cached(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    guide = full_guide()
    url = f"/en/guides/{guide.slug}/"
    get(client, url, secure=True)
    assert is_hit(get(client, url, secure=True))
    insecure = client.get(url)
    assert insecure.status_code == 301
    assert insecure["Location"] == f"https://testserver{url}"


def test_a_cached_page_still_remembers_the_readers_new_language(client):
    guide = full_guide()
    get(client, f"/en/guides/{guide.slug}/")  # stored
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    switched = get(client, f"/en/guides/{guide.slug}/")
    assert is_hit(switched)
    assert switched.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_pages_are_kept_apart_by_host(client, settings):
    """Pages carry absolute links (hreflang): one host's copy is never served to another."""
    settings.ALLOWED_HOSTS = ["kb.example", "other.example"]
    guide = full_guide()
    url = f"/en/guides/{guide.slug}/"
    get(client, url, HTTP_HOST="kb.example")
    other = get(client, url, HTTP_HOST="other.example")
    assert not is_hit(other)
    assert "http://other.example/en/" in other.content.decode()
    assert "kb.example" not in other.content.decode()
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400


# --- Redis ----------------------------------------------------------------------------------------


def _redis_reachable(port=6379) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache(settings):
    def use(location):
        settings.CACHES = {
            "default": {
                "BACKEND": "kb.pagecache.backends.ResilientRedisCache",
                "LOCATION": location,
                "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            }
        }
        return caches["default"]

    return use


def test_pages_are_cached_in_redis(client, redis_cache):
    if not _redis_reachable():
        pytest.skip("Redis is not running on 127.0.0.1:6379 (start it to run this test)")
    redis_cache("redis://127.0.0.1:6379/15").clear()
    guide = ProcedureFactory()
    get(client, f"/en/guides/{guide.slug}/")
    assert is_hit(get(client, f"/en/guides/{guide.slug}/"))


def test_the_site_keeps_serving_when_redis_is_gone(client, redis_cache, caplog):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens on this port now
    redis_cache(f"redis://127.0.0.1:{port}/0")
    guide = full_guide(title_en="Still here")
    with caplog.at_level(logging.WARNING):
        for _attempt in range(2):
            response = get(client, f"/en/guides/{guide.slug}/")
            assert response.status_code == 200
            assert "Still here" in response.content.decode()
            assert not is_hit(response)
        assert get(client, "/en/guides/").status_code == 200
    assert "Redis unavailable" in caplog.text
