"""The reader's design in a real browser: results on the first screen of a phone, the filters
behind "Filter (n)" with and without JavaScript, step links, breadcrumbs, and pages with no
serious accessibility problem in three languages, on a phone and a desktop, light and dark.

The accessibility test also takes the README's screenshots: with KB_SCREENSHOTS=docs it writes
them into docs/screenshots/ (otherwise into test-artifacts/, so a test run leaves the work
tree as it was)."""

import json
import os

import pytest
from django.utils.translation import gettext, override

from .conftest import ARTIFACTS, ROOT, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["zh-hans", "zh-hant", "en"]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SCREEN_HEIGHT = 844
GUIDE = "macau-3-prepaid-real-name"


def _context(chromium, live_server, *, device, **options):
    context = chromium.new_context(base_url=live_server.url, **device, **options)
    page = context.new_page()
    page.errors, page.csp_reports = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_reports.append(message.text)
        ),
    )
    return context, page


@pytest.fixture
def phone(chromium, live_server):
    context, page = _context(chromium, live_server, device=PHONE)
    yield page
    context.close()


@pytest.fixture
def phone_without_javascript(chromium, live_server):
    context, page = _context(chromium, live_server, device=PHONE, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def desktop(chromium, live_server):
    context, page = _context(
        chromium, live_server, device=DESKTOP, permissions=["clipboard-read", "clipboard-write"]
    )
    yield page
    context.close()


def top_of(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


@pytest.mark.parametrize(
    "path",
    ["/zh-hans/guides/", "/zh-hant/guides/?region=macau&carrier=ctm", "/en/guides/?q=esim"],
)
@pytest.mark.parametrize("javascript", [True, False])
def test_the_first_result_starts_on_the_first_screen_of_a_phone(
    chromium, live_server, demo, path, javascript
):
    context, page = _context(chromium, live_server, device=PHONE, java_script_enabled=javascript)
    page.goto(path)
    first = page.locator(".results .card").first
    assert first.is_visible()
    # The top of the first card and its title are on the screen without scrolling.
    assert top_of(page, ".results .card-title") + 24 < SCREEN_HEIGHT, path
    assert page.locator("#id_region").is_hidden()  # the filters wait behind "Filter (n)"
    context.close()


def test_filters_open_from_filter_n_and_chips_remove_them_without_javascript(
    phone_without_javascript, demo
):
    page = phone_without_javascript
    page.goto("/en/guides/?region=macau&carrier=ctm")
    toggle = page.locator(".filter-toggle")
    assert toggle.inner_text().strip() == "Filter (2)"
    chips = page.locator(".chips .chip")
    assert chips.count() == 2
    assert "Region: Macao" in chips.nth(0).inner_text()

    toggle.click()  # a plain <details>: opens without JavaScript
    assert page.locator("#id_region").is_visible()
    page.select_option("#id_kind", "real-name")
    follow(page, page.locator(".filters button[type=submit]"))
    assert "kind=real-name" in page.url
    assert page.locator(".filter-toggle").inner_text().strip() == "Filter (3)"

    # Each chip is a link that removes its filter and keeps the others.
    remove_region = page.get_by_role("link", name="Remove the filter Region: Macao")
    follow(page, remove_region)
    assert "region=" not in page.url
    assert "carrier=ctm" in page.url and "kind=real-name" in page.url
    assert page.locator(".filter-toggle").inner_text().strip() == "Filter (2)"
    assert page.locator(".results .card").count() > 0


def test_filters_are_open_on_a_desktop_and_collapsed_on_a_phone_with_javascript(
    desktop, phone, demo
):
    desktop.goto("/en/guides/")
    assert desktop.locator("#id_region").is_visible()
    assert desktop.locator(".filter-toggle").is_hidden()
    phone.goto("/en/guides/")
    assert phone.locator("#id_region").is_hidden()
    phone.locator(".filter-toggle").click()
    assert phone.locator("#id_region").is_visible()
    assert not desktop.errors and not phone.errors


def test_every_step_has_an_anchor_and_a_link_to_it_without_javascript(
    phone_without_javascript, demo
):
    page = phone_without_javascript
    page.goto(f"/en/guides/{GUIDE}/")
    steps = page.locator(".step")
    ids = [steps.nth(i).get_attribute("id") for i in range(steps.count())]
    assert ids and all(ids) and len(set(ids)) == len(ids)
    links = page.locator(".step .step-link")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        f"#{anchor}" for anchor in ids
    ]
    second = links.nth(1)
    assert second.locator(".step-link-text").inner_text() == "Copy link"
    second.click()
    assert page.url.endswith(f"#{ids[1]}")
    assert page.locator(".step:target").get_attribute("id") == ids[1]
    # The same step has the same anchor in another language.
    page.goto(f"/zh-hant/guides/{GUIDE}/#{ids[1]}")
    assert page.locator(".step:target").count() == 1


def test_copy_link_copies_the_steps_address_with_javascript(desktop, demo, live_server):
    page = desktop
    page.goto(f"/en/guides/{GUIDE}/")
    link = page.locator(".step .step-link").first
    anchor = link.get_attribute("href")
    link.click()
    assert page.evaluate("navigator.clipboard.readText()") == (
        f"{live_server.url}/en/guides/{GUIDE}/{anchor}"
    )
    assert link.locator(".step-link-text").inner_text() == "Link copied"
    assert page.url.endswith(anchor) and not page.errors


@pytest.mark.parametrize("language", LANGUAGES)
def test_breadcrumbs_and_their_structured_data(desktop, demo, live_server, language):
    page = desktop
    page.goto(f"/{language}/guides/{GUIDE}/")
    with override(language):
        home, crumbs_label = gettext("Home"), gettext("Breadcrumbs")
    crumbs = page.get_by_role("navigation", name=crumbs_label).get_by_role("link")
    names = [crumbs.nth(i).inner_text() for i in range(crumbs.count())]
    assert names[0] == home and len(names) == 3  # home, region, operator
    follow(page, crumbs.nth(2))
    assert page.url.endswith(f"/{language}/carriers/3-macau/") or "/carriers/" in page.url
    page.go_back()

    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] == "BreadcrumbList"
    items = data["itemListElement"]
    assert [item["position"] for item in items] == [1, 2, 3, 4]
    assert items[0]["name"] == home
    assert items[-1]["name"] == page.locator("h1").inner_text()
    assert items[-1]["item"].endswith(f"/{language}/guides/{GUIDE}/")
    # A data block, never run: the Content Security Policy has nothing to report.
    assert not page.csp_reports and not page.errors

    # The list, operator and region pages have them too, with absolute addresses.
    for path in (f"/{language}/guides/", f"/{language}/regions/macau/"):
        page.goto(path)
        data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
        assert data["itemListElement"][-1]["item"] == live_server.url + path
        assert page.get_by_role("navigation", name=crumbs_label).is_visible()


def test_a_guide_shows_on_this_page_and_its_steps_within_two_phone_screens(phone, demo):
    for language in LANGUAGES:
        phone.goto(f"/{language}/guides/{GUIDE}/")
        assert top_of(phone, ".on-this-page") < SCREEN_HEIGHT
        assert top_of(phone, ".step") < 2 * SCREEN_HEIGHT, language
        with override(language):
            steps = gettext("Steps")
        phone.locator(".on-this-page").get_by_role("link", name=steps).first.click()
        assert phone.url.endswith("#steps-heading") or "#channel-" in phone.url


def _shoot(page, name: str) -> None:
    folder = (
        ROOT / "docs" / "screenshots"
        if os.environ.get("KB_SCREENSHOTS") == "docs"
        else ARTIFACTS / "screenshots"
    )
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.jpg"), type="jpeg", quality=70)


@pytest.mark.parametrize("device", ["phone", "desktop"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_serious_accessibility_problems_on_a_phone_and_a_desktop(
    chromium, live_server, demo, axe, language, device
):
    options = PHONE if device == "phone" else DESKTOP
    context, page = _context(chromium, live_server, device=options, bypass_csp=True)
    paths = {
        "home": f"/{language}/",
        "list": f"/{language}/guides/?region=macau",
        "search": f"/{language}/guides/?q=esim",
        "guide": f"/{language}/guides/{GUIDE}/",
    }
    for kind, path in paths.items():
        page.goto(path)
        page.add_script_tag(content=axe)
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            f"{violation['id']}: {violation['help']} "
            f"({[node['html'][:120] for node in violation['nodes']]})"
            for violation in result["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{device} {path}: {serious}"
        _shoot(page, f"{kind}-{language}-{device}")
    context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_dark_mode_keeps_every_contrast(chromium, live_server, demo, axe, device):
    options = PHONE if device == "phone" else DESKTOP
    context, page = _context(
        chromium, live_server, device=options, bypass_csp=True, color_scheme="dark"
    )
    for path in ("/en/", "/en/guides/?q=esim", f"/zh-hant/guides/{GUIDE}/"):
        page.goto(path)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(16, 22, 29)"  # the dark surface
        page.add_script_tag(content=axe)
        result = page.evaluate("async () => await axe.run(document)")
        serious = [
            (v["id"], [node["html"][:120] for node in v["nodes"]])
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not serious, f"{device} {path}: {serious}"
    context.close()
