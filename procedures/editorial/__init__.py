"""The editorial workflow: how a guide goes from draft through review to a publisher, what an
editor may do at each step and why not (`WorkflowError` carries the reasons, translated), the
order of a guide's rows, its history (django-reversion) and restoring an earlier version, and
filling one Chinese script from the other.

Callers use the package: `editorial.procedure_submit_for_review(...)`. Depends on the models and
`procedures.translations`; publishing depends on it, never the other way.
"""

from procedures.editorial.filling import Conversion, procedure_convert
from procedures.editorial.ordering import rows_save_in_order
from procedures.editorial.workflow import (
    MAX_SCHEDULE_AHEAD,
    MAX_SCHEDULE_BEHIND,
    WorkflowError,
    check_permission,
    live_publication,
    procedure_mark_edited,
    procedure_publish_problems,
    procedure_restore,
    procedure_submit_for_review,
    publish_refusal,
    publish_time_problem,
    record_event,
    slug_problem,
)

__all__ = [
    "MAX_SCHEDULE_AHEAD", "MAX_SCHEDULE_BEHIND", "Conversion", "WorkflowError",
    "check_permission", "live_publication", "procedure_convert", "procedure_mark_edited",
    "procedure_publish_problems", "procedure_restore", "procedure_submit_for_review",
    "publish_refusal", "publish_time_problem", "record_event", "rows_save_in_order",
    "slug_problem",
]  # fmt: skip
