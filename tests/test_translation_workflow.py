"""Knowing what is missing or stale, drafting Traditional from Simplified, and telling readers
the truth about what they see."""

import io

import pytest
from django.core.management import call_command

from procedures import publishing
from procedures.models import FieldTranslation, Procedure, TranslationStatus
from procedures.translations import conversion
from procedures.translations import status as translation_status

from .factories import StepFactory, UserFactory, full_guide, publish
from .forms import form_data, save_guide_in_admin

pytestmark = pytest.mark.django_db

ADMIN = "/en/admin/procedures/procedure"


def status(obj, field, language):
    rows = translation_status.statuses_of(obj, language=language)
    return rows[field].status


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def edit(client, guide, **values):
    response = save_guide_in_admin(client, guide, **values)
    assert response.status_code == 302, response.content.decode()[:500]
    guide.refresh_from_db()
    return response


# --- Status transitions ---------------------------------------------------------------------------


def test_a_new_guide_written_in_three_languages_is_complete(editor):
    guide = full_guide(status=Procedure.Status.DRAFT)
    edit(editor, guide)
    for language in ("zh-hans", "zh-hant", "en"):
        assert status(guide, "title", language) == TranslationStatus.COMPLETE


def test_editing_the_source_makes_the_other_languages_stale(editor):
    guide = full_guide(status=Procedure.Status.DRAFT)
    edit(editor, guide)
    edit(editor, guide, title_zh_hans="简 新的标题")
    assert status(guide, "title", "zh-hans") == TranslationStatus.COMPLETE
    assert status(guide, "title", "zh-hant") == TranslationStatus.STALE
    assert status(guide, "title", "en") == TranslationStatus.STALE
    # Other fields are untouched.
    assert status(guide, "summary", "en") == TranslationStatus.COMPLETE


def test_a_minor_fix_keeps_translations_up_to_date(editor):
    guide = full_guide(status=Procedure.Status.DRAFT)
    edit(editor, guide)
    edit(editor, guide, title_zh_hans="简 指南。", minor_fix="on")
    assert status(guide, "title", "zh-hant") == TranslationStatus.COMPLETE
    assert status(guide, "title", "en") == TranslationStatus.COMPLETE


def test_updating_a_stale_translation_completes_it(editor):
    guide = full_guide(status=Procedure.Status.DRAFT)
    edit(editor, guide)
    edit(editor, guide, title_zh_hans="简 新的标题")
    edit(editor, guide, title_en="EN The new title")
    assert status(guide, "title", "en") == TranslationStatus.COMPLETE
    assert status(guide, "title", "zh-hant") == TranslationStatus.STALE
    assert status(guide, "title", "zh-hans") == TranslationStatus.COMPLETE


def test_the_source_is_the_language_an_editor_last_changed(editor):
    guide = full_guide(status=Procedure.Status.DRAFT)
    edit(editor, guide)
    edit(editor, guide, summary_en="EN A rewritten summary")
    assert status(guide, "summary", "en") == TranslationStatus.COMPLETE
    assert status(guide, "summary", "zh-hans") == TranslationStatus.STALE
    assert status(guide, "summary", "zh-hant") == TranslationStatus.STALE


def test_an_empty_translation_is_missing_and_steps_are_tracked_too(editor):
    guide = full_guide(
        status=Procedure.Status.DRAFT, eligibility_zh_hans="简 居民", eligibility_en=""
    )
    edit(editor, guide)
    assert status(guide, "eligibility", "en") == TranslationStatus.MISSING
    step = guide.steps.first()
    url = f"{ADMIN}/{guide.pk}/change/"
    data = form_data(editor.get(url).content.decode(), "procedure_form")
    for index in range(int(data["steps-TOTAL_FORMS"])):
        if data[f"steps-{index}-id"] == str(step.pk):
            data[f"steps-{index}-title_zh_hans"] = "简 改过的步骤"
    assert editor.post(url, data).status_code == 302
    assert status(step, "title", "en") == TranslationStatus.STALE


# --- Admin views ----------------------------------------------------------------------------------


def test_the_admin_shows_badges_filters_and_the_dashboard(editor):
    done = full_guide(title_en="All done")
    behind = full_guide(title_en="Behind")
    edit(editor, done)
    edit(editor, behind)
    edit(editor, behind, title_zh_hans="简 改了", summary_zh_hans="简 也改了")

    listing = editor.get(f"{ADMIN}/").content.decode()
    assert (
        'class="translation-badge needs-work" title="Stale: 2"><span aria-hidden="true">EN 2'
        in listing
    )
    assert '<span class="visually-hidden">English: 2 texts need work</span>' in listing
    assert 'class="translation-badge complete"' in listing
    needing = editor.get(f"{ADMIN}/?needs_translation=zh-hant").context["cl"].result_list
    assert list(needing) == [Procedure.objects.get(pk=behind.pk)]

    dashboard = editor.get(f"{ADMIN}/translations/")
    html = dashboard.content.decode()
    assert dashboard.status_code == 200
    assert "Stale: 2" in html and f'href="{ADMIN}/{behind.pk}/change/"' in html
    change = editor.get(f"{ADMIN}/{behind.pk}/change/").content.decode()
    # The marks sit on the two stale fields themselves, not on every language tab.
    assert 'id="content-marks"' in change
    assert '"title_en": "stale"' in change and '"summary_en": "stale"' in change


def test_translationstatus_prints_the_table_and_fails_on_request(editor):
    guide = full_guide(title_en="Behind")
    edit(editor, guide)
    out = io.StringIO()
    call_command("translationstatus", stdout=out)
    assert guide.slug in out.getvalue() and "complete" in out.getvalue()
    call_command("translationstatus", "--fail-on", "missing,stale", stdout=io.StringIO())

    edit(editor, guide, title_zh_hans="简 改了")
    with pytest.raises(SystemExit) as stopped:
        call_command(
            "translationstatus", "--fail-on", "missing,stale", stdout=out, stderr=io.StringIO()
        )
    assert stopped.value.code == 1
    call_command("translationstatus", "--fail-on", "missing", stdout=io.StringIO())  # none


# --- OpenCC ---------------------------------------------------------------------------------------


def test_conversion_uses_hong_kong_or_taiwan_usage_and_the_phrase_list():
    simplified = "请到澳门电讯营业厅激活预付卡，扫描二维码。"
    assert conversion.to_traditional(simplified) == "請到澳門電訊門市啟用儲值卡，掃描二維碼。"
    assert "QR 碼" in conversion.to_traditional(simplified, variant="tw")
    assert conversion.to_simplified("請到中國移動香港門市。") == "请到中国移动香港营业厅。"


def test_filling_traditional_marks_it_machine_converted_until_reviewed(editor):
    guide = full_guide(
        status=Procedure.Status.DRAFT,
        eligibility_zh_hans="澳门居民可在营业厅办理",
        eligibility_zh_hant="",
    )
    edit(editor, guide)
    preview = editor.post(
        f"{ADMIN}/", {"action": "fill_traditional", "_selected_action": [guide.pk]}
    )
    response = editor.post(
        f"{ADMIN}/", form_data(preview.content.decode(), "conversion-form"), follow=True
    )
    assert "machine-converted" in response.content.decode()
    guide.refresh_from_db()
    assert guide.eligibility_zh_hant == "澳門居民可在門市辦理"
    assert status(guide, "eligibility", "zh-hant") == TranslationStatus.MACHINE
    # Reviewed human translations are left alone.
    assert status(guide, "title", "zh-hant") == TranslationStatus.COMPLETE

    editor.post(
        f"{ADMIN}/", {"action": "mark_traditional_reviewed", "_selected_action": [guide.pk]}
    )
    assert status(guide, "eligibility", "zh-hant") == TranslationStatus.COMPLETE


def test_a_stale_human_translation_is_only_replaced_when_the_editor_agrees(editor):
    guide = full_guide(status=Procedure.Status.DRAFT)
    edit(editor, guide)
    edit(editor, guide, title_zh_hans="简 新标题")
    human = Procedure.objects.get(pk=guide.pk).title_zh_hant

    asked = editor.post(f"{ADMIN}/", {"action": "fill_traditional", "_selected_action": [guide.pk]})
    html = asked.content.decode()
    assert "A person’s translation" in html or "A person's translation" in html
    assert Procedure.objects.get(pk=guide.pk).title_zh_hant == human
    # Offered unticked: confirming as shown keeps the person's translation.
    editor.post(f"{ADMIN}/", form_data(html, "conversion-form"))
    assert Procedure.objects.get(pk=guide.pk).title_zh_hant == human

    key = f"{guide.pk}/procedures.procedure:{guide.pk}:title"
    data = form_data(html, "conversion-form")
    ticked = data.get("convert", [])
    ticked = [ticked] if isinstance(ticked, str) else ticked
    editor.post(f"{ADMIN}/", {**data, "convert": [*ticked, key]})
    assert Procedure.objects.get(pk=guide.pk).title_zh_hant == "简 新標題".replace("简", "簡")
    assert status(guide, "title", "zh-hant") == TranslationStatus.MACHINE


# --- Readers --------------------------------------------------------------------------------------


def test_a_missing_english_part_is_shown_in_chinese_and_said_so(client):
    guide = full_guide()
    StepFactory(procedure=guide, title_en="", title_zh_hans="简 只有中文的步骤", position=99)
    publish(guide)
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert (
        "Parts of this guide are not yet available in English; they are shown in 简体中文" in html
    )
    assert '<span lang="zh-Hans" class="fallback">简 只有中文的步骤</span>' in html
    zh = client.get(f"/zh-hans/guides/{guide.slug}/").content.decode()
    assert (
        "not yet available" not in zh
        and "尚未" not in zh.split("<main")[1].split("</article>")[0][:200]
    )


def test_missing_traditional_is_converted_and_labelled(client):
    guide = full_guide(summary_zh_hans="请到营业厅激活", summary_zh_hant="")
    html = client.get(f"/zh-hant/guides/{guide.slug}/").content.decode()
    assert (
        '<p class="lead"><span lang="zh-Hant" class="auto-converted">請到門市啟用</span></p>'
        in html
    )
    assert "自動轉換" in html or "converted automatically" in html


def test_a_stale_translation_points_to_the_newer_version(client, editor):
    guide = full_guide()
    edit(editor, guide)
    edit(editor, guide, summary_zh_hans="简 更新后的摘要")
    publishing.procedure_publish(procedure=guide)
    editor.logout()
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "The 简体中文 version of this guide was updated on" in html
    assert f'href="/zh-hans/guides/{guide.slug}/"' in html


def test_an_untranslated_page_says_so_and_stays_out_of_search_engines(client):
    guide = full_guide(title_en="", summary_en="")
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert "This guide is not yet available in English" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "(not yet translated)" in html.split("</title>")[0]
    assert 'hreflang="en"' not in html.split("</head>")[0]
    assert 'hreflang="zh-Hans"' in html.split("</head>")[0]
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"/zh-hans/guides/{guide.slug}/" in sitemap
    assert f"/en/guides/{guide.slug}/" not in sitemap


def test_statuses_follow_deleted_rows():
    guide = full_guide()
    step = guide.steps.first()
    translation_status.record(step, before=None)
    assert FieldTranslation.objects.filter(object_id=step.pk, field="title").exists()
    step.delete()
    assert not FieldTranslation.objects.filter(object_id=step.pk, field="title").exists()
