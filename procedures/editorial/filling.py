"""Filling Traditional Chinese texts from Simplified ones (or back) by machine conversion, as an
editorial step: recorded in the history, marked as machine-converted until reviewed, and never
over a reviewed translation unless the editor asks."""

from collections.abc import Collection
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from procedures.editorial.workflow import WorkflowError, procedure_mark_edited
from procedures.models import (
    Procedure,
    TranslationStatus,
)
from procedures.translations import conversion
from procedures.translations import status as translation_status
from procedures.translations.texts import column


@dataclass
class ConversionProposal:
    """One text a conversion would write: `key` names it ("procedures.step:12:title")."""

    key: str
    label: str
    current: str
    proposed: str
    reviewed: bool  # a person's stale translation: replaced only when asked


@dataclass
class Conversion:
    filled: list[str]  # "Step 2 · title" …
    held_back: list[str]  # reviewed translations left as they are (ask before replacing them)
    proposals: list[ConversionProposal] = dataclass_field(default_factory=list)  # preview only


def _rows_of(procedure: Procedure) -> list[Model]:
    procedure = Procedure.objects.working_copy(procedure)
    rows = [procedure]
    for related in (procedure.procedure_documents, procedure.steps, procedure.notes,
                    procedure.faqs, procedure.sources):  # fmt: skip
        rows += list(related.all())
    return rows


def _label(row, field: str) -> str:
    name = str(row._meta.get_field(field).verbose_name)
    if isinstance(row, Procedure):
        return name
    return f"{row._meta.verbose_name} {row.position} · {name}"


@transaction.atomic
def procedure_convert(
    *,
    procedure: Procedure,
    target: str,
    user=None,
    replace_reviewed: bool = False,
    preview: bool = False,
    only: Collection[str] | None = None,
) -> Conversion:
    """Fill a guide's empty, stale or machine-made texts in one Chinese script from the other
    with OpenCC, in the usage of the guide's region. The results are marked machine-converted,
    not reviewed. A stale translation a person wrote is only replaced with `replace_reviewed`
    or when `only` names it. `preview` writes nothing and lists each text it would write in
    `proposals` (current and proposed text); `only` (proposal keys) limits the writing to the
    texts an editor ticked."""
    if user is not None and not (
        user.has_perm("procedures.change_procedure")
        or user.has_perm("procedures.translate_procedure")
    ):
        raise WorkflowError([_("Only editors and translators can convert translations.")])
    source = {"zh-hant": "zh-hans", "zh-hans": "zh-hant"}[target]
    variant = procedure.region.chinese_variant if procedure.region_id else "hk"
    convert = conversion.to_traditional if target == "zh-hant" else conversion.to_simplified
    result = Conversion(filled=[], held_back=[])
    for row in _rows_of(procedure):
        statuses = translation_status.statuses_of(row, language=target)
        before = translation_status.texts_of(row)
        machine = set()
        for field, texts in before.items():
            if not texts[source].strip():
                continue
            state = statuses.get(field)
            key = f"{row._meta.label_lower}:{row.pk}:{field}"
            if only is not None and key not in only:
                continue
            reviewed = False
            if texts[target].strip() and state is not None:
                if state.status == TranslationStatus.COMPLETE:
                    continue
                reviewed = state.status == TranslationStatus.STALE and not state.machine_converted
                if reviewed and not (replace_reviewed or preview or only is not None):
                    result.held_back.append(_label(row, field))
                    continue
            if preview:
                proposed = convert(texts[source], variant=variant)
                result.proposals.append(
                    ConversionProposal(key, _label(row, field), texts[target], proposed, reviewed)
                )
                continue
            setattr(row, column(field, target), convert(texts[source], variant=variant))
            machine.add((field, target))
            result.filled.append(_label(row, field))
        if machine:
            row.save()
            translation_status.record(row, before=before, machine=machine)
    if result.filled and isinstance(user, get_user_model()):
        procedure_mark_edited(procedure=procedure, user=user)
    return result
