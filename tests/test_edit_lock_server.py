"""Two editors saving the same guide at the same moment, through a real server with two worker
processes on a real database file: one save wins, the other gets the conflict report with the
typed input kept. Never a server error ("database is locked" on SQLite)."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from .forms import form_data

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"
SET_UP = f"""
from django.contrib.auth import get_user_model
from tests.factories import full_guide
from procedures.models import Procedure
for name in ("ana", "ben"):
    get_user_model().objects.create_superuser(name, "", {PASSWORD!r})
print(full_guide(status=Procedure.Status.DRAFT).pk)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One editor's browser: cookies, CSRF token, forms read as they are submitted."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, username: str) -> None:
        _status, html = self.request("/en/admin/login/")
        data = form_data(html)
        data.update({"username": username, "password": PASSWORD})
        status, _html = self.request("/en/admin/login/", data)
        assert status == 302, "login failed"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def database_url(tmp_path):
    """SQLite in a file; and on the PostgreSQL run (DATABASE_URL set to a postgres:// server), a
    database of its own on that server, dropped afterwards."""
    shared = os.environ.get("DATABASE_URL", "")
    if not shared.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg

    parts = urllib.parse.urlsplit(shared)
    name = f"kb_edit_lock_{os.getpid()}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(tmp_path, database_url):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "KB_PAGE_CACHE_SIGNAL": str(tmp_path / "signal"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    python = sys.executable
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True, "text": True}
    subprocess.run([python, "manage.py", "migrate", "--noinput"], **run)
    guide = subprocess.run([python, "manage.py", "shell", "-c", SET_UP], **run).stdout.split()[-1]
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(python).parent))
    process = subprocess.Popen(
        [
            gunicorn,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--error-logfile",
            str(tmp_path / "errors.log"),
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        yield base, guide
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_two_simultaneous_saves_give_one_save_and_one_conflict_report(server):
    base, guide = server
    url = f"/en/admin/procedures/procedure/{guide}/change/"
    ana, ben = Browser(base), Browser(base)
    ana.log_in("ana")
    ben.log_in("ben")
    for round_number in range(6):
        forms = {}
        for name, browser in (("ana", ana), ("ben", ben)):
            form = form_data(browser.request(url)[1], "procedure_form")
            form["summary_en"] = f"{name}'s summary, round {round_number}"
            forms[name] = form
        results = {}
        start = threading.Barrier(2)

        def save(name, browser, start=start, forms=forms, results=results):
            start.wait()
            results[name] = browser.request(url, forms[name])

        threads = [threading.Thread(target=save, args=(name, browser))
                   for name, browser in (("ana", ana), ("ben", ben))]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(status for status, _html in results.values())
        assert statuses == [200, 302], (round_number, statuses)
        refused = next(html for status, html in results.values() if status == 200)
        assert "Someone else saved this guide while you were editing it" in refused
        loser = next(name for name, (status, _html) in results.items() if status == 200)
        assert f"{loser}&#x27;s summary, round {round_number}" in refused  # the input is kept
