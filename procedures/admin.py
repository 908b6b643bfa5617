"""Where editors keep carriers and guides. One screen per guide: its steps, documents, notes,
questions and sources are inlines, the three languages are tabs, rows are reordered by drag and
drop."""

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from . import services
from .models import (
    Carrier,
    ContactNumber,
    Document,
    Faq,
    Note,
    Procedure,
    ProcedureDocument,
    Region,
    RegionSource,
    Source,
    Step,
)

admin.site.site_header = _("SIM & eSIM Guide: editing")
admin.site.site_title = _("SIM & eSIM Guide")
admin.site.index_title = _("Content")


class OrderedInlineFormSet(CustomInlineFormSet):
    """Saves the rows in the order the editor left them (numbered 1, 2, 3…), in one go, so
    swapping two rows never trips the unique position of a row within its parent."""

    def save(self, commit=True):
        if not commit:
            return super().save(commit=False)
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
        services.rows_save_in_order(
            parent_field=self.fk.name, parent=self.instance, rows=[row for row, *_ in rows]
        )
        for row, form, is_new in rows:
            form.save_m2m()
            if is_new:
                self.new_objects.append(row)
            elif form.has_changed():
                self.changed_objects.append((row, form.changed_data))
        return [row for row, *_ in rows]


# Addresses typed without a scheme are taken as https (Django 6.0's default, chosen now).
URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class OrderedInline(SortableInlineAdminMixin):
    formset = OrderedInlineFormSet
    extra = 0
    formfield_overrides = URL_FIELDS_HTTPS


class OrderedStackedInline(OrderedInline, TranslationStackedInline):
    template = "adminsortable2/edit_inline/stacked-django-5.2.html"


class OrderedTabularInline(OrderedInline, TranslationTabularInline):
    template = "adminsortable2/edit_inline/tabular-django-5.2.html"


class TranslatedAdmin(SortableAdminBase, TabbedTranslationAdmin):
    formfield_overrides = URL_FIELDS_HTTPS


class RegionSourceInline(OrderedTabularInline):
    model = RegionSource
    fields = ["title", "url", "language"]


@admin.register(Region)
class RegionAdmin(TranslatedAdmin):
    list_display = ["name", "code", "slug", "position"]
    inlines = [RegionSourceInline]
    search_fields = ["name_zh_hans", "name_zh_hant", "name_en", "code", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class ContactNumberInline(OrderedTabularInline):
    model = ContactNumber


@admin.register(Carrier)
class CarrierAdmin(TranslatedAdmin):
    list_display = ["name", "region", "is_active", "closed_on", "website"]
    list_filter = ["region", "is_active"]
    search_fields = ["name_zh_hans", "name_zh_hant", "name_en", "slug"]
    list_select_related = ["region"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [ContactNumberInline]


@admin.register(Document)
class DocumentAdmin(TranslatedAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_zh_hans", "name_zh_hant", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


class ProcedureDocumentInline(OrderedTabularInline):
    model = ProcedureDocument
    autocomplete_fields = ["document"]


class StepInline(OrderedStackedInline):
    model = Step
    fields = ["channel", "title", "body"]


class NoteInline(OrderedStackedInline):
    model = Note
    fields = ["kind", "body"]


class FaqInline(OrderedStackedInline):
    model = Faq
    fields = ["question", "answer"]


class SourceFormSet(OrderedInlineFormSet):
    def clean(self):
        super().clean()
        if self.instance.status != Procedure.Status.PUBLISHED:
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        problems = services.procedure_publish_problems(
            last_verified_on=self.instance.last_verified_on, source_count=len(kept)
        )
        if "sources" in problems:
            raise ValidationError(problems["sources"])


class SourceInline(OrderedTabularInline):
    model = Source
    formset = SourceFormSet
    fields = ["title", "url", "language"]


class ProcedureAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Procedure.Status.PUBLISHED:
            problems = services.procedure_publish_problems(
                last_verified_on=cleaned.get("last_verified_on"), source_count=None
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return cleaned


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Review due")), ("ok", _("Recently verified"))]

    def queryset(self, request, queryset):
        due = Procedure.objects.review_due()
        if self.value() == "due":
            return queryset.filter(pk__in=due.values("pk"))
        if self.value() == "ok":
            return queryset.exclude(pk__in=due.values("pk"))
        return queryset


@admin.register(Procedure)
class ProcedureAdmin(TranslatedAdmin):
    form = ProcedureAdminForm
    list_display = [
        "title",
        "carrier",
        "kind",
        "status",
        "last_verified_on",
        "review_is_due",
        "updated_at",
    ]
    list_filter = ["region", "carrier", "kind", "status", ReviewDueFilter]
    list_select_related = ["carrier"]
    search_fields = ["title_zh_hans", "title_zh_hant", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["carrier"]
    date_hierarchy = None
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "carrier", "region", "kind", "summary"]}),
        (
            _("Applies to"),
            {"fields": ["for_esim", "for_physical_sim", "for_data_only_sim", "eligibility"]},
        ),
        (
            _("Is it required?"),
            {"fields": ["requirement", "requirement_basis", "requirement_basis_url"]},
        ),
        (_("At a glance"), {"fields": ["processing_time", "fees"]}),
        (_("Watch out"), {"fields": ["correction_notice"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "is_featured",
                    "last_verified_on",
                    "verified_by",
                    "review_interval_days",
                ]
            },
        ),
    ]
    inlines = [ProcedureDocumentInline, StepInline, NoteInline, FaqInline, SourceInline]

    @admin.display(boolean=True, description=_("review due"), ordering="review_due_on")
    def review_is_due(self, procedure):
        return procedure.is_review_due

    def save_model(self, request, obj, form, change):
        if "last_verified_on" in form.changed_data and "verified_by" not in form.changed_data:
            obj.verified_by = request.user.get_full_name() or request.user.get_username()
        super().save_model(request, obj, form, change)
