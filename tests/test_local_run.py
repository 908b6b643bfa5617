"""What a newcomer gets from `make run`: the site's own pages (errors included), its CSS and
JavaScript, and the admin's address in every language."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def served(tmp_path):
    """`manage.py runserver` as `make run` starts it, with no DJANGO_* settings in the
    environment (a fresh checkout), on a database of its own."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KB_"))}
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    environment["KB_PAGE_CACHE_SIGNAL"] = ""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=environment, check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_make_run_serves_the_sites_own_pages_with_their_css(served):
    pages = [("zh-hans", "找不到页面"), ("zh-hant", "找不到頁面"), ("en", "Page not found")]
    for language, message in pages:
        status, page = fetch(f"{served}/{language}/no-such-page/")
        assert status == 404
        assert message in page
        assert "URLconf" not in page and "DEBUG = True" not in page
    status, css = fetch(f"{served}/static/css/site.css")
    assert status == 200 and "{" in css
    status, _script = fetch(f"{served}/static/js/site.js")
    assert status == 200


@pytest.mark.django_db
def test_make_run_prints_the_admin_in_every_language(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "newcomer")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a long enough password")
    output = StringIO()
    call_command("ensureadmin", site="http://127.0.0.1:8080", stdout=output)
    printed = output.getvalue()
    for language in ("zh-hans", "zh-hant", "en"):
        assert f"http://127.0.0.1:8080/{language}/admin/" in printed
