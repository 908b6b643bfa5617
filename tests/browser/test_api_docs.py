"""The API's docs in a real browser: Swagger UI runs from this site's static files under the
site's Content Security Policy (no CDN, no inline script) and can call the API."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_work_within_the_csp(page, demo):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/en/api/v1/docs")
    operation = page.locator("#operations-guides-guide_list")
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip() == "200"
    assert "macau" in page.locator(".live-responses-table").inner_text()
    assert refused == [] and page.errors == []
    origin = page.url.split("/en/")[0]
    assert all(url.startswith((origin, "data:")) for url in requests), requests
