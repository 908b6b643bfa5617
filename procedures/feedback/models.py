"""What readers told the editors about a guide. Kept without any personal data: no IP address,
no user agent, no cookie; only what the reader chose to say, the page's language and the time."""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

# A guide with this many open "outdated" reports since it was last verified is due a review.
OUTDATED_REPORTS_FOR_REVIEW = 3


class FeedbackQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_resolved=False)

    def counts_by_procedure(self) -> dict[int, dict[str, int]]:
        """{procedure id: {"helpful", "not_helpful", "problems", "outdated"}} of open feedback,
        in one query."""
        rows = (
            self.open()
            .values("procedure_id")
            .annotate(
                helpful=Count("pk", filter=Q(kind=Feedback.Kind.HELPFUL)),
                not_helpful=Count("pk", filter=Q(kind=Feedback.Kind.NOT_HELPFUL)),
                problems=Count("pk", filter=Q(kind=Feedback.Kind.PROBLEM)),
                outdated=Count("pk", filter=Q(reason=Feedback.Reason.OUTDATED)),
            )
        )
        return {row.pop("procedure_id"): row for row in rows}


class Feedback(models.Model):
    """One reader's answer to "was this helpful?" on a guide, or a problem they reported with
    one of its steps, with a reason code and an optional comment."""

    class Kind(models.TextChoices):
        HELPFUL = "helpful", _("Helpful")
        NOT_HELPFUL = "not-helpful", _("Not helpful")
        PROBLEM = "problem", _("Problem with a step")

    class Reason(models.TextChoices):
        OUTDATED = "outdated", _("Out of date")
        WRONG = "wrong", _("Wrong")
        UNCLEAR = "unclear", _("Unclear")
        MISSING = "missing", _("Something is missing")

    procedure = models.ForeignKey(
        "procedures.Procedure",
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("procedure"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=1000)
    # The step as the reader saw it: "website-2" is the second step done on the website, and
    # its title then (steps have no lasting address in a published page).
    step = models.CharField(_("step"), max_length=40, blank=True)
    step_title = models.CharField(_("step title"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    is_resolved = models.BooleanField(_("dealt with"), default=False, db_index=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("reader feedback")
        verbose_name_plural = _("reader feedback")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["procedure", "is_resolved", "kind"], name="feedback_inbox_idx")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.procedure_id}"
