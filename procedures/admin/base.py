"""What every admin screen shares: the site's titles, who may edit structure or only texts,
ordered inlines saved in the order editors leave them, and the admin base class that records
translation status on every save."""

import reversion
from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from reversion.admin import VersionAdmin

from procedures import editorial
from procedures.admin import languages
from procedures.editorial import events
from procedures.publishing import refresh
from procedures.translations import status as translation_status
from procedures.translations.texts import LANGUAGE_CODES

admin.site.site_header = _("SIM & eSIM Guide: editing")
admin.site.index_template = "admin/kb_index.html"  # links the translation dashboard
admin.site.site_title = _("SIM & eSIM Guide")
admin.site.index_title = _("Content")

# The side menu repeats the index and takes 300 px from the forms (and two requests a page).
admin.site.enable_nav_sidebar = False

# Addresses typed without a scheme are taken as https (Django 6.0's default, chosen now).
# Dates use the browser's own date picker: the admin's calendar costs two scripts a page.
FIELD_OVERRIDES = {
    models.URLField: {"assume_scheme": "https"},
    models.DateField: {
        "widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    },
}


def can_edit_structure(request) -> bool:
    """Editors and publishers change anything; translators only the texts."""
    return request.user.has_perm("procedures.change_procedure")


def can_translate(request) -> bool:
    return can_edit_structure(request) or request.user.has_perm("procedures.translate_procedure")


def structure_field_names(model, *, keep=()) -> list[str]:
    """The editable fields of a row that are not translated texts (what translators may not
    change): its kind, channel, address, document, …"""
    options = translator.get_options_for_model(model)
    translated = set(options.fields)
    for field in options.fields:
        translated |= {build_localized_fieldname(field, code) for code in LANGUAGE_CODES}
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and field.name not in translated
        and field.name not in keep
        and not (field.is_relation and field.name in ("procedure", "carrier", "region"))
    ]


# --- Ordered inlines ----------------------------------------------------------------------------


class OrderedInlineFormSet(CustomInlineFormSet):
    """Saves the rows in the order the editor left them (numbered 1, 2, 3…), in one go, so
    swapping two rows never trips the unique position of a row within its parent. For a
    translator (`order_locked`) the order stays as it was."""

    order_locked = False
    minor_fix = False  # set by the admin from the main form's "minor fix" box

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
        existing = [form.instance.pk for form in self.forms if form.instance.pk]
        before = {
            pk: translation_status.texts_of(row)
            for pk, row in self.model.objects.in_bulk(existing).items()
        }
        rows = self._save_rows()
        for row in rows:
            translation_status.record(row, before=before.get(row.pk), minor_fix=self.minor_fix)
        return rows

    def _save_rows(self):
        if self.order_locked:
            return super().save(commit=True)
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.deleted_forms:
            if form.instance.pk:
                self.deleted_objects.append(form.instance)
                self.delete_existing(form.instance, commit=True)
        kept = [
            form
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed())
        ]
        order_field = self.default_order_field

        def sort_key(indexed_form):
            index, form = indexed_form
            position = form.cleaned_data.get(order_field) or 0
            # New rows without a position (no JavaScript) go last, in the order typed.
            return (position <= 0, position, index)

        ordered = [form for _index, form in sorted(enumerate(kept), key=sort_key)]
        rows = []
        for form in ordered:
            is_new = form.instance.pk is None
            row = form.save(commit=False)
            setattr(row, self.fk.name, self.instance)
            rows.append((row, form, is_new))
        editorial.rows_save_in_order(
            parent_field=self.fk.name, parent=self.instance, rows=[row for row, *_ in rows]
        )
        for row, form, is_new in rows:
            form.save_m2m()
            if is_new:
                self.new_objects.append(row)
            elif form.has_changed():
                self.changed_objects.append((row, form.changed_data))
        return [row for row, *_ in rows]


class OrderedRowForm(forms.ModelForm):
    """A row of an ordered inline. Positions are renumbered 1, 2, 3… on save, so two rows
    arriving with the same number (new rows added in the browser) are not an error."""

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        exclude.add("position")
        return exclude


class TranslatorAccess:
    """Translators see and change guides' texts (what they may change is decided by the
    read-only fields), without the general change permission."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or can_translate(request)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or can_translate(request)


class OrderedInline(TranslatorAccess, SortableInlineAdminMixin):
    form = OrderedRowForm
    formset = OrderedInlineFormSet
    extra = 0
    formfield_overrides = FIELD_OVERRIDES

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_edit_structure(request):
            readonly += structure_field_names(self.model, keep={self.default_order_field})
        return readonly

    def get_formset(self, request, obj=None, **kwargs):
        # More rows than max_num are refused with the formset's own translated message, so a
        # form never outgrows DATA_UPLOAD_MAX_NUMBER_FIELDS (kb/settings.py) and loses its input.
        # (Translators add no rows: Django then counts every existing row as over the limit.)
        kwargs.setdefault("validate_max", can_edit_structure(request))
        formset = super().get_formset(request, obj, **kwargs)
        if not can_edit_structure(request):
            formset = type(formset.__name__, (formset,), {"order_locked": True})
        return formset


class OrderedStackedInline(
    OrderedInline, languages.ContentLanguageFields, TranslationStackedInline
):
    template = "adminsortable2/edit_inline/stacked-django-5.2.html"


class OrderedTabularInline(
    OrderedInline, languages.ContentLanguageFields, TranslationTabularInline
):
    template = "adminsortable2/edit_inline/tabular-django-5.2.html"


class TranslatedAdmin(
    SortableAdminBase, VersionAdmin, languages.ContentLanguageFields, TranslationAdmin
):
    """Every save records where each language of each text stands (translation_status), and
    refreshes the live pages showing what it changed once, however many rows it wrote. The form
    shows one content language at a time, chosen once for the whole form (languages.py)."""

    formfield_overrides = FIELD_OVERRIDES
    change_form_template = "admin/procedures/translated_change_form.html"

    class Media:
        js = [languages.SCRIPT]
        css = {"all": [languages.STYLESHEET]}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            languages.switch_context(
                form=context["adminform"].form,
                formsets=[inline.formset for inline in context.get("inline_admin_formsets", [])],
            )
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with refresh.batch():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        # History is read in each editor's admin language: keep the message in every language
        # (row names are the rows' own texts), rendered when read (procedures/editorial/events.py).
        request.history_comment = events.comment(
            events.ADMIN_CHANGE,
            messages=languages.change_messages(form=form, formsets=formsets, add=add),
        )
        return message

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active() and getattr(request, "history_comment", None):
            reversion.set_comment(request.history_comment)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active() and getattr(request, "history_comment", None):
            reversion.set_comment(request.history_comment)
        return entry

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = translation_status.texts_of(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        minor_fix = bool(form.cleaned_data.get("minor_fix"))
        translation_status.record(obj, before=before, minor_fix=minor_fix)

    def save_formset(self, request, form, formset, change):
        formset.minor_fix = bool(form.cleaned_data.get("minor_fix"))
        super().save_formset(request, form, formset, change)
