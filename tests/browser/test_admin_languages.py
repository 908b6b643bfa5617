"""The guide form in a real browser: one content-language switch changes every field and every
inline row at once, is remembered, and stays apart from the admin's own language; fields whose
translation needs work carry their own mark."""

import pytest
from django.contrib.auth import get_user_model

from procedures.models import Procedure, Step
from procedures.translations import status as translation_status
from tests.factories import full_guide

from .conftest import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def log_in(page, prefix="/en"):
    get_user_model().objects.create_superuser("editor", "", PASSWORD)
    page.goto(f"{prefix}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    follow(page, page.locator("input[type=submit]"))


def visible(page, selector) -> bool:
    return page.locator(selector).is_visible()


def test_one_switch_changes_every_field_and_row_and_is_remembered(page):
    guide = full_guide(steps_per_channel=1)
    Procedure.objects.filter(pk=guide.pk).update(summary_zh_hant="")
    translation_status.record(Procedure.objects.get(pk=guide.pk), before=None)
    log_in(page)
    page.goto(f"/en/admin/procedures/procedure/{guide.pk}/change/")
    switch = page.locator(".content-language")
    names = switch.locator("button").evaluate_all(
        "buttons => buttons.map(b => b.firstChild.textContent.trim())"
    )
    assert names == ["简体中文", "繁體中文", "English"]
    # Only Traditional has a field to do (its count is read out as "To do: 1").
    assert switch.locator('[data-language="zh-hant"] .content-language-count').text_content() == (
        "To do: 1"
    )
    assert not switch.locator('[data-language="en"] .content-language-count').is_visible()
    # No language codes left in the labels, and one switch per form, not one per field.
    assert "[en]" not in page.locator("#content-main").inner_text()
    assert page.locator(".content-language").count() == 1

    page.get_by_role("button", name="English").click()
    assert visible(page, "#id_title_en") and visible(page, "#id_steps-0-title_en")
    assert visible(page, "#id_notes-0-body_en") and visible(page, "#id_sources-0-title_en")
    assert not visible(page, "#id_title_zh_hans")
    assert not visible(page, "#id_steps-0-title_zh_hans")
    assert not visible(page, "#id_sources-0-title_zh_hans")

    page.locator('.content-language [data-language="zh-hant"]').click()
    assert visible(page, "#id_title_zh_hant") and visible(page, "#id_steps-1-title_zh_hant")
    assert not visible(page, "#id_title_en") and not visible(page, "#id_steps-0-title_en")
    # The stale or missing field carries its own mark; the others do not.
    summary = page.locator(".field-summary_zh_hant")
    assert summary.locator(".mt-mark").inner_text() == "Missing"
    assert page.locator(".field-title_zh_hant .mt-mark").count() == 0
    # A row added now opens on the chosen language too.
    page.locator(".add-row a", has_text="Add another Step").click()
    added = Step.objects.filter(procedure=guide).count()
    assert visible(page, f"#id_steps-{added}-title_zh_hant")
    assert not visible(page, f"#id_steps-{added}-title_zh_hans")

    # Remembered on the next form; the interface stays in English.
    page.goto(f"/en/admin/procedures/procedure/{guide.pk}/change/")
    assert visible(page, "#id_title_zh_hant") and not visible(page, "#id_title_en")
    assert page.locator("#content h1").inner_text().startswith("Change")
    # The interface language changes apart from the texts' language.
    follow(page, page.locator(".admin-languages a", has_text="简体中文"))
    assert page.locator("#content h1").inner_text().startswith("修改")
    assert visible(page, "#id_title_zh_hant") and not visible(page, "#id_title_zh_hans")
    # A link from the dashboard asks for a language.
    page.goto(f"/en/admin/procedures/procedure/{guide.pk}/change/?language=en")
    assert visible(page, "#id_title_en") and not visible(page, "#id_title_zh_hant")
    assert page.errors == []
