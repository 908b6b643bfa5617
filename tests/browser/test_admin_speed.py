"""How fast the guide's change page loads in a browser: how many requests it makes and when its
load event fires, first and again (with the browser's cache). The figures are written to
test-artifacts/admin-load.json; the README of issue 19's report quotes them."""

import json

import pytest
from django.contrib.auth import get_user_model

from tests.factories import full_guide

from .conftest import ARTIFACTS, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
# Budget: the page itself, its stylesheets and scripts (about 42 requests before issue 19).
REQUEST_BUDGET = 36


def load(page, url) -> dict:
    requests = []

    def seen(request):
        requests.append(request)

    page.on("request", seen)
    page.goto(url, wait_until="load")
    page.remove_listener("request", seen)
    timing = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " const fetched = performance.getEntriesByType('resource')"
        "   .filter(r => r.transferSize > 0).length;"
        " return {load: n.loadEventStart, server: n.responseEnd - n.requestStart, fetched}; }"
    )
    return {
        # Distinct addresses: a busy machine can make the browser ask twice for one file.
        "requests": len({request.url for request in requests}),
        # Answered over the network, not from the browser's cache.
        "fetched": timing["fetched"] + 1,
        "load_ms": round(timing["load"]),
        "server_ms": round(timing["server"]),
    }


def test_the_guide_change_page_loads_with_few_requests(page):
    guide = full_guide(steps_per_channel=4)
    get_user_model().objects.create_superuser("editor", "", PASSWORD)
    page.goto("/en/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    follow(page, page.locator("input[type=submit]"))
    url = f"/en/admin/procedures/procedure/{guide.pk}/change/"
    first = load(page, url)
    again = load(page, url)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "admin-load.json").write_text(json.dumps({"first": first, "again": again}))
    print("admin change page:", {"first": first, "again": again})
    assert first["requests"] <= REQUEST_BUDGET, first
    assert page.errors == []
