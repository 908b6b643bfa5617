"""Offline reading for travellers (issue 15): the service worker, the web app manifest and the
page that lists the guides kept on this device.

The service worker's script lives in static/js/service-worker.js but is served from /sw.js, so
that its scope is the whole site (a worker only controls pages under its own address). It is
same-origin, so the strict Content Security Policy allows it (`worker-src` falls back to
`script-src 'self'`).
"""

import hashlib
import json
from functools import cache

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language, gettext

from kb.languages import html_lang
from kb.pagecache import tag

WORKER_SOURCE = settings.BASE_DIR / "static" / "js" / "service-worker.js"


@cache
def _worker_script() -> str:
    """The worker's source with its version (a hash of the source): browsers install a new
    worker when the script's bytes change, so each deploy that changes it reaches readers."""
    source = WORKER_SOURCE.read_text(encoding="utf-8")
    version = hashlib.sha256(source.encode()).hexdigest()[:12]
    return source.replace("__VERSION__", version)


def service_worker(request) -> HttpResponse:
    """/sw.js: the service worker, revalidated on every check so updates are picked up."""
    response = HttpResponse(_worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request) -> HttpResponse:
    """The web app manifest in the reader's language: installing the site opens it at the home
    page of that language."""
    data = {
        "name": str(settings.SITE_NAME),
        "short_name": str(settings.SITE_NAME),
        "description": gettext("Step-by-step SIM and eSIM guides, readable offline."),
        "lang": html_lang(get_language()),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4f91",
        "icons": [
            {
                "src": static("icons/app-icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            }
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def saved_guides(request) -> HttpResponse:
    """The guides kept on this device for reading offline (listed by static/js/offline.js from
    the browser's storage; the server knows nothing of them). Also what the worker shows for a
    page that was never kept, when there is no network."""
    tag(request)  # cacheable, showing no content that changes: the same for every reader
    return render(request, "offline.html")
