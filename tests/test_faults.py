"""What a reader sees when PostgreSQL or Redis fails under a running site (issue 17).

Each module run starts its own PostgreSQL and Redis on free ports, migrates, generates a few
published guides and serves them with gunicorn in production settings; the tests then stop,
hang and restart those processes by their ids. The machine's shared servers are never touched.
"""

import pytest

from .live_servers import (
    HTTPS,
    Gunicorn,
    Postgres,
    Redis,
    get,
    manage,
    request,
    require,
    site_env,
    wait_for,
)

pytestmark = pytest.mark.services


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require("postgres", "redis-server")
    folder = tmp_path_factory.mktemp("faults")
    postgres, redis = Postgres(), Redis()
    server = None
    try:
        postgres.start()
        postgres.create_database()
        redis.start()
        env = site_env(
            database_url=postgres.url(), redis_url=redis.url(), static_root=folder / "static"
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "generatekb", "--guides", "12")
        manage(env, "collectstatic", "--noinput", "-v0")
        server = Gunicorn(env, log=folder / "gunicorn.log")
        server.start()
        site = type("Site", (), {})()
        site.postgres, site.redis, site.server, site.port = postgres, redis, server, server.port
        site.slugs = _slugs(postgres)
        yield site
    finally:
        if server is not None:
            server.stop()
        if redis.process is not None:
            redis.stop()
        postgres.destroy()


def _slugs(postgres) -> list[str]:
    import psycopg

    with psycopg.connect(postgres.url()) as db:
        rows = db.execute("SELECT slug FROM procedures_publication ORDER BY slug").fetchall()
    return [slug for (slug,) in rows]


def page(site, path, **headers):
    return get(site.port, path, headers={**HTTPS, **headers})


def test_database_stopped_readers_get_cached_pages_or_a_translated_503(site):
    cached = [f"/en/guides/{site.slugs[0]}/", "/zh-hant/guides/", "/zh-hans/"]
    for path in cached:
        page(site, path)
        assert page(site, path).headers.get("x-page-cache") == "hit", path
    site.postgres.stop()
    try:
        for path in cached:
            answer = page(site, path)
            assert answer.status == 200, (path, answer.status)
            assert site.slugs[0] in page(site, cached[0]).text
        never_seen = page(site, f"/zh-hant/guides/{site.slugs[1]}/")
        assert never_seen.status == 503
        assert never_seen.headers["retry-after"] == "10"
        assert "暫時" in never_seen.text  # the Traditional Chinese "temporarily unavailable"
        english = page(site, f"/en/guides/{site.slugs[2]}/")
        assert english.status == 503
        assert "Temporarily unavailable" in english.text
        assert get(site.port, "/healthz").status == 200
        assert get(site.port, "/readyz").status == 503
    finally:
        site.postgres.start()
    # Recovers by itself: new connections once the database is back.
    wait_for(
        lambda: page(site, f"/zh-hant/guides/{site.slugs[1]}/").status == 200,
        10,
        "the site serving new pages again",
    )
    assert get(site.port, "/readyz").status == 200


def test_database_hung_answers_within_seconds_never_hangs_a_worker(site):
    cached = f"/en/guides/{site.slugs[3]}/"
    page(site, cached)
    assert page(site, cached).headers.get("x-page-cache") == "hit"
    site.postgres.pause()
    try:
        health = get(site.port, "/healthz", timeout=5)
        assert health.status == 200 and health.seconds < 1
        answer = page(site, cached)
        assert answer.status == 200 and answer.seconds < 8, (answer.status, answer.seconds)
        fresh = page(site, f"/en/guides/{site.slugs[4]}/")
        assert fresh.status == 503 and fresh.seconds < 8, (fresh.status, fresh.seconds)
        assert fresh.headers["retry-after"] == "10"
        ready = get(site.port, "/readyz")
        assert ready.status == 503 and ready.seconds < 8
    finally:
        site.postgres.resume()
    wait_for(
        lambda: page(site, f"/en/guides/{site.slugs[4]}/").status == 200,
        15,
        "the site serving new pages again",
    )


def test_redis_stopped_mid_load_no_reader_sees_an_error(site):
    paths = [f"/en/guides/{slug}/" for slug in site.slugs[:4]] + ["/en/guides/?q=sim", "/en/"]
    for path in paths:
        page(site, path)
    site.redis.stop()
    try:
        statuses = [page(site, path).status for path in paths for _ in range(3)]
        assert statuses == [200] * len(statuses)
        assert get(site.port, "/readyz").status == 503  # not ready: its cache is away
    finally:
        site.redis.start()
    assert all(page(site, path).status == 200 for path in paths)


def test_query_parameters_no_page_reads_never_add_cache_entries(site):
    client = site.redis.client()
    path = f"/zh-hans/guides/{site.slugs[5]}/"
    page(site, path)
    before = client.dbsize()
    for number in range(40):
        answer = page(site, f"{path}?utm_source=campaign{number}&fbclid=x{number}")
        assert answer.status == 200
        assert f"campaign{number}" not in answer.text  # links on the page do not carry it
    assert client.dbsize() - before <= 1
    searches = [page(site, f"/zh-hans/guides/?q=sim{number}") for number in range(3)]
    assert all(answer.status == 200 for answer in searches)
    assert client.dbsize() - before >= 3  # parameters a page reads still make pages


def test_health_checks_answer_over_plain_http_and_pages_still_redirect(site):
    assert get(site.port, "/healthz").status == 200
    assert get(site.port, "/readyz").status == 200
    assert get(site.port, "/en/").status == 301  # readers' pages go to HTTPS


def test_made_up_session_cookie_is_served_from_the_cache(site):
    path = f"/en/guides/{site.slugs[6]}/"
    page(site, path)
    answer = page(site, path, Cookie="sessionid=madeup0123456789abcdefghijklmnop")
    assert answer.status == 200 and answer.headers.get("x-page-cache") == "hit"


def test_options_and_trace_do_not_return_the_page(site):
    path = f"/en/guides/{site.slugs[0]}/"
    options = request(site.port, "OPTIONS", path, headers=HTTPS)
    assert options.status == 200 and options.body == b""
    assert options.headers["allow"] == "GET, HEAD, OPTIONS"
    trace = request(site.port, "TRACE", path, headers=HTTPS)
    assert trace.status == 405 and site.slugs[0] not in trace.text


def test_pages_say_how_long_a_front_cache_may_keep_them(site):
    answer = page(site, f"/en/guides/{site.slugs[7]}/")
    control = answer.headers["cache-control"]
    assert "s-maxage=2" in control and "stale-while-revalidate" in control
    assert answer.headers.get("etag")
    # The admin is never kept by a front cache:
    admin = page(site, "/en/admin/login/")
    assert (
        "private" in admin.headers["cache-control"] or "no-store" in admin.headers["cache-control"]
    )
