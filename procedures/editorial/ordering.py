"""Saving rows that editors put in order (steps, notes, FAQs …) without tripping the unique
position constraint, whatever the order they were moved in."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import F, Model

# Rows are moved this far out of the way while their parent's rows are renumbered.
_POSITION_OFFSET = 1_000_000


@transaction.atomic
def rows_save_in_order(*, parent_field: str, parent: Model, rows: Sequence[Model]) -> None:
    """Save `rows` (steps, notes, questions, …) of `parent` numbered 1, 2, 3… in the order given.

    A parent's rows have unique positions; rows swapping places would collide if saved one by
    one, so the stored rows are first moved out of the way, in the same transaction.
    """
    if not rows:
        return
    model = type(rows[0])
    model.objects.filter(**{parent_field: parent}).update(position=F("position") + _POSITION_OFFSET)
    for position, row in enumerate(rows, start=1):
        row.position = position
        row.save()
