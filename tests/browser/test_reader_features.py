"""Reader features in a real browser: the guide finder (with and without JavaScript), offline
reading with the network cut, feedback, device variants and the remembered checklist."""

import os

import pytest
from django.utils.translation import gettext, override

from .conftest import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's offline mode does not reach a service worker's own requests unless their network
# events are on (microsoft/playwright#2311); read when its driver starts, after collection.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")


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


def _cut_the_network(context) -> None:
    """No network for the page nor for its service worker (see the note at the top)."""
    context.set_offline(True)
    context.route(
        "**",
        lambda route: (
            route.abort("internetdisconnected")
            if route.request.service_worker
            else route.continue_()
        ),
    )


def _wait_for_worker(page) -> None:
    """Until the service worker controls the page (it claims open pages when it activates)."""
    # Not wait_for_function: its polling evaluates strings, which the strict CSP forbids.
    page.evaluate(
        """async () => {
            await navigator.serviceWorker.ready;
            if (navigator.serviceWorker.controller) return;
            const worker = navigator.serviceWorker;
            await new Promise((resolve) =>
                worker.addEventListener("controllerchange", resolve, {once: true}));
        }"""
    )


def test_guides_opened_or_saved_are_readable_with_the_network_cut(page, demo):
    page.goto("/en/guides/macau-real-name-registration/")
    _wait_for_worker(page)
    (save, remove) = labels("en", "Save for offline", "Remove from this device")
    button = page.get_by_role("button", name=save)
    button.click()
    page.get_by_role("button", name=remove).wait_for()
    assert "Saved on this device on" in page.locator(".offline-save-status").inner_text()
    # Opened in another language, under the worker: kept as the reader read it.
    page.goto("/zh-hant/guides/hong-kong-sim-registration-rules/")
    title_hant = page.locator("h1").first.inner_text()
    page.evaluate(
        """async () => {
            const cache = await caches.open("kb-opened-v1");
            for (let i = 0; i < 100 && !(await cache.match(location.href)); i++) {
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        }"""
    )
    page.goto("/en/guides/macau-real-name-registration/")
    online_title = page.locator("h1").first.inner_text()

    _cut_the_network(page.context)
    page.goto("/en/guides/macau-real-name-registration/")
    assert page.locator("h1").first.inner_text() == online_title
    notice = page.locator("#offline-notice")
    assert notice.is_visible()
    assert "You are offline" in notice.inner_text()
    assert page.locator(".step").count() >= 1
    page.goto("/zh-hant/guides/hong-kong-sim-registration-rules/")
    assert page.locator("h1").first.inner_text() == title_hant
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    (offline_label,) = labels("zh-hant", "Offline copy")
    assert offline_label in page.locator("#offline-notice").inner_text()

    # A guide never opened: the list of what is kept, not the browser's error page.
    page.goto("/en/guides/us-tmobile-cancel/")
    saved = page.locator("[data-saved-guides-list] a")
    saved.first.wait_for()
    assert any(
        "/en/guides/macau-real-name-registration/" in h
        for h in [saved.nth(i).get_attribute("href") for i in range(saved.count())]
    )
    assert page.locator("[data-offline-only]").is_visible()
    page.context.set_offline(False)
    assert page.errors == []


def test_the_admin_is_never_kept_for_offline(page, demo):
    page.goto("/en/guides/macau-real-name-registration/")
    _wait_for_worker(page)
    page.reload()  # now through the worker, which keeps the guide
    page.goto("/en/admin/login/")
    # The worker stores pages after answering them: wait (up to 5 s) until something is kept,
    # else an empty cache would pass for "no admin page kept" (it did, on a busy CI machine).
    kept = page.evaluate(
        """async () => {
            for (let attempt = 0; attempt < 50; attempt++) {
                const urls = [];
                for (const name of await caches.keys()) {
                    const cache = await caches.open(name);
                    for (const request of await cache.keys()) urls.push(request.url);
                }
                if (urls.some((url) => url.includes("/guides/"))) return urls;
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            return [];
        }"""
    )
    assert kept and not [url for url in kept if "/admin/" in url]


def test_a_reader_reports_a_step_and_the_editor_finds_it_in_the_inbox(page, demo):
    from django.contrib.auth import get_user_model

    (report, send, outdated) = labels(
        "zh-hant", "Report a problem with this step", "Send", "Out of date"
    )
    page.goto("/zh-hant/guides/macau-real-name-registration/")
    step_title = page.locator(".step .step-title").first.inner_text()
    follow(page, page.get_by_role("link", name=report).first)
    assert step_title in page.locator(".lead").inner_text()
    page.get_by_label(outdated).check()
    page.get_by_role("textbox").first.fill("營業時間改了")
    follow(page, page.get_by_role("button", name=send))
    (thanks,) = labels("zh-hant", "Thank you")
    assert page.locator("h1").inner_text() == thanks

    get_user_model().objects.create_superuser("editor", "", "correct horse battery staple")
    page.goto("/en/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery staple")
    follow(page, page.get_by_role("button", name="Log in"))
    page.goto("/en/admin/procedures/feedback/")
    row = page.locator("#result_list tbody tr").first
    assert "營業時間改了" in row.inner_text() and step_title in row.inner_text()
    assert page.locator("#changelist-filter").get_by_text("(1)").count() >= 1
    assert page.errors == []


VARIANT_STEP = """Open the settings.

{for iphone}
Tap Cellular, then Add eSIM.
{/for}
{for android}
Tap Connections, then SIM manager.
{/for}
{for samsung}
Tap Connections, then SIM manager, then Add eSIM.
{/for}
"""


def _guide_with_variants():
    from tests.factories import StepFactory, full_guide, publish

    guide = full_guide(channels=("website",))
    StepFactory(procedure=guide, channel="website", body_en=VARIANT_STEP)
    publish(guide)
    return guide


def test_a_reader_picks_their_phone_once(page):
    guide = _guide_with_variants()
    page.goto(f"/en/guides/{guide.slug}/")
    variants = page.locator(".device-variant")
    assert variants.count() == 3
    page.get_by_role("button", name="Samsung Galaxy").click()
    visible = [variants.nth(i).is_visible() for i in range(3)]
    assert visible == [False, False, True]  # Samsung's own, not the general Android one
    page.reload()
    assert [variants.nth(i).is_visible() for i in range(3)] == [False, False, True]
    assert page.get_by_role("button", name="Samsung Galaxy").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="iPhone").click()
    assert [variants.nth(i).is_visible() for i in range(3)] == [True, False, False]
    page.get_by_role("button", name="Show all phones").click()
    assert all(variants.nth(i).is_visible() for i in range(3))
    assert page.errors == []


def test_without_javascript_every_phone_s_section_shows_labelled(page_without_javascript):
    page = page_without_javascript
    guide = _guide_with_variants()
    page.goto(f"/en/guides/{guide.slug}/")
    variants = page.locator(".device-variant")
    assert all(variants.nth(i).is_visible() for i in range(variants.count()))
    labels_shown = page.locator(".device-variant-label").all_inner_texts()
    assert labels_shown == ["iPhone", "Android phones", "Samsung Galaxy"]
    assert not page.locator("[data-device-picker]").is_visible()


def test_checklist_ticks_are_remembered_and_print_shows_every_answer(page):
    from tests.factories import full_guide

    guide = full_guide(channels=("website",))
    page.goto(f"/en/guides/{guide.slug}/")
    boxes = page.locator(".documents .checklist input[type=checkbox]")
    assert boxes.count() == 2
    boxes.nth(1).check()
    page.reload()
    assert [boxes.nth(i).is_checked() for i in range(2)] == [False, True]
    page.goto(f"/zh-hant/guides/{guide.slug}/")  # the same guide in another language
    assert boxes.nth(1).is_checked()

    page.goto(f"/en/guides/{guide.slug}/")
    answers = page.locator(".faq > div")
    assert not answers.first.is_visible()  # questions start closed
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    assert all(answers.nth(i).is_visible() for i in range(answers.count()))
    source = page.locator(".sources a[href^='http']").first
    after = source.evaluate("a => getComputedStyle(a, '::after').content")
    assert "regulator.example" in after  # the link's address is printed
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")

    # "Print checklist" prints the title and what to bring only.
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print checklist").click()
    assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    assert page.locator(".documents").is_visible()
    assert not page.locator(".steps").is_visible()
    assert not page.locator(".faqs").is_visible()
    assert page.errors == []
