"""Readers' pages behind a front cache and a proxy (issue 17): what the page cache keeps, who
skips it, what front caches are told, and who django-axes believes is logging in."""

import pytest

from procedures import publishing

from .factories import UserFactory, full_guide

pytestmark = pytest.mark.django_db


def is_hit(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


@pytest.fixture
def guide():
    return full_guide(title_en="Cached guide")


def test_a_made_up_session_cookie_is_served_the_cached_page(client, guide):
    url = f"/en/guides/{guide.slug}/"
    client.get(url)
    client.cookies["sessionid"] = "madeup0123456789abcdefghijklmnop"
    response = client.get(url)
    assert is_hit(response) and "Cached guide" in response.content.decode()
    assert "Cookie" not in response.get("Vary", "")


def test_a_staff_session_skips_the_cache_and_previews(client, guide):
    url = f"/en/guides/{guide.slug}/"
    client.get(url)
    client.force_login(UserFactory(is_staff=True))
    assert not is_hit(client.get(url))
    guide.title_en = "Working copy, not published"
    guide.save()
    assert "Working copy, not published" in client.get(url + "?preview=1").content.decode()


def test_a_session_of_someone_who_is_not_staff_is_served_the_cached_page(client, guide):
    url = f"/en/guides/{guide.slug}/"
    client.get(url)
    client.force_login(UserFactory(is_staff=False))
    assert is_hit(client.get(url))


def test_parameters_no_page_reads_share_one_cached_page_and_are_not_in_its_links(client, guide):
    url = f"/en/guides/{guide.slug}/"
    client.get(url)
    tracked = client.get(url + "?utm_source=newsletter&fbclid=abc")
    assert is_hit(tracked)
    assert "newsletter" not in tracked.content.decode()
    listing = client.get("/en/guides/?kind=real-name&utm_campaign=x")
    assert "utm_campaign" not in listing.content.decode()
    assert is_hit(client.get("/en/guides/?kind=real-name&utm_campaign=y"))
    assert not is_hit(client.get("/en/guides/?kind=activation"))


@pytest.mark.parametrize(
    "url", ["/sitemap.xml", "/en/feeds/guides.atom", "/zh-hant/feeds/carriers/{carrier}.atom"]
)
def test_sitemap_and_feeds_are_cached_and_refreshed_by_publishing(client, guide, url):
    url = url.format(carrier=guide.carrier.slug)
    assert client.get(url).status_code == 200
    assert is_hit(client.get(url))
    other = full_guide(carrier=guide.carrier, title_en="Freshly published", title_zh_hant="新指南")
    publishing.procedure_publish(procedure=other)
    fresh = client.get(url)
    assert not is_hit(fresh)
    assert other.slug in fresh.content.decode()


def test_readers_pages_tell_front_caches_how_long_to_keep_them(client, guide, settings):
    for response in (client.get(f"/en/guides/{guide.slug}/"), client.get("/en/guides/")):
        control = response["Cache-Control"]
        assert "public" in control and f"s-maxage={settings.KB_FRONT_CACHE_SECONDS}" in control
        assert "stale-while-revalidate" in control and response.has_header("ETag")
    cached = client.get("/en/guides/")
    assert is_hit(cached) and "s-maxage" in cached["Cache-Control"]


def test_admin_and_previews_are_never_kept_by_a_front_cache(client, guide):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in ["/en/admin/", f"/en/guides/{guide.slug}/?preview=1"]:
        control = client.get(url).get("Cache-Control", "")
        assert "public" not in control and "s-maxage" not in control, url


def test_options_and_trace_answer_as_djangos_view_would(client, guide):
    url = f"/en/guides/{guide.slug}/"
    options = client.options(url)
    assert options.status_code == 200 and options.content == b""
    assert options["Allow"] == "GET, HEAD, OPTIONS"
    trace = client.generic("TRACE", url)
    assert trace.status_code == 405 and b"Cached guide" not in trace.content
    assert client.post("/en/guides/").status_code == 405
    assert client.post("/en/admin/login/", {"username": "x", "password": "y"}).status_code == 200


def _wrong_password(client, remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post("/en/admin/login/", {"username": "editor", "password": "wrong"}, **headers)


def test_guesses_through_a_trusted_proxy_lock_the_guesser_not_the_editor(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.KB_TRUSTED_PROXIES = ["10.0.0.0/8"]
    UserFactory(username="editor", is_staff=True)
    for _attempt in range(3):
        _wrong_password(client, "10.0.0.2", "198.51.100.66")
    assert _wrong_password(client, "10.0.0.2", "198.51.100.66").status_code == 429
    editor = client.post(
        "/en/admin/login/",
        {"username": "editor", "password": "correct horse battery"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert editor.status_code == 302  # logged in


def test_a_forwarded_address_from_an_untrusted_client_is_not_believed(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.KB_TRUSTED_PROXIES = ["10.0.0.0/8"]
    UserFactory(username="editor", is_staff=True)
    for attempt in range(3):  # a new made-up address every time
        _wrong_password(client, "198.51.100.66", f"192.0.2.{attempt}")
    assert _wrong_password(client, "198.51.100.66", "192.0.2.99").status_code == 429
