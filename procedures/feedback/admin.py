"""The editors' inbox of readers' feedback, per guide and per carrier with counts, and the
pieces the guide list uses to show them (`with_feedback_counts`, `reader_feedback`,
`FlaggedByReadersFilter`)."""

from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from procedures.feedback.models import OUTDATED_REPORTS_FOR_REVIEW, Feedback
from procedures.feedback.services import flagged_for_review
from procedures.models import Carrier, Procedure


def _open_count(**filters):
    counted = (
        Feedback.objects.open()
        .filter(procedure=OuterRef("pk"), **filters)
        .order_by()
        .values("procedure")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_feedback_counts(queryset):
    """The guides of `queryset` with `open_feedback` (problems and "not helpful" answers not
    yet dealt with) and `open_outdated` (of them, "out of date" reports) counted, as
    subqueries: no join, so other annotations and the row count stay right."""
    return queryset.annotate(
        open_feedback=_open_count(kind__in=[Feedback.Kind.PROBLEM, Feedback.Kind.NOT_HELPFUL]),
        open_outdated=_open_count(reason=Feedback.Reason.OUTDATED),
    )


def _inbox_url(**params) -> str:
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return reverse("admin:procedures_feedback_changelist") + "?" + query


@admin.display(description=_("reader feedback"), ordering="open_feedback")
def reader_feedback(procedure) -> str:
    """A guide-list column: open problems from readers, linking to them in the inbox; marked
    when enough "out of date" reports flag the guide for review. Needs the queryset annotated
    by `with_feedback_counts`."""
    count = getattr(procedure, "open_feedback", 0)
    if not count:
        return ""
    outdated = getattr(procedure, "open_outdated", 0)
    label = ngettext("%(count)d open", "%(count)d open", count) % {"count": count}
    if outdated >= OUTDATED_REPORTS_FOR_REVIEW:
        label += " · " + str(_("flagged: out of date"))
    return format_html(
        '<a href="{}">{}</a>', _inbox_url(procedure__id__exact=procedure.pk, open="yes"), label
    )


class FlaggedByReadersFilter(admin.SimpleListFilter):
    """For the guide list: guides that readers reported as out of date (enough times)."""

    title = _("reader reports")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("outdated", _("Flagged as out of date by readers"))]

    def queryset(self, request, queryset):
        if self.value() == "outdated":
            return queryset.filter(pk__in=flagged_for_review())
        return queryset


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", _("To deal with")), ("no", _("Dealt with"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_resolved=False)
        if self.value() == "no":
            return queryset.filter(is_resolved=True)
        return queryset


class GuideFilter(admin.SimpleListFilter):
    """Guides with feedback, each with how much is still to deal with."""

    title = _("guide")
    parameter_name = "procedure__id__exact"

    def lookups(self, request, model_admin):
        counts = (
            Feedback.objects.values("procedure_id")
            .annotate(open=Count("pk", filter=Q(is_resolved=False)))
            .order_by("-open")
        )
        open_by_guide = {row["procedure_id"]: row["open"] for row in counts}
        guides = Procedure.objects.filter(pk__in=open_by_guide).only("pk", "title", "slug")
        return [
            (str(guide.pk), f"{guide} ({open_by_guide[guide.pk]})")
            for guide in sorted(guides, key=lambda g: -open_by_guide[g.pk])
        ]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(procedure_id=int(self.value()))
        return queryset


class CarrierFilter(admin.SimpleListFilter):
    """Carriers whose guides have feedback, each with how much is still to deal with."""

    title = _("carrier")
    parameter_name = "carrier"

    def lookups(self, request, model_admin):
        counts = (
            Feedback.objects.exclude(procedure__carrier=None)
            .values("procedure__carrier")
            .annotate(open=Count("pk", filter=Q(is_resolved=False)))
        )
        open_by_carrier = {row["procedure__carrier"]: row["open"] for row in counts}
        carriers = Carrier.objects.filter(pk__in=open_by_carrier)
        return [(str(c.pk), f"{c} ({open_by_carrier[c.pk]})") for c in carriers]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(procedure__carrier_id=int(self.value()))
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """The inbox: what readers said, newest first; editors mark what they dealt with."""

    list_display = [
        "created_at",
        "guide",
        "kind",
        "reason",
        "step_title",
        "short_comment",
        "language",
        "is_resolved",
    ]
    list_filter = [OpenFilter, "kind", "reason", CarrierFilter, GuideFilter, "language"]
    list_select_related = ["procedure"]
    search_fields = ["comment", "step_title"]
    date_hierarchy = "created_at"
    actions = ["mark_resolved", "mark_open"]
    fields = [
        "procedure",
        "kind",
        "reason",
        "step",
        "step_title",
        "comment",
        "language",
        "created_at",
        "is_resolved",
    ]
    readonly_fields = [f for f in fields if f != "is_resolved"]

    def has_add_permission(self, request):
        return False

    def changelist_view(self, request, extra_context=None):
        counts = Feedback.objects.open().aggregate(
            problems=Count("pk", filter=Q(kind=Feedback.Kind.PROBLEM)),
            not_helpful=Count("pk", filter=Q(kind=Feedback.Kind.NOT_HELPFUL)),
            helpful=Count("pk", filter=Q(kind=Feedback.Kind.HELPFUL)),
        )
        extra_context = {
            **(extra_context or {}),
            "subtitle": _(
                "To deal with: %(problems)d problems, %(not_helpful)d “not helpful”, "
                "%(helpful)d “helpful”."
            )
            % counts,
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("guide"), ordering="procedure__slug")
    def guide(self, feedback):
        url = reverse("admin:procedures_procedure_change", args=[feedback.procedure_id])
        return format_html('<a href="{}">{}</a>', url, feedback.procedure)

    @admin.display(description=_("comment"))
    def short_comment(self, feedback):
        return Truncator(feedback.comment).chars(120)

    @admin.action(description=_("Mark as dealt with"))
    def mark_resolved(self, request, queryset):
        queryset.update(is_resolved=True)

    @admin.action(description=_("Mark as to deal with"))
    def mark_open(self, request, queryset):
        queryset.update(is_resolved=False)
