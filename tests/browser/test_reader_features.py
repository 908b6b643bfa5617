"""Reader features in a real browser: the guide finder (with and without JavaScript), offline
reading with the network cut, feedback, device variants and the remembered checklist."""

import pytest
from django.utils.translation import gettext, override

from .conftest import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def labels(language: str, *texts: str) -> list[str]:
    with override(language):
        return [gettext(text) for text in texts]


def _answer_the_finder(page, language: str) -> None:
    (find, go) = labels(language, "Find your guide in three questions", "Continue")
    page.goto(f"/{language}/")
    follow(page, page.get_by_role("link", name=find))
    page.locator("input[name=region][value=macau]").check()
    follow(page, page.get_by_role("button", name=go))
    page.locator("input[name=carrier][value=ctm]").check()
    follow(page, page.get_by_role("button", name=go))
    page.locator("input[name=kind][value=real-name]").check()
    follow(page, page.get_by_role("button", name=go))
    page.locator("input[name=document][value=passport]").check()
    follow(page, page.get_by_role("button", name=go))


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_the_finder_leads_to_a_guide_and_its_checklist(page, demo, language):
    _answer_the_finder(page, language)
    assert "region=macau" in page.url and "document=passport" in page.url
    first = page.locator(".finder-match").first
    assert first.locator("h3 a").get_attribute("href").startswith(f"/{language}/guides/")
    (have,) = labels(language, "you have this")
    assert have in first.locator(".finder-held").inner_text()
    assert page.errors == []
    # The address is the answer: opened afresh, it shows the same guides.
    shown = page.locator(".finder-match h3 a").all_inner_texts()
    page.goto(page.url)
    assert page.locator(".finder-match h3 a").all_inner_texts() == shown


def test_the_finder_works_without_javascript(page_without_javascript, demo):
    page = page_without_javascript
    _answer_the_finder(page, "zh-hans")
    assert page.locator(".finder-match").count() >= 1
    (change,) = labels("zh-hans", "Change")
    # Changing an earlier answer goes back to that question, keeping the ones before it.
    follow(page, page.locator(".finder-answers a").nth(1))
    assert "region=macau" in page.url and "carrier" not in page.url
    assert page.locator("input[name=carrier]").count() >= 2
    assert change
