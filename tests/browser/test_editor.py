"""An editor in a real browser: a carrier and a guide with two channels written in three
languages, a step dragged into place, published, and read back on the site exactly as typed."""

import pytest
from django.contrib.auth import get_user_model

from procedures.models import Procedure, Region

from .conftest import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
TEXTS = {
    "zh-hans": {"carrier": "测试电讯", "title": "测试实名登记", "summary": "简体摘要",
                "steps": ["准备证件", "上传照片", "到营业厅"]},
    "zh-hant": {"carrier": "測試電訊", "title": "測試實名登記", "summary": "繁體摘要",
                "steps": ["準備證件", "上傳相片", "到門市"]},
    "en": {"carrier": "Test Telecom", "title": "Test real-name registration",
           "summary": "English summary",
           "steps": ["Prepare your ID", "Upload a photo", "Go to a store"]},
}  # fmt: skip


def switch_language(page, language):
    """The form's one content-language switch: every field and row shows this language."""
    page.locator(f'.content-language [data-language="{language}"]').click()


def log_in(page):
    get_user_model().objects.create_superuser("editor", "", PASSWORD)
    page.goto("/en/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/en/admin/")


def test_an_editor_writes_publishes_and_reads_a_guide(page):
    Region.objects.create(code="MO", slug="macau", name_zh_hans="澳门", name_en="Macao")
    log_in(page)

    page.goto("/en/admin/procedures/carrier/add/")
    page.select_option("#id_region", label="Macao")
    for language, texts in TEXTS.items():
        switch_language(page, language)
        page.fill(f"#id_name_{language.replace('-', '_')}", texts["carrier"])
    follow(page, page.get_by_role("button", name="Save", exact=True))
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    page.goto("/en/admin/procedures/procedure/add/")
    for language, texts in TEXTS.items():
        switch_language(page, language)
        code = language.replace("-", "_")
        page.fill(f"#id_title_{code}", texts["title"])
        page.fill(f"#id_summary_{code}", texts["summary"])
        # What every published guide states: time, cost, whom to ask (issue 16).
        page.fill(f"#id_processing_time_{code}", "5 min")
        page.fill(f"#id_fees_{code}", "0")
        page.fill(f"#id_official_contacts_{code}", "[1000](tel:1000)")
    page.fill("#id_slug", "test-real-name")
    page.locator(".field-carrier .select2-selection").click()
    page.locator(".select2-search__field").fill("Test")
    page.locator(".select2-results__option", has_text="Test Telecom").click()
    page.select_option("#id_kind", "real-name")
    page.check("#id_for_esim")
    page.fill("#id_last_verified_on", "2026-11-20")
    for index, channel in enumerate(["website", "website", "store"]):
        page.locator(".add-row a", has_text="Add another Step").click()
        page.select_option(f"#id_steps-{index}-channel", channel)
        for language, texts in TEXTS.items():
            switch_language(page, language)
            page.fill(
                f"#id_steps-{index}-title_{language.replace('-', '_')}", texts["steps"][index]
            )
    page.locator(".add-row a", has_text="Add another Note").click()
    page.select_option("#id_notes-0-kind", "trouble")
    for language in TEXTS:
        switch_language(page, language)
        page.fill(f"#id_notes-0-body_{language.replace('-', '_')}", "Call 1000.")
    page.locator(".add-row a", has_text="Add another Official source").click()
    for language in TEXTS:
        switch_language(page, language)
        page.fill(f"#id_sources-0-title_{language.replace('-', '_')}", "Regulator")
    page.fill("#id_sources-0-url", "https://regulator.example/")
    follow(page, page.get_by_role("button", name="Save and continue editing").first)
    # The click returns once the next page starts arriving: wait for its message or errors.
    page.wait_for_selector(".messagelist, .errornote")
    assert "was added successfully" in page.content(), page.locator(
        ".errornote, .errorlist"
    ).all_inner_texts()

    # Drag the second online step above the first.
    steps = page.locator("#steps-group .inline-related.has_original h3")
    steps.nth(1).drag_to(steps.nth(0))
    follow(page, page.get_by_role("button", name="Save and continue editing").first)
    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    guide = Procedure.objects.get(slug="test-real-name")
    assert list(guide.steps.values_list("title_en", flat=True)) == [
        "Upload a photo", "Prepare your ID", "Go to a store"
    ]  # fmt: skip

    follow(page, page.get_by_role("link", name="Publish…"))
    page.fill("#id_change_note_en", "First version")
    follow(page, page.get_by_role("button", name="Publish"))
    assert "is published" in page.locator(".messagelist").inner_text()

    follow(page, page.get_by_role("link", name="View on site"))
    page.wait_for_url("**/en/guides/test-real-name/?preview=1")
    assert page.locator("h1").inner_text() == TEXTS["en"]["title"]

    for language, texts in TEXTS.items():
        page.goto(f"/{language}/guides/test-real-name/")
        assert page.locator("h1").inner_text() == texts["title"]
        assert page.locator(".lead").inner_text() == texts["summary"]
        online = page.locator("#channel-website .step-title").all_inner_texts()
        assert online == [texts["steps"][1], texts["steps"][0]]
        assert page.locator("#channel-store .step-title").all_inner_texts() == [texts["steps"][2]]
    assert page.errors == []
