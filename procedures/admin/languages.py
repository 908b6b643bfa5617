"""The content-language switch of every translated form: each translated field is labelled with
its own name (no language code) and tagged with its language, so one switch per form
(static/admin/procedures/content-language.js) shows one language in every field and row at once;
fields whose translation needs work carry a mark (missing, stale, machine-converted) on the field
itself. The admin's interface language is the URL's and stays independent of this choice."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.text import capfirst
from modeltranslation.fields import TranslationField
from modeltranslation.utils import build_localized_fieldname

from procedures.models import FieldTranslation, TranslationStatus
from procedures.translations import status as translation_status

SCRIPT = "admin/procedures/content-language.js"
STYLESHEET = "admin/procedures/admin.css"


class ContentLanguageFields:
    """For translated admins and inlines: a translated field's form field is labelled with the
    text's name alone ("Title", not "Title [en]") and its widget says its language
    (`data-content-language`), which the switch reads."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, TranslationField):
            field.label = capfirst(db_field.translated_field.verbose_name)
            widget = self._get_widget_from_field(field)
            widget.attrs["data-content-language"] = db_field.language
            widget.attrs["data-content-field"] = db_field.name
        return field


def field_marks(forms) -> dict[str, str]:
    """The translations that need work among the rows `forms` edit (a main form and inline
    forms), as {form field's HTML name (e.g. "steps-0-title_en"): status ("missing", "stale"
    or "machine")}. One query, whatever the number of rows."""
    rows = {}
    for form in forms:
        instance = getattr(form, "instance", None)
        if instance is None or instance.pk is None:
            continue
        content_type = ContentType.objects.get_for_model(type(instance))
        rows[(content_type.pk, instance.pk)] = form
    if not rows:
        return {}
    needing = FieldTranslation.objects.filter(
        content_type_id__in={key[0] for key in rows},
        object_id__in={key[1] for key in rows},
        status__in=translation_status.NEEDS_WORK,
    ).values_list("content_type_id", "object_id", "field", "language", "status")
    marks = {}
    for content_type_id, object_id, field, language, status in needing:
        form = rows.get((content_type_id, object_id))
        if form is not None:
            marks[form.add_prefix(build_localized_fieldname(field, language))] = status
    return marks


def switch_context(*, form, formsets) -> dict:
    """What the switch's template needs: the languages with their own names, and the marks
    with their translated labels (for the page's JSON)."""
    inline_forms = [inline_form for formset in formsets for inline_form in formset.forms]
    return {
        "content_languages": settings.LANGUAGES,
        "content_marks": {
            "fields": field_marks([form, *inline_forms]),
            "labels": {
                status: str(TranslationStatus(status).label)
                for status in translation_status.NEEDS_WORK
            },
        },
    }


def _labels(form, names) -> list[str]:
    """The changed fields' labels in the active language; a translated text says which
    language changed ("Title (English)")."""
    languages = dict(settings.LANGUAGES)
    labels = []
    for name in names:
        field = form.fields.get(name)
        if field is None:
            labels.append(name)
            continue
        widget = getattr(field.widget, "widget", field.widget)
        language = widget.attrs.get("data-content-language")
        label = str(field.label or name)
        labels.append(f"{label} ({languages[language]})" if language in languages else label)
    return labels


def change_messages(*, form, formsets, add: bool) -> dict[str, list[dict]]:
    """What an admin save changed, as Django's change message (a list of added / changed /
    deleted entries), once per language code with that language active: field labels and row
    names ("Step “Prepare your ID”") are then each language's own, where Django would keep the
    default language's row names for every reader."""
    messages = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            message = []
            if add:
                message.append({"added": {}})
            elif form.changed_data:
                message.append({"changed": {"fields": _labels(form, form.changed_data)}})
            for formset in formsets or []:
                for row in formset.new_objects:
                    message.append(
                        {"added": {"name": str(row._meta.verbose_name), "object": str(row)}}
                    )
                for row, fields in formset.changed_objects:
                    message.append(
                        {
                            "changed": {
                                "name": str(row._meta.verbose_name),
                                "object": str(row),
                                "fields": _labels(formset.forms[0], fields),
                            }
                        }
                    )
                for row in formset.deleted_objects:
                    message.append(
                        {"deleted": {"name": str(row._meta.verbose_name), "object": str(row)}}
                    )
        messages[code] = message
    return messages
