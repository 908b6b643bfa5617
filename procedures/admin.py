"""Where editors keep carriers and guides. One screen per guide: its steps, documents, notes,
questions and sources are inlines, the three languages are tabs, rows are reordered by drag and
drop. Publishing is a separate, checked step (draft → in review → published); every save is
recorded (django-reversion) and two editors cannot silently overwrite each other."""

import datetime

from adminsortable2.admin import CustomInlineFormSet, SortableAdminBase, SortableInlineAdminMixin
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname
from reversion.admin import VersionAdmin
from reversion.models import Version

from procedures import editorial, publishing
from procedures.editorial import history
from procedures.exchange.admin import EXPORT_ACTIONS
from procedures.models import (
    Carrier,
    ContactNumber,
    Document,
    Faq,
    FieldTranslation,
    Note,
    Procedure,
    ProcedureDocument,
    Publication,
    PublicationPage,
    Region,
    RegionSource,
    Source,
    Step,
    TranslationStatus,
)
from procedures.publishing import refresh
from procedures.translations import status as translation_status
from procedures.translations.texts import LANGUAGE_CODES

admin.site.site_header = _("SIM & eSIM Guide: editing")
admin.site.index_template = "admin/kb_index.html"  # links the translation dashboard
admin.site.site_title = _("SIM & eSIM Guide")
admin.site.index_title = _("Content")

# Addresses typed without a scheme are taken as https (Django 6.0's default, chosen now).
URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


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
    formfield_overrides = URL_FIELDS_HTTPS

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


class OrderedStackedInline(OrderedInline, TranslationStackedInline):
    template = "adminsortable2/edit_inline/stacked-django-5.2.html"


class OrderedTabularInline(OrderedInline, TranslationTabularInline):
    template = "adminsortable2/edit_inline/tabular-django-5.2.html"


class TranslatedAdmin(SortableAdminBase, VersionAdmin, TabbedTranslationAdmin):
    """Every save records where each language of each text stands (translation_status), and
    refreshes the live pages showing what it changed once, however many rows it wrote."""

    formfield_overrides = URL_FIELDS_HTTPS

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with refresh.batch():
            return super().changeform_view(request, object_id, form_url, extra_context)

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


# --- Regions, carriers, documents ---------------------------------------------------------------


class RegionSourceInline(OrderedTabularInline):
    model = RegionSource
    max_num = 30
    fields = ["title", "url", "language"]


@admin.register(Region)
class RegionAdmin(TranslatedAdmin):
    list_display = ["name", "code", "slug", "position"]
    search_fields = ["name_zh_hans", "name_zh_hant", "name_en", "code", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [RegionSourceInline]


class ContactNumberInline(OrderedTabularInline):
    model = ContactNumber
    max_num = 20


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


# --- Guides -------------------------------------------------------------------------------------


class ProcedureDocumentInline(OrderedTabularInline):
    model = ProcedureDocument
    max_num = 30
    autocomplete_fields = ["document"]


class StepInline(OrderedStackedInline):
    model = Step
    max_num = 120
    fields = ["channel", "title", "body"]


class NoteInline(OrderedStackedInline):
    model = Note
    max_num = 40
    fields = ["kind", "body"]


class FaqInline(OrderedStackedInline):
    model = Faq
    max_num = 40
    fields = ["question", "answer"]


class SourceInline(OrderedTabularInline):
    model = Source
    max_num = 30
    fields = ["title", "url", "language"]


class ProcedureAdminForm(forms.ModelForm):
    """Carries the version the editor started from, so a save based on an outdated copy is
    refused (with what changed meanwhile) instead of overwriting someone else's work."""

    minor_fix = forms.BooleanField(
        label=_("Minor fix"),
        required=False,
        help_text=_(
            "A typo or punctuation fix that does not change the meaning: translations in the "
            "other languages stay up to date."
        ),
    )
    # The time of the last save the editor's copy is based on (every save stamps a new one).
    edit_version = forms.CharField(widget=forms.HiddenInput, required=False)
    edit_base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.updated_at.isoformat()
            latest = history.procedure_versions(self.instance).first()
            self.fields["edit_base_revision"].initial = latest.pk if latest else None

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if problem := editorial.slug_problem(procedure=self.instance, slug=slug):
            raise forms.ValidationError(problem)
        return slug

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        started_from = cleaned.get("edit_version")
        # Locked until the save commits (PostgreSQL: the row; SQLite: the database, whose admin
        # transactions start IMMEDIATE, kb/settings.py), so a second save waits, then sees this one.
        current = Procedure.objects.select_for_update().get(pk=self.instance.pk)
        if started_from == current.updated_at.isoformat():
            return cleaned
        # Saving again now is a deliberate choice to overwrite: carry the new version.
        data = self.data.copy()
        data["edit_version"] = current.updated_at.isoformat()
        self.data = data
        if not started_from:
            # A form from an old tab, a script or a browser extension: without the version it was
            # based on, a save could overwrite anyone's work unseen.
            raise forms.ValidationError(
                _(
                    "This form does not say which version of the guide it was based on, so "
                    "saving it could overwrite someone else's work. Nothing was saved; what you "
                    "typed is below. Check it against the guide, then save again to keep it."
                ),
                code="edit_version_missing",
            )
        if started_from != current.updated_at.isoformat():
            self.conflict = self._what_changed(cleaned.get("edit_base_revision"))
            raise forms.ValidationError(
                _(
                    "Someone else saved this guide while you were editing it (%(who)s, %(when)s). "
                    "Nothing you typed was saved; it is all still below. Check their changes, "
                    "then save again to keep yours."
                ),
                code="edit_conflict",
                params={
                    "who": (
                        current.last_edited_by.get_full_name()
                        or current.last_edited_by.get_username()
                        if current.last_edited_by
                        else _("another editor")
                    ),
                    "when": date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT"),
                },
            )
        return cleaned

    def _what_changed(self, base_version_id):
        versions = history.procedure_versions(self.instance)
        latest = versions.first()
        base = versions.filter(pk=base_version_id).first() if base_version_id else None
        if latest is None or base is None or base.pk == latest.pk:
            return []
        return history.compare_versions(base, latest)


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


class NeedsTranslationFilter(admin.SimpleListFilter):
    title = _("needs translation")
    parameter_name = "needs_translation"

    def lookups(self, request, model_admin):
        return [(code, name) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        if self.value() not in dict(settings.LANGUAGES):
            return queryset
        needing = FieldTranslation.objects.filter(
            language=self.value(), status__in=translation_status.NEEDS_WORK
        ).values("procedure_id")
        return queryset.filter(pk__in=needing)


class PublishForm(forms.Form):
    # The version of the guide the publisher saw when opening this page: a save after that is
    # not what they reviewed, so publishing is refused (see publishing.procedure_publish).
    reviewed_version = forms.CharField(widget=forms.HiddenInput, required=False)
    change_note_zh_hans = forms.CharField(
        label=_("What changed (简体中文)"), required=False, max_length=300
    )
    change_note_zh_hant = forms.CharField(
        label=_("What changed (繁體中文)"), required=False, max_length=300
    )
    change_note_en = forms.CharField(
        label=_("What changed (English)"), required=False, max_length=300
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=_("Leave empty to publish now. A later time takes effect by itself."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    def clean_publish_at(self):
        publish_at = self.cleaned_data["publish_at"]
        if problem := editorial.publish_time_problem(publish_at):
            raise forms.ValidationError(problem)
        return publish_at

    def change_note(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"change_note_{code.replace('-', '_')}"]
            for code in LANGUAGE_CODES
        }


STRUCTURE_FIELDS = [
    "slug", "carrier", "region", "kind", "for_esim", "for_physical_sim", "for_data_only_sim",
    "requirement", "requirement_basis_url", "is_featured", "last_verified_on", "verified_by",
    "review_interval_days",
]  # fmt: skip


@admin.register(Procedure)
class ProcedureAdmin(TranslatorAccess, TranslatedAdmin):
    form = ProcedureAdminForm
    change_form_template = "admin/procedures/procedure/change_form.html"
    change_list_template = "admin/procedures/procedure/change_list.html"
    object_history_template = "admin/procedures/procedure/object_history.html"
    list_display = [
        "title",
        "carrier",
        "kind",
        "status",
        "public_status",
        "last_verified_on",
        "review_is_due",
        "translations",
        "updated_at",
    ]
    list_filter = ["region", "carrier", "kind", "status", ReviewDueFilter, NeedsTranslationFilter]
    list_select_related = ["carrier"]
    actions = ["fill_traditional", "fill_simplified", "mark_traditional_reviewed", *EXPORT_ACTIONS]
    search_fields = ["title_zh_hans", "title_zh_hant", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["carrier"]
    save_on_top = True
    readonly_fields = ["status", "public_status"]
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
        (_("At a glance"), {"fields": ["processing_time", "fees", "official_contacts"]}),
        (_("Watch out"), {"fields": ["correction_notice"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "public_status",
                    "is_featured",
                    "last_verified_on",
                    "verified_by",
                    "review_interval_days",
                    "minor_fix",
                    "edit_version",
                    "edit_base_revision",
                ]
            },
        ),
    ]
    inlines = [ProcedureDocumentInline, StepInline, NoteInline, FaqInline, SourceInline]

    # --- Who may do what (enforced here and in services, not only hidden) ----------------------

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_edit_structure(request):
            readonly += STRUCTURE_FIELDS
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        return super().get_prepopulated_fields(request, obj) if can_edit_structure(request) else {}

    # --- List columns ---------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        self._needs = None  # recomputed for the rows of this page
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("translations"))
    def translations(self, procedure):
        """Three badges: each language complete, or how many texts it still needs."""
        if getattr(self, "_needs", None) is None:
            self._needs = translation_status.needs_by_procedure()
        needs = self._needs.get(procedure.pk, {})
        badges = []
        for code, _name in settings.LANGUAGES:
            counts = needs.get(code, {})
            total = sum(counts.values())
            title = ", ".join(
                f"{TranslationStatus(status).label}: {count}" for status, count in counts.items()
            ) or str(_("Complete"))
            badges.append(
                format_html(
                    '<span class="translation-badge {}" title="{}">{}{}</span>',
                    "needs-work" if total else "complete",
                    title,
                    code,
                    f" {total}" if total else " ✓",
                )
            )
        return format_html_join(" ", "{}", ((badge,) for badge in badges))

    @admin.display(description=_("review due"), ordering="review_due_on")
    def review_is_due(self, procedure):
        """Said only when a review is due, or due within a month: a mark on every row read as an
        error."""
        today = timezone.localdate()
        due = procedure.review_due_on
        if due is None:
            return _("Never verified")
        if due < today:
            return _("Due since %(date)s") % {"date": date_format(due, "DATE_FORMAT")}
        if due <= today + datetime.timedelta(days=30):
            return _("Due on %(date)s") % {"date": date_format(due, "DATE_FORMAT")}
        return ""

    @admin.display(description=_("on the public site"))
    def public_status(self, procedure):
        if not procedure.pk:
            return "—"
        now = timezone.now()
        current = procedure.publications.filter(live_until__gt=now).order_by("live_from")
        labels = []
        for publication in current:
            when = date_format(timezone.localtime(publication.live_from), "DATETIME_FORMAT")
            if publication.live_from <= now:
                labels.append(_("Live since %(when)s") % {"when": when})
            else:
                labels.append(_("Scheduled for %(when)s") % {"when": when})
        return " · ".join(str(label) for label in labels) or _("Not on the public site")

    def view_on_site(self, obj):
        # Editors see their working copy; readers keep seeing the published version.
        return obj.get_absolute_url() + "?preview=1"

    # --- Saving ---------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if "last_verified_on" in form.changed_data and "verified_by" not in form.changed_data:
            obj.verified_by = request.user.get_full_name() or request.user.get_username()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Only a save that changed something is an edit (the four-eyes rule counts edits).
        changed = not change or form.has_changed() or any(fs.has_changed() for fs in formsets)
        editorial.procedure_mark_edited(procedure=form.instance, user=request.user, changed=changed)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["conflict"] = getattr(form, "conflict", None)
        if obj is not None:
            context["workflow"] = self._workflow_actions(request, obj)
            context["translation_needs"] = translation_status.needs_by_procedure([obj.pk]).get(
                obj.pk, {}
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Workflow -------------------------------------------------------------------------------

    def _workflow_actions(self, request, obj) -> list[tuple[str, str]]:
        actions = []
        can_publish = request.user.has_perm("procedures.publish_procedure")
        if obj.status in (Procedure.Status.DRAFT, Procedure.Status.ARCHIVED) and can_edit_structure(
            request
        ):
            actions.append(("submit", _("Submit for review")))
        if can_publish and obj.status != Procedure.Status.PUBLISHED:
            # Refused whatever the form says (four eyes): shown disabled, with the reason.
            refusal = editorial.publish_refusal(procedure=obj, user=request.user)
            actions.append(("publish-refused", refusal) if refusal else ("publish", _("Publish…")))
        if can_publish and editorial.live_publication(obj):
            actions.append(("unpublish", _("Unpublish")))
        if can_publish and obj.status != Procedure.Status.ARCHIVED:
            actions.append(("archive", _("Archive")))
        return actions

    def get_urls(self):
        view = self.admin_site.admin_view
        name = "procedures_procedure_"
        return [
            path("translations/", view(self.translations_view), name=name + "translations"),
            path("<path:object_id>/publish/", view(self.publish_view), name=name + "publish"),
            path(
                "<path:object_id>/workflow/<str:action>/",
                view(self.workflow_view),
                name=name + "workflow",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=name + "compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/restore/",
                view(self.restore_view),
                name=name + "restore",
            ),
        ] + super().get_urls()

    def _change_url(self, obj):
        return reverse("admin:procedures_procedure_change", args=[obj.pk])

    def _get_for_change(self, request, object_id) -> Procedure:
        obj = get_object_or_404(Procedure, pk=object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def publish_view(self, request, object_id):
        obj = self._get_for_change(request, object_id)
        if not request.user.has_perm("procedures.publish_procedure"):
            raise PermissionDenied
        form = PublishForm(
            request.POST if request.method == "POST" else None,
            initial={"reviewed_version": obj.updated_at.isoformat()},
        )
        problems = editorial.procedure_publish_problems(
            procedure=Procedure.objects.working_copy(obj)
        )
        if refusal := editorial.publish_refusal(procedure=obj, user=request.user):
            problems.insert(0, refusal)  # said before the publisher fills anything in
        if request.method == "POST" and form.is_valid():
            try:
                publication = publishing.procedure_publish(
                    procedure=obj,
                    user=request.user,
                    change_note=form.change_note(),
                    publish_at=form.cleaned_data["publish_at"],
                    reviewed_version=form.cleaned_data["reviewed_version"] or None,
                )
            except editorial.WorkflowError as error:
                problems = error.problems
            else:
                if publication.live_from > timezone.now():
                    message = _("“%(title)s” will be published on %(when)s.") % {
                        "title": obj,
                        "when": date_format(
                            timezone.localtime(publication.live_from), "DATETIME_FORMAT"
                        ),
                    }
                else:
                    message = _("“%(title)s” is published.") % {"title": obj}
                messages.success(request, message)
                return HttpResponseRedirect(self._change_url(obj))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish “%(title)s”") % {"title": obj},
            "opts": self.model._meta,
            "original": obj,
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/procedures/procedure/publish.html", context)

    def workflow_view(self, request, object_id, action):
        obj = self._get_for_change(request, object_id)
        steps = {
            "submit": (editorial.procedure_submit_for_review, _("“%(title)s” awaits review.")),
            "unpublish": (publishing.procedure_unpublish, _("“%(title)s” is off the public site.")),
            "archive": (publishing.procedure_archive, _("“%(title)s” is archived.")),
        }
        if action not in steps or request.method != "POST":
            return HttpResponseRedirect(self._change_url(obj))
        step, success = steps[action]
        try:
            step(procedure=obj, user=request.user)
        except editorial.WorkflowError as error:
            for problem in error.problems:
                messages.error(request, problem)
        else:
            messages.success(request, success % {"title": obj})
        return HttpResponseRedirect(self._change_url(obj))

    # --- Translations -----------------------------------------------------------------------------

    def _convert(self, request, queryset, target):
        try:
            return self._convert_or_refuse(request, queryset, target)
        except editorial.WorkflowError as error:
            for problem in error.problems:
                self.message_user(request, problem, messages.ERROR)
            return None

    def _convert_or_refuse(self, request, queryset, target):
        replace = request.POST.get("replace_reviewed") == "yes"
        if not replace:
            held = {
                procedure: editorial.procedure_convert(
                    procedure=procedure, target=target, user=request.user, replace_reviewed=False
                ).held_back
                for procedure in queryset
            }
            held = {procedure: labels for procedure, labels in held.items() if labels}
            if held:
                return TemplateResponse(
                    request,
                    "admin/procedures/procedure/confirm_conversion.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": _("Replace reviewed translations?"),
                        "opts": self.model._meta,
                        "held": held,
                        "queryset": queryset,
                        "action": request.POST.get("action"),
                        "language": dict(settings.LANGUAGES)[target],
                    },
                )
            filled = "done"
        else:
            for procedure in queryset:
                editorial.procedure_convert(
                    procedure=procedure, target=target, user=request.user, replace_reviewed=True
                )
            filled = "done"
        if filled:
            count = queryset.count()
            self.message_user(
                request,
                ngettext(
                    "Filled the missing and outdated %(language)s texts of %(count)s guide "
                    "with OpenCC. They are marked machine-converted until someone reviews them.",
                    "Filled the missing and outdated %(language)s texts of %(count)s guides "
                    "with OpenCC. They are marked machine-converted until someone reviews them.",
                    count,
                )
                % {"language": dict(settings.LANGUAGES)[target], "count": count},
                messages.SUCCESS,
            )
        return None

    @admin.action(
        description=_("Fill Traditional Chinese from Simplified (OpenCC)"),
        permissions=["change"],
    )
    def fill_traditional(self, request, queryset):
        return self._convert(request, queryset, "zh-hant")

    @admin.action(
        description=_("Fill Simplified Chinese from Traditional (OpenCC)"),
        permissions=["change"],
    )
    def fill_simplified(self, request, queryset):
        return self._convert(request, queryset, "zh-hans")

    @admin.action(
        description=_("Mark machine-converted Traditional Chinese as reviewed"),
        permissions=["change"],
    )
    def mark_traditional_reviewed(self, request, queryset):
        count = sum(
            translation_status.mark_reviewed(procedure=procedure, language="zh-hant")
            for procedure in queryset
        )
        self.message_user(
            request, _("%(count)s texts marked as reviewed.") % {"count": count}, messages.SUCCESS
        )

    def translations_view(self, request):
        """Every guide × language with what it still needs. By default only the guides that need
        work; filters: language, status (missing, stale, machine) and region (GET, shareable)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        languages = dict(settings.LANGUAGES)
        chosen_language = (
            request.GET.get("language") if request.GET.get("language") in languages else ""
        )
        chosen_status = request.GET.get("status", "")
        if chosen_status not in translation_status.NEEDS_WORK:
            chosen_status = ""
        regions = list(Region.objects.order_by("position", "pk"))
        chosen_region = request.GET.get("region", "")
        show_all = request.GET.get("show") == "all"
        needs = translation_status.needs_by_procedure()
        procedures = Procedure.objects.select_related("carrier", "region").order_by("slug")
        if chosen_region:
            procedures = procedures.filter(region__slug=chosen_region)
        shown_languages = [(code, name) for code, name in settings.LANGUAGES
                           if not chosen_language or code == chosen_language]  # fmt: skip
        rows = []
        totals = {
            code: dict.fromkeys(translation_status.NEEDS_WORK, 0) for code, _n in shown_languages
        }
        for procedure in procedures:
            cells = []
            for code, _name in shown_languages:
                counts = needs.get(procedure.pk, {}).get(code, {})
                if chosen_status:
                    counts = (
                        {chosen_status: counts[chosen_status]} if chosen_status in counts else {}
                    )
                for status, count in counts.items():
                    totals[code][status] += count
                cells.append({"code": code, "counts": counts, "total": sum(counts.values())})
            if show_all or any(cell["total"] for cell in cells):
                rows.append({"procedure": procedure, "cells": cells})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translations"),
            "opts": self.model._meta,
            "rows": rows,
            "languages": shown_languages,
            "all_languages": settings.LANGUAGES,
            "statuses": [
                (status, TranslationStatus(status).label)
                for status in translation_status.NEEDS_WORK
                if not chosen_status or status == chosen_status
            ],
            "all_statuses": [
                (status, TranslationStatus(status).label)
                for status in translation_status.NEEDS_WORK
            ],
            "regions": regions,
            "chosen": {
                "language": chosen_language,
                "status": chosen_status,
                "region": chosen_region,
                "show": "all" if show_all else "needs",
            },
            "totals": totals,
        }
        return TemplateResponse(request, "admin/procedures/procedure/translations.html", context)

    # --- History: compare and restore -------------------------------------------------------------

    def compare_view(self, request, object_id):
        obj = get_object_or_404(Procedure, pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        versions = history.procedure_versions(obj)
        old = versions.filter(pk=request.GET.get("old") or 0).first()
        new = versions.filter(pk=request.GET.get("new") or 0).first()
        if old is None or new is None:
            messages.error(request, _("Choose two versions to compare."))
            return HttpResponseRedirect(
                reverse("admin:procedures_procedure_history", args=[obj.pk])
            )
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "title": _("Changes to “%(title)s”") % {"title": obj},
            "opts": self.model._meta,
            "original": obj,
            "old": old,
            "new": new,
            "differences": history.compare_versions(old, new),
            "can_restore": can_edit_structure(request),
        }
        return TemplateResponse(request, "admin/procedures/procedure/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        obj = self._get_for_change(request, object_id)
        if not can_edit_structure(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision"), pk=version_id
        )
        if request.method == "POST":
            try:
                kept = editorial.procedure_restore(
                    procedure=obj, version=version, user=request.user
                )
            except editorial.WorkflowError as error:
                for problem in error.problems:
                    messages.error(request, problem)
                return HttpResponseRedirect(self._change_url(obj))
            for note in kept:
                messages.warning(request, note)
            messages.success(
                request,
                format_html(
                    _("Restored the version of {}. Publish it to show it to readers."),
                    date_format(
                        timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
                    ),
                ),
            )
        return HttpResponseRedirect(self._change_url(obj))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """django-reversion's own "revert" page would restore without this admin's rules (who
        may restore, four eyes, addresses): GET shows the guide's comparison with today, POST
        restores through editorial.procedure_restore."""
        obj = self._get_for_change(request, object_id)
        if request.method == "POST":
            return self.restore_view(request, object_id, version_id)
        latest = history.procedure_versions(obj).first()
        url = reverse("admin:procedures_procedure_compare", args=[obj.pk])
        return HttpResponseRedirect(f"{url}?old={version_id}&new={latest.pk if latest else 0}")

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted guide brought back is a draft (its publications went with it) changed by
        whoever recovered it (four eyes)."""
        if not can_edit_structure(request):
            raise PermissionDenied
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            version = get_object_or_404(Version, pk=version_id)
            procedure = Procedure.objects.filter(pk=version.object_id).first()
            if procedure is not None:
                editorial.procedure_mark_edited(
                    procedure=procedure, user=request.user, status=Procedure.Status.DRAFT
                )
        return response

    def get_deleted_objects(self, objs, request):
        """A guide's publications and stored pages are records of the guide that go with it:
        whoever may delete the guide deletes them too (they have no delete permission of their
        own, so the admin would otherwise refuse every deletion of a published guide)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        derived = {str(Publication._meta.verbose_name), str(PublicationPage._meta.verbose_name)}
        return deleted, counts, perms_needed - derived, protected

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(Procedure, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "versions": history.procedure_versions(obj),
            "can_restore": can_edit_structure(request),
        }
        return super().history_view(request, object_id, extra_context)


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only record of what was published, when and by whom."""

    list_display = ["title", "slug", "live_from", "live_until", "published_by", "change_note"]
    list_filter = ["kind", "region"]
    search_fields = ["slug", "title_zh_hans", "title_en"]
    date_hierarchy = "live_from"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


from procedures.feedback import admin as feedback_admin  # noqa: E402, F401 - readers' feedback inbox
from procedures.search import admin as search_admin  # noqa: E402, F401 - the search-terms report
