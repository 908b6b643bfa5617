"""Recording readers' feedback, and what it does to a guide's review date."""

import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from procedures.feedback.models import OUTDATED_REPORTS_FOR_REVIEW, Feedback
from procedures.models import Procedure


@transaction.atomic
def feedback_record(
    *,
    procedure: Procedure,
    kind: str,
    language: str,
    reason: str = "",
    comment: str = "",
    step: str = "",
    step_title: str = "",
) -> Feedback:
    """Store one reader's feedback on `procedure` and return it.

    The third open "outdated" report since the guide was last verified makes its review due
    at once (`Procedure.review_due_on`, which the review-due filters and lists read), so it is
    on the editors' list at once. That date is derived again from the last verification when
    the guide is next saved; the open reports still show in the feedback inbox and filter."""
    feedback = Feedback(
        procedure=procedure,
        kind=kind,
        language=language,
        reason=reason,
        comment=comment.strip(),
        step=step,
        step_title=step_title[:200],
    )
    feedback.full_clean()
    feedback.save()
    outdated = reason == Feedback.Reason.OUTDATED
    if outdated and outdated_reports(procedure) >= OUTDATED_REPORTS_FOR_REVIEW:
        # Due means "due before today" (ProcedureQuerySet.review_due): due since yesterday.
        due = timezone.localdate() - datetime.timedelta(days=1)
        Procedure.objects.filter(pk=procedure.pk).filter(
            Q(review_due_on__isnull=True) | Q(review_due_on__gt=due)
        ).update(review_due_on=due)
    return feedback


def outdated_reports(procedure: Procedure) -> int:
    """Open "outdated" reports on a guide made after its last verification."""
    reports = Feedback.objects.open().filter(procedure=procedure, reason=Feedback.Reason.OUTDATED)
    if procedure.last_verified_on:
        since = datetime.datetime.combine(
            procedure.last_verified_on + datetime.timedelta(days=1),
            datetime.time.min,
            tzinfo=timezone.get_current_timezone(),
        )
        reports = reports.filter(created_at__gte=since)
    return reports.count()


def flagged_for_review():
    """Ids of guides with enough open "outdated" reports to need a review (a subquery)."""
    return (
        Feedback.objects.open()
        .filter(reason=Feedback.Reason.OUTDATED)
        .values("procedure_id")
        .annotate(reports=Count("pk"))
        .filter(reports__gte=OUTDATED_REPORTS_FOR_REVIEW)
        .values("procedure_id")
    )
