"""Editors at work in the admin: one screen per guide, three languages, ordered steps, errors
shown where they happened with nothing typed lost."""

import pytest

from procedures.models import Procedure, Step

from .factories import (
    CarrierFactory,
    DocumentFactory,
    ProcedureFactory,
    StepFactory,
    UserFactory,
)
from .forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> None:
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))


def form_errors(response) -> dict:
    """Every error on an admin change form, its inlines included, for assertion messages."""
    errors = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.total_error_count():
            errors[formset.prefix] = [formset.non_form_errors(), formset.errors]
    return errors


def step_row(channel, title, position=""):
    return {
        "channel": channel,
        "title_zh_hans": f"{title}（简）",
        "title_zh_hant": f"{title}（繁）",
        "title_en": title,
        "body_zh_hans": "",
        "body_zh_hant": "",
        "body_en": f"How to {title.lower()}.",
        "position": position,
    }


def test_editor_creates_a_guide_with_steps_in_three_languages(editor):
    carrier = CarrierFactory()
    passport = DocumentFactory()
    page = editor.get("/en/admin/procedures/procedure/add/")
    assert page.status_code == 200
    html = page.content.decode()
    # One switch shows one of the three languages in the whole form; steps are sortable inlines.
    assert 'class="content-language"' in html and "简体中文" in html
    assert "/static/admin/procedures/content-language.js" in html
    assert "adminsortable2" in html
    # Everything the editor's browser needs comes from this site, never from a CDN.
    assert "//ajax.googleapis.com" not in html and "tabbed_translation_fields.js" not in html

    data = form_data(html, "procedure_form")
    data.update(
        {
            "title_zh_hans": "登记实名",
            "title_zh_hant": "登記實名",
            "title_en": "Register your name",
            "summary_zh_hans": "简体摘要",
            "summary_zh_hant": "繁體摘要",
            "summary_en": "English summary",
            "slug": "register-your-name",
            "carrier": str(carrier.pk),
            "kind": "real-name",
            "for_esim": "on",
            "requirement": "required",
            "status": "published",
            "last_verified_on": "2026-11-20",
        }
    )
    add_inline_rows(
        data,
        "steps",
        [
            step_row("website", "Open the site", 1),
            step_row("website", "Upload your ID", 2),
            step_row("store", "Visit a store", 3),
        ],
    )
    add_inline_rows(data, "procedure_documents", [{"document": str(passport.pk), "position": 1}])
    add_inline_rows(
        data,
        "sources",
        [
            {
                "title_zh_hans": "监管机构",
                "title_en": "Regulator",
                "url": "https://regulator.example/",
                "language": "en",
            }
        ],
    )

    response = editor.post("/en/admin/procedures/procedure/add/", data)

    assert response.status_code == 302, form_errors(response)
    guide = Procedure.objects.get(slug="register-your-name")
    assert guide.region == carrier.region
    assert [step.title_en for step in guide.steps.all()] == [
        "Open the site",
        "Upload your ID",
        "Visit a store",
    ]
    assert guide.steps.first().title_zh_hant == "Open the site（繁）"
    assert list(guide.documents.all()) == [passport]
    for language, title in [("zh-hans", "登记实名"), ("zh-hant", "登記實名"), ("en", "Register")]:
        assert title in editor.get(f"/{language}/guides/register-your-name/").content.decode()


def test_missing_required_field_is_shown_next_to_it_and_nothing_typed_is_lost(editor):
    page = editor.get("/en/admin/procedures/procedure/add/")
    data = form_data(page.content.decode(), "procedure_form")
    data.update(
        {
            "title_zh_hans": "",
            "title_en": "My English title",
            "summary_zh_hans": "摘要",
            "slug": "kept-slug",
            "kind": "activation",
            "requirement": "required",
            "status": "draft",
        }
    )
    add_inline_rows(data, "steps", [step_row("store", "Bring your passport")])

    response = editor.post("/en/admin/procedures/procedure/add/", data)

    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["adminform"].form
    assert "title_zh_hans" in form.errors
    assert "This field is required." in html
    assert 'value="My English title"' in html
    assert 'value="kept-slug"' in html
    assert 'value="Bring your passport"' in html
    assert not Procedure.objects.exists()


def test_reordering_steps_swaps_them_without_a_clash(editor):
    guide = ProcedureFactory()
    first = StepFactory(procedure=guide, position=1, title_en="First")
    second = StepFactory(procedure=guide, position=2, title_en="Second")
    third = StepFactory(procedure=guide, position=3, title_en="Third")
    url = f"/en/admin/procedures/procedure/{guide.pk}/change/"
    data = form_data(editor.get(url).content.decode(), "procedure_form")
    # What the drag and drop script does: renumber the hidden position fields.
    positions = {first.pk: "3", second.pk: "1", third.pk: "2"}
    for index in range(int(data["steps-TOTAL_FORMS"])):
        data[f"steps-{index}-position"] = positions[int(data[f"steps-{index}-id"])]

    response = editor.post(url, data)

    assert response.status_code == 302
    assert [step.title_en for step in guide.steps.all()] == ["Second", "Third", "First"]
    assert [step.position for step in guide.steps.all()] == [1, 2, 3]


def test_deleting_a_step_renumbers_the_rest(editor):
    guide = ProcedureFactory()
    StepFactory(procedure=guide, position=1, title_en="Keep me")
    gone = StepFactory(procedure=guide, position=2, title_en="Delete me")
    StepFactory(procedure=guide, position=3, title_en="Me too")
    url = f"/en/admin/procedures/procedure/{guide.pk}/change/"
    data = form_data(editor.get(url).content.decode(), "procedure_form")
    for index in range(int(data["steps-TOTAL_FORMS"])):
        if data[f"steps-{index}-id"] == str(gone.pk):
            data[f"steps-{index}-DELETE"] = "on"

    assert editor.post(url, data).status_code == 302
    assert [(s.position, s.title_en) for s in guide.steps.all()] == [(1, "Keep me"), (2, "Me too")]
    assert not Step.objects.filter(pk=gone.pk).exists()


@pytest.mark.parametrize(
    "language, words",
    [
        ("zh-hans", ["步骤", "运营商", "最后核实日期"]),
        ("zh-hant", ["步驟", "營辦商", "最後核實日期"]),
        ("en", ["Steps", "Carrier", "Last verified on"]),
    ],
)
def test_the_admin_speaks_each_language(editor, language, words):
    guide = ProcedureFactory()
    html = editor.get(f"/{language}/admin/procedures/procedure/{guide.pk}/change/").content.decode()
    for word in words:
        assert word in html


def test_guide_list_in_admin_filters_and_searches(editor):
    wanted = ProcedureFactory(title_en="Find me", title_zh_hans="找我")
    ProcedureFactory(title_en="Not this one")
    found = editor.get("/en/admin/procedures/procedure/?q=找我").context["cl"].result_list
    assert list(found) == [wanted]
    response = editor.get(f"/en/admin/procedures/procedure/?region__id__exact={wanted.region_id}")
    assert list(response.context["cl"].result_list) == [wanted]
    for title in ["By region", "By carrier", "By kind", "By status"]:
        assert title in response.content.decode()


def test_view_on_site_opens_the_public_guide(editor):
    guide = ProcedureFactory()
    html = editor.get(f"/en/admin/procedures/procedure/{guide.pk}/change/").content.decode()
    assert "View on site" in html
    response = editor.get(f"/en/admin/r/{_content_type_id()}/{guide.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/en/guides/{guide.slug}/")


def _content_type_id():
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Procedure).pk


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/en/admin/procedures/procedure/")
    assert response.status_code == 302
    assert "/en/admin/login/" in response["Location"]


def test_new_rows_with_the_same_position_are_saved_in_the_order_shown(editor):
    """The drag-and-drop script gives every new row the same position; that is no error."""
    guide = ProcedureFactory()
    url = f"/en/admin/procedures/procedure/{guide.pk}/change/"
    data = form_data(editor.get(url).content.decode(), "procedure_form")
    add_inline_rows(
        data,
        "steps",
        [
            step_row("website", "One", 0),
            step_row("website", "Two", 0),
            step_row("store", "Three", 0),
        ],
    )
    assert editor.post(url, data).status_code == 302
    assert [step.title_en for step in guide.steps.all()] == ["One", "Two", "Three"]
