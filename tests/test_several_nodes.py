"""Several web nodes behind nginx, on loopback (issue 17): two gunicorn instances of the
project sharing one throw-away PostgreSQL and one Redis, nginx (deploy/nginx.conf.template)
in front. What one node does, the other and the front cache show within 5 seconds."""

import datetime
import json
import re
import time
import urllib.parse
import zoneinfo
from http.cookies import SimpleCookie

import pytest

from .live_servers import (
    HTTPS,
    Gunicorn,
    Nginx,
    Postgres,
    Redis,
    get,
    manage,
    request,
    require,
    site_env,
)

pytestmark = pytest.mark.services
PASSWORD = "correct horse battery staple"
WITHIN = 5.0  # seconds: the bound for a change to reach every node and the front cache


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    require("postgres", "redis-server", "nginx")
    folder = tmp_path_factory.mktemp("nodes")
    folder.chmod(0o755)
    postgres, redis, started = Postgres(), Redis(), []
    try:
        postgres.start()
        postgres.create_database()
        redis.start()
        env = site_env(
            database_url=postgres.url(),
            redis_url=redis.url(),
            static_root=folder / "static",
            KB_LOG_FORMAT="json",
            DJANGO_TRUSTED_PROXIES="127.0.0.1",
        )
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "loaddemo")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(
            env,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; get_user_model().objects"
            f".create_superuser('chief', 'chief@example.org', '{PASSWORD}')",
        )
        a = Gunicorn(env, log=folder / "node-a.log")
        b = Gunicorn(env, log=folder / "node-b.log")
        for node in (a, b):
            node.start()
            started.append(node)
        front = Nginx(folder / "nginx", (a.port, b.port))
        front.start()
        started.append(front)
        site = type("Nodes", (), {})()
        site.a, site.b, site.front, site.postgres, site.folder = a, b, front, postgres, folder
        yield site
    finally:
        for process in reversed(started):
            process.stop()
        if redis.process is not None:
            redis.stop()
        postgres.destroy()


class Browser:
    """Cookies and CSRF as a browser keeps them, for one port, behind an HTTPS proxy."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def headers(self, extra=None) -> dict:
        headers = dict(HTTPS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {**headers, **(extra or {})}

    def _keep(self, answer):
        for line in answer.headers.get("set-cookie", "").split("\n"):
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return answer

    def get(self, path, port=None, **extra):
        return self._keep(get(port or self.port, path, headers=self.headers(extra)))

    def post(self, path, form: dict, port=None):
        port = port or self.port
        page = self.get(path, port=port)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": token})
        headers = self.headers(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{port}",
                "Referer": f"https://127.0.0.1:{port}{path}",
            }
        )
        return self._keep(request(port, "POST", path, headers=headers, body=body))

    def log_in(self, port=None):
        answer = self.post(
            "/en/admin/login/?next=/en/admin/", {"username": "chief", "password": PASSWORD}, port
        )
        assert answer.status == 302, answer.text[:500]


def _guide(postgres, position: int) -> tuple[int, str]:
    import psycopg

    with psycopg.connect(postgres.url()) as db:
        rows = db.execute(
            "SELECT procedure_id, slug FROM procedures_publication"
            " WHERE live_until > now() ORDER BY slug"
        ).fetchall()
    return rows[position]


def _retitle(postgres, procedure_id: int, title: str) -> None:
    """An editor's change to the working copy (readers see it only once published)."""
    import psycopg

    with psycopg.connect(postgres.url()) as db:
        db.execute(
            "UPDATE procedures_procedure SET title_en = %s, status = 'review' WHERE id = %s",
            [title, procedure_id],
        )


def _publish(browser, procedure_id: int, at: datetime.datetime | None = None) -> None:
    form = {"change_note_en": "New title", "change_note_zh_hans": "", "change_note_zh_hant": ""}
    if at is not None:
        form["publish_at"] = at.astimezone(zoneinfo.ZoneInfo("Asia/Macau")).strftime(
            "%Y-%m-%d %H:%M:%S"
        )
    answer = browser.post(f"/en/admin/procedures/procedure/{procedure_id}/publish/", form)
    main = answer.text[answer.text.find("<main") :]
    assert answer.status == 302, re.sub(r"<[^>]+>|\s+", " ", main)[:1500]


def _seconds_until_everyone_shows(ports, path, text, limit=WITHIN + 5) -> float:
    started = time.monotonic()
    waiting = set(ports)
    while waiting and time.monotonic() - started < limit:
        for port in list(waiting):
            if text in get(port, path, headers=HTTPS).text:
                waiting.discard(port)
        time.sleep(0.05)
    assert not waiting, f"{text!r} not on {path} through ports {waiting} after {limit} s"
    return time.monotonic() - started


def test_a_guide_published_on_node_a_is_served_by_node_b_and_nginx_within_5_s(nodes):
    procedure_id, slug = _guide(nodes.postgres, 0)
    path = f"/en/guides/{slug}/"
    ports = (nodes.a.port, nodes.b.port, nodes.front.port)
    for port in ports:
        for _ in range(3):
            get(port, path, headers=HTTPS)
    # Stored by nginx: a hit, or revalidated with its ETag once its 2 s have passed.
    stored = get(nodes.front.port, path, headers=HTTPS).headers.get("x-front-cache")
    assert stored in ("HIT", "REVALIDATED"), stored
    editor = Browser(nodes.a.port)
    editor.log_in()
    _retitle(nodes.postgres, procedure_id, "Freshly republished title")
    _publish(editor, procedure_id)
    assert _seconds_until_everyone_shows(ports, path, "Freshly republished title") <= WITHIN
    # The in-memory search index of every process is rebuilt too.
    search = "/en/guides/?q=republished"
    assert _seconds_until_everyone_shows(ports, search, slug) <= WITHIN


def test_a_scheduled_publication_goes_live_on_every_node_within_5_s(nodes):
    procedure_id, slug = _guide(nodes.postgres, 1)
    path = f"/en/guides/{slug}/"
    ports = (nodes.a.port, nodes.b.port, nodes.front.port)
    for port in ports:
        get(port, path, headers=HTTPS)
        get(port, "/en/guides/?q=scheduled", headers=HTTPS)
    editor = Browser(nodes.a.port)
    editor.log_in()
    _retitle(nodes.postgres, procedure_id, "Scheduled edition")
    live_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(
        seconds=4
    )
    _publish(editor, procedure_id, at=live_at)
    assert all("Scheduled edition" not in get(p, path, headers=HTTPS).text for p in ports)
    time.sleep(max(0.0, (live_at - datetime.datetime.now(datetime.UTC)).total_seconds()))
    assert _seconds_until_everyone_shows(ports, path, "Scheduled edition") <= WITHIN
    assert _seconds_until_everyone_shows(ports, "/en/guides/?q=scheduled", slug) <= WITHIN


def test_an_editors_session_works_whichever_node_answers(nodes):
    editor = Browser(nodes.a.port)
    editor.log_in()
    for port in (nodes.b.port, nodes.front.port, nodes.a.port):
        answer = editor.get("/en/admin/", port=port)
        assert answer.status == 200 and "chief" in answer.text, port
        assert answer.headers.get("x-front-cache") in (None, "BYPASS")


def test_login_with_csrf_and_the_language_cookie_work_through_the_proxy(nodes):
    editor = Browser(nodes.front.port)
    editor.log_in()  # CSRF checks the Origin against the host and scheme nginx forwards
    assert editor.get("/en/admin/").status == 200
    for _visit in range(3):  # the first rendered by a node, the next from the front cache
        reader = Browser(nodes.front.port)
        assert reader.get("/zh-hant/").status == 200
        assert reader.cookies.get("kb_language") == "zh-hant"
        home = reader.get("/")
        assert home.status == 302 and home.headers["location"].endswith("/zh-hant/")


def test_the_request_id_is_passed_through_nginx_into_the_nodes_json_logs(nodes):
    answer = get(
        nodes.front.port,
        "/en/guides/?kind=activation",
        headers={**HTTPS, "X-Request-ID": "ci-0123456789"},
    )
    assert answer.headers["x-request-id"] == "ci-0123456789"
    time.sleep(0.2)
    lines = [
        json.loads(line)
        for log in ("node-a.log", "node-b.log")
        for line in (nodes.folder / log).read_text().splitlines()
        if line.startswith("{")
    ]
    [line] = [line for line in lines if line.get("request_id") == "ci-0123456789"]
    assert line["path"] == "/en/guides/" and line["status"] == 200 and line["language"] == "en"
    assert line["client"] == "127.0.0.1"
