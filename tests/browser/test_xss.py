"""Script typed by an editor into any text never runs for readers: plain fields are escaped,
Markdown is sanitised (nh3), and the Content Security Policy forbids inline scripts anyway."""

import json

import pytest
from django.test import Client

from procedures import publishing
from procedures.models import Procedure
from tests.factories import UserFactory, full_guide
from tests.forms import form_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<script>window.__xss = 'script'</script>",
    "<img src=x onerror=\"window.__xss = 'img'\">",
    "[click me](javascript:window.__xss='link')",
    '"><svg onload="window.__xss = \'svg\'">',
    "<iframe srcdoc=\"<script>parent.__xss='iframe'</script>\"></iframe>",
]


def test_xss_payloads_in_every_text_field_never_run(page_without_csp, settings):
    page = page_without_csp  # sanitising alone must be enough; the CSP is a second wall
    settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = False
    guide = full_guide(status=Procedure.Status.DRAFT)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/en/admin/procedures/procedure/{guide.pk}/change/"
    data = form_data(client.get(url).content.decode(), "procedure_form")
    written = 0
    for name in list(data):
        if name.endswith(("_zh_hans", "_zh_hant", "_en")) and "__prefix__" not in name:
            data[name] = f"x {PAYLOADS[written % len(PAYLOADS)]}"
            written += 1
    assert written > 30  # title, summary, steps, notes, questions, sources, … in three languages
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    publishing.procedure_publish(procedure=guide)

    for language in ("zh-hans", "zh-hant", "en"):
        page.goto(f"/{language}/guides/{guide.slug}/")
        page.locator(".faq summary").first.click()
        page.wait_for_timeout(200)
        assert page.evaluate("window.__xss") is None
        # The page's own markup: a JSON-LD data block (never run; it must still parse, so no
        # payload broke out of it), the brand mark and icons. Nothing else of these kinds.
        assert page.locator('script:not([src]):not([type="application/ld+json"])').count() == 0
        for block in page.locator('script[type="application/ld+json"]').all_inner_texts():
            json.loads(block)
        assert page.locator("img:not(.brand-mark), iframe, svg:not(.icon)").count() == 0
        title = page.locator("h1").inner_text()
        assert any(title == f"x {payload}" for payload in PAYLOADS)  # shown as text, harmlessly
        assert page.errors == []
    page.goto(f"/en/guides/?q={guide.slug}")
    assert page.evaluate("window.__xss") is None
