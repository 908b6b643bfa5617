"""The guide screens: the guide list (columns, filters) and the guide's change form with its
inlines. Publishing, conversion, the translation dashboard and history are mixed in from their
own modules."""

import datetime

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from procedures import editorial
from procedures.admin.base import (
    OrderedStackedInline,
    OrderedTabularInline,
    TranslatedAdmin,
    TranslatorAccess,
    can_edit_structure,
)
from procedures.admin.conversion import ConversionActions
from procedures.admin.dashboard import DashboardView
from procedures.admin.forms import ProcedureAdminForm
from procedures.admin.history import HistoryViews
from procedures.admin.publishing import PublishingViews
from procedures.exchange.admin import EXPORT_ACTIONS
from procedures.feedback.admin import FlaggedByReadersFilter, reader_feedback, with_feedback_counts
from procedures.models import (
    Faq,
    FieldTranslation,
    Note,
    Procedure,
    ProcedureDocument,
    Source,
    Step,
    TranslationStatus,
)
from procedures.translations import status as translation_status


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


# The badges' short labels: one character or two, in each language's own script.
SHORT_LANGUAGE_NAMES = {"zh-hans": "简", "zh-hant": "繁", "en": "EN"}

STRUCTURE_FIELDS = [
    "slug", "carrier", "region", "kind", "for_esim", "for_physical_sim", "for_data_only_sim",
    "requirement", "requirement_basis_url", "is_featured", "last_verified_on", "verified_by",
    "review_interval_days",
]  # fmt: skip


@admin.register(Procedure)
class ProcedureAdmin(
    TranslatorAccess,
    PublishingViews,
    ConversionActions,
    DashboardView,
    HistoryViews,
    TranslatedAdmin,
):
    """A guide on one screen: its texts in three languages, its steps, documents, notes,
    questions and sources as inlines, and its list with translation badges."""

    form = ProcedureAdminForm
    change_form_template = "admin/procedures/procedure/change_form.html"
    change_list_template = "admin/procedures/procedure/change_list.html"
    object_history_template = "admin/procedures/procedure/object_history.html"
    # Fits 1280 px beside the filters: kind, verification date and the public state are on
    # the form and in the filters; the list keeps what decides what to open next.
    # Readers' open reports (issue 15) are shown only where there are some, so the column stays
    # narrow.
    list_display = [
        "title", "carrier", "status", "review_is_due", "translations", reader_feedback, "updated_at"
    ]  # fmt: skip
    list_filter = [
        "region", "carrier", "kind", "status", ReviewDueFilter, NeedsTranslationFilter,
        FlaggedByReadersFilter,
    ]  # fmt: skip
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

    def get_queryset(self, request):
        # The readers' feedback column counts with two subqueries, not a join.
        return with_feedback_counts(super().get_queryset(request))

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
        """Three badges, one per language: complete, or how many texts it still needs. Each
        badge says so in words for screen readers; the short label and the number are for the
        eye."""
        if getattr(self, "_needs", None) is None:
            self._needs = translation_status.needs_by_procedure()
        needs = self._needs.get(procedure.pk, {})
        badges = []
        for code, name in settings.LANGUAGES:
            counts = needs.get(code, {})
            total = sum(counts.values())
            title = ", ".join(
                f"{TranslationStatus(status).label}: {count}" for status, count in counts.items()
            ) or str(_("Complete"))
            said = (
                ngettext("%(count)s text needs work", "%(count)s texts need work", total)
                % {"count": total}
                if total
                else _("complete")
            )
            badges.append(
                format_html(
                    '<span class="translation-badge {}" title="{}">'
                    '<span aria-hidden="true">{} {}</span>'
                    '<span class="visually-hidden">{}: {}</span></span>',
                    "needs-work" if total else "complete",
                    title,
                    SHORT_LANGUAGE_NAMES.get(code, code),
                    total if total else "✓",
                    name,
                    said,
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
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- Workflow -------------------------------------------------------------------------------

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
