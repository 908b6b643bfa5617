"""Offline reading: the service worker and manifest are served as browsers need them, and what
the worker may keep (readers' public guide pages) is told apart from what it must not (admin,
previews, a staff session's pages) by the caching headers the site already sends."""

import json

import pytest

from .conftest import LANGUAGES
from .factories import UserFactory, full_guide

pytestmark = pytest.mark.django_db


def test_the_service_worker_is_served_at_the_root_as_javascript(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"  # a new version reaches readers at once
    script = response.content.decode()
    assert "__VERSION__" not in script
    assert 'const VERSION = "' in script
    # It keeps only public readers' pages, never the admin.
    assert 'includes("public")' in script and '"/admin/"' in script


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_manifest_opens_the_site_in_the_reader_s_language(client, language):
    response = client.get(f"/{language}/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == f"/{language}/"
    assert data["scope"] == "/"
    assert data["icons"] and data["display"] == "standalone"


@pytest.mark.parametrize(
    "language, title",
    [("zh-hans", "保存在本设备"), ("zh-hant", "儲存在本裝置"), ("en", "saved on this device")],
)
def test_every_page_links_the_manifest_and_the_saved_guides(client, language, title):
    guide = full_guide()
    html = client.get(f"/{language}/guides/{guide.slug}/").content.decode()
    assert f'<link rel="manifest" href="/{language}/manifest.webmanifest">' in html
    assert 'id="offline-notice"' in html and "hidden" in html  # shown only for an offline copy
    assert "data-offline-guide" in html  # "Save for offline"
    saved = client.get(f"/{language}/offline/")
    assert saved.status_code == 200
    assert title in saved.content.decode()
    # The saved-guides page is the worker's answer offline: it must be kept like readers' pages.
    assert "public" in saved["Cache-Control"]


def test_readers_pages_may_be_kept_staff_pages_and_previews_may_not(client):
    guide = full_guide()
    url = f"/en/guides/{guide.slug}/"
    assert "public" in client.get(url)["Cache-Control"]
    client.force_login(UserFactory(is_staff=True))
    staff = client.get(url)
    assert "public" not in staff.get("Cache-Control", "")
    preview = client.get(url + "?preview")
    assert "public" not in preview.get("Cache-Control", "")
    assert "data-offline-guide" not in preview.content.decode()
