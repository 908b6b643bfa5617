"""Real-browser tests: Debian's Chromium driven by Playwright, against a live server of the
project. Run by `make test` when a Chromium is installed (skipped, and said so, otherwise); CI sets
KB_BROWSER_TESTS=required so a missing browser fails the run instead."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import load_demo

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _chromium() -> str | None:
    for candidate in (os.environ.get("KB_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _unavailable(reason: str):
    if os.environ.get("KB_BROWSER_TESTS") == "required":
        pytest.fail(f"Browser tests are required here but cannot run: {reason}")
    pytest.skip(f"Browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def chromium():
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -r requirements.txt)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs a loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(chromium, live_server, **options):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url, **options
    )
    page = context.new_page()
    page.errors = []  # script errors the page raised: tests expect none
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def follow(page, target) -> None:
    """Click `target` (a locator) and return once the page it opens has loaded.

    A bare click returns when the navigation starts, so a test reading the page right after
    it may read the old page, or a blank one in between (CI saw an empty message list)."""
    with page.expect_navigation(wait_until="load"):
        target.click()


@pytest.fixture
def page(chromium, live_server):
    context, page = _open_page(chromium, live_server)
    yield page
    context.close()


@pytest.fixture
def page_without_csp(chromium, live_server):
    """A page that ignores the Content Security Policy: to inject axe-core, and to show that
    sanitising alone keeps editor text harmless."""
    context, page = _open_page(chromium, live_server, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(chromium, live_server):
    context, page = _open_page(chromium, live_server, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def demo(transactional_db):
    load_demo()


@pytest.fixture
def axe():
    if not AXE.exists():
        _unavailable("axe-core is not installed (npm ci)")
    return AXE.read_text(encoding="utf-8")


def screenshot(page, name: str) -> Path:
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
