"""The admin's screens in a real browser, as editors meet them: the translation dashboard from
the index, a refused Publish explained before anything is typed, the conversion preview with a
text left out, the guide list at 1280 px, and the guide screens in each interface language with
no label left untranslated."""

import re

import pytest
from django.contrib.auth.models import Group, Permission

from procedures import editorial
from procedures.models import Procedure
from procedures.translations import status as translation_status
from tests.factories import UserFactory, full_guide

from .conftest import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
ADMIN = "/admin/procedures/procedure"


def log_in(page, *, group=None, superuser=False, prefix="/en"):
    user = UserFactory(username="someone", is_staff=True, is_superuser=superuser)
    user.set_password(PASSWORD)
    user.save()
    if group:
        # The roles' groups come from a data migration, which a transactional test flushes.
        role, _created = Group.objects.get_or_create(name=group)
        role.permissions.set(
            Permission.objects.filter(
                content_type__app_label="procedures",
                codename__in=["view_procedure", "change_procedure", "publish_procedure"],
            )
        )
        user.groups.add(role)
    page.goto(f"{prefix}/admin/login/")
    page.fill("#id_username", "someone")
    page.fill("#id_password", PASSWORD)
    follow(page, page.locator("input[type=submit]"))
    return user


def needs_traditional(**fields):
    guide = full_guide(status=Procedure.Status.DRAFT, steps_per_channel=1, **fields)
    Procedure.objects.filter(pk=guide.pk).update(summary_zh_hant="")
    translation_status.record(Procedure.objects.get(pk=guide.pk), before=None)
    return guide


def test_the_dashboard_is_reached_from_the_index_and_opens_the_field_to_do(page):
    guide = needs_traditional(title_en="Needs Traditional")
    log_in(page, superuser=True)
    follow(page, page.get_by_role("link", name="Translations that need work"))
    assert "Needs Traditional" in page.locator("#content").inner_text()
    follow(page, page.locator(f'a[href$="/{guide.pk}/change/?language=zh-hant"]'))
    # The guide opens on Traditional Chinese, with the missing field marked.
    assert page.locator("#id_summary_zh_hant").is_visible()
    assert not page.locator("#id_summary_en").is_visible()
    assert page.locator(".field-summary_zh_hant .mt-mark").inner_text() == "Missing"
    assert page.errors == []


def test_a_publisher_who_edited_last_sees_why_before_filling_anything(page, settings):
    settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR = True
    guide = full_guide(status=Procedure.Status.IN_REVIEW)
    user = log_in(page, group="Publisher")
    editorial.procedure_mark_edited(procedure=guide, user=user)
    page.goto(f"/en{ADMIN}/{guide.pk}/change/")
    refused = page.locator(".workflow-refused")
    assert refused.get_attribute("aria-disabled") == "true"
    assert "another publisher must review and publish it" in refused.inner_text()
    assert page.locator(f'a[href$="/{guide.pk}/publish/"]').count() == 0


def test_the_conversion_preview_writes_only_the_ticked_texts(page):
    guide = full_guide(status=Procedure.Status.DRAFT, steps_per_channel=1)
    Procedure.objects.filter(pk=guide.pk).update(
        title_zh_hans="注销澳门的号码",
        title_zh_hant="",
        summary_zh_hans="请到营业厅",
        summary_zh_hant="",
    )
    translation_status.record(Procedure.objects.get(pk=guide.pk), before=None)
    log_in(page, superuser=True)
    page.goto(f"/en{ADMIN}/")
    page.locator(f'input[name="_selected_action"][value="{guide.pk}"]').check()
    page.select_option("select[name=action]", "fill_traditional")
    follow(page, page.locator("button[name=index], .actions button[type=submit]").first)
    preview = page.locator(".conversion-preview")
    title_row = preview.locator("tr", has_text="註銷澳門的號碼")
    assert title_row.locator("input[type=checkbox]").is_checked()
    summary_row = preview.locator("tr", has_text="請到門市")
    assert "(empty)" in summary_row.inner_text()
    summary_row.locator("input[type=checkbox]").uncheck()
    follow(page, page.get_by_role("button", name="Write the ticked texts"))
    assert "of 1 guide with OpenCC" in page.locator(".messagelist").inner_text()
    guide.refresh_from_db()
    assert guide.title_zh_hant == "註銷澳門的號碼"
    assert guide.summary_zh_hant == ""


def test_the_guide_list_fits_1280_pixels_with_spoken_badges(page):
    needs_traditional(title_en="A guide with a rather long English title to show it wraps")
    log_in(page, superuser=True)
    page.goto(f"/en{ADMIN}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    badge = page.locator(".translation-badge.needs-work").first
    assert badge.locator(".visually-hidden").text_content() == "繁體中文: 1 text needs work"


# Words allowed in Latin letters in a Chinese admin: names, not interface text.
LATIN_NAMES = {"SIM", "eSIM", "OpenCC", "English", "URL", "FAQ", "QR", "CSV", "XLIFF", "Markdown"}
# The device keywords of a step's sections ({for iphone}…{/for}): syntax editors type as is.
LATIN_NAMES |= {"for", "iphone", "android", "samsung", "pixel", "other"}
LABELS = (
    "label, legend, fieldset h2, #changelist-filter h2, #changelist-filter h3, thead th, "
    "#content h1, .object-tools a, .object-tools button, .content-language-label, "
    "input[type=submit], .submit-row a, .help"
)


def untranslated(page, language) -> list[str]:
    texts = page.locator(LABELS).evaluate_all(
        "nodes => nodes.filter(n => n.offsetParent !== null || n.tagName === 'INPUT')"
        ".map(n => (n.value && n.tagName === 'INPUT') ? n.value : n.textContent.trim())"
    )
    found = []
    for text in texts:
        if re.search(r"\[(zh-hans|zh-hant|en)\]", text):
            found.append(text)
        elif language.startswith("zh"):
            # Acronyms in capitals (CTT, CTM) are names too.
            words = set(re.findall(r"[A-Za-z]*[a-z][A-Za-z]*", text)) - LATIN_NAMES
            words = {word for word in words if len(word) > 2}
            if words:
                found.append(text)
        elif re.search(r"[\u4e00-\u9fff]", text) and not re.search(
            r"简体中文|繁體中文|简|繁", text
        ):
            found.append(text)
    return found


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_guide_screens_have_no_untranslated_label(page, language):
    guide = needs_traditional(title_en="Guide", title_zh_hans="指南", title_zh_hant="指南")
    log_in(page, superuser=True, prefix=f"/{language}")
    for url in (f"{ADMIN}/", f"{ADMIN}/{guide.pk}/change/", f"{ADMIN}/{guide.pk}/publish/"):
        page.goto(f"/{language}{url}")
        found = untranslated(page, language)
        assert found == [], (url, found)
