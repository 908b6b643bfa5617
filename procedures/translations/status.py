"""Where every translated text stands, kept current on every save (services call `record`).

One FieldTranslation row per (row, field, language). The field's source is the language an
editor last changed as content; the others remember the hash of the source text they were made
from, so they turn stale when the source moves on. Editing a stale, missing or machine-converted
translation brings it up to date; editing an up-to-date one makes it the new source. A change
marked as a minor fix leaves every translation up to date.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from modeltranslation.translator import translator

from procedures.models import FieldTranslation, Procedure, Publication, PublicationPage
from procedures.models import TranslationStatus as Status
from procedures.translations.texts import LANGUAGE_CODES, text_in

DEFAULT = LANGUAGE_CODES[0]
# Derived from the content, never edited: no translation status of their own.
UNTRACKED = {Publication, PublicationPage}
CATCHING_UP = {Status.MISSING, Status.STALE, Status.MACHINE}
WRITTEN = [
    "procedure", "source_language", "source_hash", "machine_converted", "status",
    "source_changed_at", "updated_at",
]  # fmt: skip


def tracked_models() -> list[type[models.Model]]:
    return [model for model in translator.get_registered_models() if model not in UNTRACKED]


def translated_fields(model) -> tuple[str, ...]:
    return translator.get_options_for_model(model).fields


def texts_of(obj) -> dict[str, dict[str, str]]:
    """{field: {language: text}} of a row's translated fields, as they are now."""
    return {
        field: {code: text_in(obj, field, code) for code in LANGUAGE_CODES}
        for field in translated_fields(type(obj))
    }


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:20]


def procedure_id_of(obj) -> int | None:
    if isinstance(obj, Procedure):
        return obj.pk
    return getattr(obj, "procedure_id", None)


def _status(language, texts, source, hashes, machine) -> str:
    if not texts[source].strip():
        return Status.COMPLETE  # nothing to translate
    if not texts[language].strip():
        return Status.MISSING
    if language == source:
        return Status.COMPLETE
    if hashes.get(language) != fingerprint(texts[source]):
        return Status.STALE
    return Status.MACHINE if machine.get(language) else Status.COMPLETE


@transaction.atomic
def record(obj, *, before: dict[str, dict[str, str]] | None, minor_fix: bool = False,
           machine: set[tuple[str, str]] = frozenset()) -> None:  # fmt: skip
    """Record what a save did to `obj`'s texts. `before`: texts_of(obj) before the save (None
    for a new row); `machine`: (field, language) pairs just filled by a converter."""
    content_type = ContentType.objects.get_for_model(obj)
    rows = {
        (row.field, row.language): row
        for row in FieldTranslation.objects.filter(content_type=content_type, object_id=obj.pk)
    }
    now = timezone.now()
    procedure_id = procedure_id_of(obj)
    new, updated = [], []
    for field, texts in texts_of(obj).items():
        existing = {code: rows.get((field, code)) for code in LANGUAGE_CODES}
        known = next((row for row in existing.values() if row), None)
        source = known.source_language if known else _first_filled(texts)
        hashes = {code: row.source_hash for code, row in existing.items() if row}
        statuses = {code: row.status for code, row in existing.items() if row}
        machine_flags = {code: row.machine_converted for code, row in existing.items() if row}
        old = (before or {}).get(field)
        changed = [code for code in LANGUAGE_CODES if old is None or texts[code] != old[code]]
        source_changed = False

        if old is None or known is None:  # new: what was written together is one version
            source = _first_filled(texts)
            hashes = dict.fromkeys(LANGUAGE_CODES, fingerprint(texts[source]))
            source_changed = True
        elif changed:
            updated_content = [
                code for code in changed
                if code != source and statuses.get(code, Status.COMPLETE) not in CATCHING_UP
            ]  # fmt: skip
            if source in changed or (updated_content and not minor_fix):
                if source not in changed:
                    source = updated_content[0]  # the language an editor last changed
                source_changed = not minor_fix
            for code in changed:  # typed now, against the source as it is now
                hashes[code] = fingerprint(texts[source])
                machine_flags[code] = (field, code) in machine
            if minor_fix:  # a typo fix keeps every translation up to date
                for code in LANGUAGE_CODES:
                    if statuses.get(code) == Status.COMPLETE or code in changed:
                        hashes[code] = fingerprint(texts[source])
            hashes[source] = fingerprint(texts[source])

        for code in LANGUAGE_CODES:
            hashes.setdefault(code, "")
            machine_flags[code] = machine_flags.get(code, False) or (field, code) in machine
            row = existing[code]
            if row is None:
                row = FieldTranslation(
                    content_type=content_type, object_id=obj.pk, field=field, language=code
                )
                new.append(row)
            else:
                updated.append(row)
            row.procedure_id = procedure_id
            row.source_language = source
            row.source_hash = hashes[code]
            row.machine_converted = machine_flags[code] and code != source
            row.status = _status(code, texts, source, hashes, {code: row.machine_converted})
            if source_changed or row.source_changed_at is None:
                row.source_changed_at = now
            row.updated_at = now
    FieldTranslation.objects.bulk_create(new)
    FieldTranslation.objects.bulk_update(updated, WRITTEN)


def _first_filled(texts: dict[str, str]) -> str:
    if texts[DEFAULT].strip():
        return DEFAULT
    return next((code for code in LANGUAGE_CODES if texts[code].strip()), DEFAULT)


def forget(obj) -> None:
    """A row was deleted: its texts no longer need translating."""
    FieldTranslation.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).delete()


def mark_reviewed(*, procedure: Procedure, language: str) -> int:
    """An editor checked the machine-converted texts of a guide in a language."""
    rows = FieldTranslation.objects.filter(
        procedure=procedure, language=language, machine_converted=True
    )
    count = 0
    for row in rows:
        row.machine_converted = False
        if row.status == Status.MACHINE:
            row.status = Status.COMPLETE
        row.save(update_fields=["machine_converted", "status", "updated_at"])
        count += 1
    return count


def restore(rows: list, *, states: list[dict] | None) -> None:
    """After a version of a guide was restored: its translations stand as they stood then.

    `rows`: the guide and its rows as restored; `states`: what history.translation_states gives
    (None for a version recorded before states were kept: its texts are then taken as written
    together, each language with text complete)."""
    procedure_id = procedure_id_of(rows[0])
    FieldTranslation.objects.filter(procedure_id=procedure_id).delete()
    by_row: dict[tuple[str, int], list[dict]] = {}
    for state in states or ():
        by_row.setdefault((state["model"], state["id"]), []).append(state)
    now = timezone.now()
    restored = []
    for row in rows:
        content_type = ContentType.objects.get_for_model(row)
        FieldTranslation.objects.filter(content_type=content_type, object_id=row.pk).delete()
        saved = by_row.get((row._meta.model_name, row.pk))
        if not saved:
            record(row, before=None)
            continue
        restored += [
            FieldTranslation(
                content_type=content_type, object_id=row.pk, field=state["field"],
                language=state["language"], procedure_id=procedure_id, status=state["status"],
                source_language=state["source_language"], source_hash=state["source_hash"],
                machine_converted=state["machine"], source_changed_at=now,
            )
            for state in saved
        ]  # fmt: skip
    FieldTranslation.objects.bulk_create(restored)


def statuses_of(obj, *, language: str) -> dict[str, FieldTranslation]:
    return {
        row.field: row
        for row in FieldTranslation.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, language=language
        )
    }


NEEDS_WORK = [Status.MISSING, Status.STALE, Status.MACHINE]


def needs_by_procedure(procedure_ids=None) -> dict[int, dict[str, dict[str, int]]]:
    """{procedure id: {language: {status: count}}} of what still needs translating."""
    rows = FieldTranslation.objects.filter(status__in=NEEDS_WORK, procedure__isnull=False)
    if procedure_ids is not None:
        rows = rows.filter(procedure_id__in=procedure_ids)
    table: dict[int, dict[str, dict[str, int]]] = {}
    counts = rows.values("procedure_id", "language", "status").annotate(n=models.Count("pk"))
    for row in counts.order_by():
        by_language = table.setdefault(row["procedure_id"], {})
        by_language.setdefault(row["language"], {})[row["status"]] = row["n"]
    return table
