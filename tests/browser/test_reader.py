"""A reader in a real browser: finding a guide, switching language without losing their place,
reading with JavaScript off, and pages every reader can use (axe-core, keyboard)."""

import re

import pytest
from django.conf import settings
from django.utils.translation import gettext, override

from kb.languages import HTML_LANG
from procedures.models import Procedure, Publication

from .conftest import follow, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "zh-hant", "en"]


def labels(language: str, *texts: str) -> list[str]:
    """Interface texts as a reader of this language sees them."""
    with override(language):
        return [gettext(text) for text in texts]


# Each language is once where the reader starts, once where the list is switched to, and once
# where the guide is switched to.
@pytest.mark.parametrize(
    "start, on_list, on_guide",
    [("en", "zh-hant", "zh-hans"), ("zh-hans", "en", "zh-hant"), ("zh-hant", "zh-hans", "en")],
)
def test_a_reader_filters_opens_a_guide_and_switches_language(page, demo, start, on_list, on_guide):
    names = dict(settings.LANGUAGES)
    main, all_guides, show = labels(start, "Main", "All guides", "Show guides")
    page.goto(f"/{start}/")
    follow(page, page.get_by_role("navigation", name=main).get_by_role("link", name=all_guides))
    page.select_option("#id_region", "macau")
    follow(page, page.get_by_role("button", name=show))
    page.select_option("#id_carrier", "ctm")
    follow(page, page.get_by_role("button", name=show))
    assert re.search(r"region=macau", page.url) and "carrier=ctm" in page.url
    guides = page.locator(".card-title a")
    links = [guides.nth(i).get_attribute("href") for i in range(guides.count())]
    # CTM's own guides, and Macau's guides for every operator.
    own = set(
        Procedure.objects.published().filter(carrier__slug="ctm").values_list("slug", flat=True)
    )
    region_wide = set(
        Procedure.objects.published()
        .filter(region__slug="macau", carrier=None)
        .values_list("slug", flat=True)
    )
    shown = {link.rstrip("/").rsplit("/", 1)[-1] for link in links}
    assert own & shown and region_wide & shown
    assert shown <= own | region_wide

    # Switching language on the filtered list keeps the filters.
    (language,) = labels(start, "Language")
    follow(
        page, page.get_by_role("navigation", name=language).get_by_role("link", name=names[on_list])
    )
    assert page.url.split("?")[0].endswith(f"/{on_list}/guides/")
    assert "region=macau" in page.url and "carrier=ctm" in page.url
    assert page.locator("html").get_attribute("lang") == HTML_LANG[on_list]
    assert page.locator("#id_carrier").input_value() == "ctm"
    assert page.locator(".card-title a").count() == len(links)

    # Switching language on a guide keeps the guide.
    follow(page, page.locator(".card-title a").first)
    guide_path = page.url.split(f"/{on_list}/")[1]
    title = page.locator("h1").inner_text()
    (language,) = labels(on_list, "Language")
    follow(
        page,
        page.get_by_role("navigation", name=language).get_by_role("link", name=names[on_guide]),
    )
    assert page.url.endswith(f"/{on_guide}/" + guide_path)
    assert page.locator("html").get_attribute("lang") == HTML_LANG[on_guide]
    assert page.locator("h1").inner_text() not in ("", title)  # the same guide, translated
    assert page.errors == []


def test_every_guide_reads_and_filters_work_without_javascript(page_without_javascript, demo):
    page = page_without_javascript
    page.goto("/zh-hans/guides/?sim=esim")
    assert "找到" in page.locator("#results-heading").inner_text()
    page.select_option("#id_region", "hong-kong")
    follow(page, page.locator(".filters button[type=submit]"))
    assert "region=hong-kong" in page.url and "sim=esim" in page.url
    assert page.locator(".card-title a").count() > 0

    slugs = sorted(Publication.objects.live().values_list("slug", flat=True))
    assert len(slugs) >= 30
    for number, slug in enumerate(slugs):
        language = LANGUAGES[number % len(LANGUAGES)]
        assert page.goto(f"/{language}/guides/{slug}/").status == 200, slug
        assert page.locator("h1").inner_text().strip(), slug
        details = page.locator(".step details")
        assert details.count() > 0, slug
        # Every step is open and readable; the "show all" button needs JavaScript.
        assert page.locator(".step details:not([open])").count() == 0, slug
        assert page.locator(".step-body").first.is_visible(), slug
        assert page.locator(".toggle-all").is_hidden(), slug


def test_steps_open_and_close_with_show_all(page, demo):
    page.goto("/en/guides/macau-3-prepaid-real-name/")
    toggle = page.locator(".toggle-all")
    assert toggle.is_visible() and toggle.inner_text() == "Hide all steps"
    toggle.click()
    assert page.locator(".step details[open]").count() == 0
    assert toggle.inner_text() == "Show all steps"
    toggle.click()
    assert page.locator(".step details:not([open])").count() == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_have_no_serious_accessibility_problems(page_without_csp, demo, axe, language):
    page = page_without_csp
    paths = {
        "home": f"/{language}/",
        "list": f"/{language}/guides/?region=macau",
        "guide": f"/{language}/guides/macau-esim-real-name/",
        "carrier": f"/{language}/carriers/ctm/",
        "region": f"/{language}/regions/hong-kong/",
    }
    for kind, path in paths.items():
        page.goto(path)
        page.add_script_tag(content=axe)
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            f"{violation['id']}: {violation['help']} ({len(violation['nodes'])}×)"
            for violation in result["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{path}: {serious}"
        if kind in ("home", "list", "guide"):
            screenshot(page, f"{kind}-{language}")


def test_the_keyboard_reaches_the_switcher_filters_and_steps(page, demo):
    page.goto("/en/guides/")
    reached = []
    for _press in range(40):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )
    assert "繁體中文" in reached and "id_region" in reached and "id_q" in reached
    page.focus("#id_region")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    page.goto("/en/guides/macau-3-prepaid-real-name/")
    page.locator(".step summary").first.focus()
    page.keyboard.press("Enter")  # closes the first step
    assert page.locator(".step details").first.get_attribute("open") is None
    page.keyboard.press("Enter")
    assert page.locator(".step details").first.get_attribute("open") is not None
