"""Exporting texts for translators and importing their work back, with the rules that keep
the import honest: only a field whose source text is as it was at export, and whose translation
nobody changed meanwhile, is written; every other one is reported as a conflict, never
overwritten. Each change is recorded in history (django-reversion, under the translator's name)
and in the translation status (FieldTranslation), as an edit in the admin would be.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures import editorial
from procedures.editorial import events
from procedures.exchange import xliff
from procedures.exchange.units import (
    DEFAULT_SOURCE,
    LANGUAGES,
    Group,
    fill_units,
    groups_for,
    parse_unit_id,
    statuses,
)
from procedures.models import FieldTranslation, Procedure
from procedures.models import TranslationStatus as Status
from procedures.translations import status as translation_status
from procedures.translations.status import fingerprint
from procedures.translations.texts import column, text_in

STATE_RANK = {"initial": 0, "translated": 1, "reviewed": 2, "final": 3}


def _moved_on(unit) -> bool:
    """The translator moved the unit's state on from the one it was exported with (a machine
    conversion exported as "translated" and left so is not a review)."""
    exported = xliff.STATE_OF_STATUS.get(unit.notes.get("kb:status"), "final")
    return STATE_RANK.get(unit.state, 0) > STATE_RANK[exported]


class ExchangeError(Exception):
    """A file or a request that cannot be used at all (message for people)."""


def _check_languages(language: str, source: str) -> None:
    if language not in LANGUAGES or source not in LANGUAGES:
        raise ExchangeError(
            _("Unknown language. Use one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)}
        )
    if language == source:
        raise ExchangeError(_("The target language must differ from the source language."))


def exchange_export(
    *, language: str, source: str | None = None, guides: Iterable[Procedure] = (),
    carriers=(), regions=(), documents=(), progress: Callable[[Group], None] | None = None,
) -> tuple[bytes, int]:  # fmt: skip
    """The XLIFF 2.0 file for translating these objects' texts into `language` (a code of
    settings.LANGUAGES) from `source` (default: units.DEFAULT_SOURCE), and how many units it
    holds. Guides are exported as editors' working copies (what the next publication will show).
    `progress` is called once per object written. Raises ExchangeError for unknown languages."""
    source = source or DEFAULT_SOURCE.get(language, "")
    _check_languages(language, source)
    groups = groups_for(guides=guides, carriers=carriers, regions=regions, documents=documents)
    fill_units(groups, language=language, source=source)
    if progress:
        for group in groups:
            progress(group)
    return xliff.write(groups, source=source, target=language), sum(len(g.units) for g in groups)


@dataclass
class Conflict:
    id: str
    reason: str


@dataclass
class ImportReport:
    language: str = ""
    updated: list[str] = field(default_factory=list)  # unit ids written
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def _may_translate(user) -> bool:
    return user.has_perm("procedures.translate_procedure") or user.has_perm(
        "procedures.change_procedure"
    )


@transaction.atomic
def exchange_import(
    *, data: bytes, user, language: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:  # fmt: skip
    """Write the translations of an exchange file (bytes of XLIFF 2.0 made by `exchange_export`)
    back, as `user` (an editor or translator). `language`, when given, must be the file's target.

    A unit is written when its translation differs from the one exported, or when the
    translator accepted a stale or machine-converted text as it is (its state moved on); it is
    refused as a conflict when its row is gone, its source text changed since export, or its
    translation was changed by someone else meanwhile. Guides touched go back to draft, as
    after any edit (readers see the new texts once a publisher publishes). `progress` is called
    with the number of units handled so far. Raises ExchangeError when the file cannot be used.
    """
    if not _may_translate(user):
        raise ExchangeError(_("Only editors and translators can import translations."))
    try:
        parsed = xliff.read(data)
    except xliff.FileError:
        raise ExchangeError(_("This is not an XLIFF 2.0 file exported by this site.")) from None
    target, source = parsed.target, parsed.source
    if target not in LANGUAGES or source not in LANGUAGES or target == source:
        raise ExchangeError(
            _("The file's languages (%(source)s → %(target)s) are not this site's.")
            % {"source": source or "?", "target": target or "?"}
        )
    if language and language != target:
        raise ExchangeError(
            _("This file is a translation into %(found)s, not %(expected)s.")
            % {"found": LANGUAGES[target], "expected": LANGUAGES[language]}
        )
    report = ImportReport(language=target)
    rows = _rows_of(parsed.units)
    known = statuses(list(rows.values()), language=target)
    changes: dict[tuple[type[Model], int], dict[str, tuple[str, bool]]] = {}
    for number, unit in enumerate(parsed.units, start=1):
        if progress:
            progress(number)
        problem, change = _check(unit, rows, known, source=source, target=target)
        if problem:
            report.conflicts.append(Conflict(unit.id, problem))
        elif change is None:
            report.unchanged += 1
        else:
            model, pk, name = parse_unit_id(unit.id)
            changes.setdefault((model, pk), {})[name] = change
            report.updated.append(unit.id)
    if changes:
        _write(changes, rows, known, target=target, user=user)
    return report


def _rows_of(units) -> dict[tuple[type[Model], int], Model]:
    """The rows the units name, that still exist (one query per model)."""
    wanted: dict[type[Model], set[int]] = {}
    for unit in units:
        parsed = parse_unit_id(unit.id)
        if parsed:
            wanted.setdefault(parsed[0], set()).add(parsed[1])
    return {
        (model, row.pk): row
        for model, ids in wanted.items()
        for row in model.objects.filter(pk__in=ids)
    }


def _check(unit, rows, known, *, source: str, target: str):
    """(conflict reason or None, (new text, accepted as is) or None for nothing to do)."""
    parsed = parse_unit_id(unit.id)
    if parsed is None:
        return _("This text is not one this site exports."), None
    model, pk, name = parsed
    row = rows.get((model, pk))
    if row is None:
        return _("This text no longer exists on the site."), None
    if unit.notes.get("kb:source") != fingerprint(text_in(row, name, source)):
        return _("Its source text changed since the export; export it again."), None
    current = text_in(row, name, target)
    new = unit.target
    exported = unit.notes.get("kb:target")
    if not new.strip():
        return None, None  # left untranslated: nothing to write
    if fingerprint(new) == fingerprint(current):
        state = known.get((model._meta.model_name, pk, name))
        catching_up = state is not None and state.status in (Status.STALE, Status.MACHINE)
        if catching_up and _moved_on(unit) and exported == fingerprint(current):
            return None, (current, True)
        return None, None
    if exported != fingerprint(current):
        return _("Someone changed this translation on the site since the export."), None
    return None, (new, False)


def _write(changes, rows, known, *, target: str, user) -> None:
    guides: set[int] = set()
    with reversion.create_revision():
        for (model, pk), fields in changes.items():
            row = rows[(model, pk)]
            before = translation_status.texts_of(row)
            texts_changed = False
            for name, (text, _accepted) in fields.items():
                if text != text_in(row, name, target):
                    setattr(row, column(name, target), text)
                    texts_changed = True
            if texts_changed:
                row.save()
                # The field's own source stays the source: a translation brought up to date
                # leaves the other languages as they stand.
                own_sources = {
                    known[(model._meta.model_name, pk, name)].source_language
                    for name in fields
                    if (model._meta.model_name, pk, name) in known
                }
                translation_status.record(row, before=before, minor_fix=target not in own_sources)
            accepted = [name for name, (_text, accepted) in fields.items() if accepted]
            if accepted:
                _mark_current(row, fields=accepted, language=target)
            guide = translation_status.procedure_id_of(row)
            if guide:
                guides.add(guide)
        for procedure in Procedure.objects.filter(pk__in=guides):
            reversion.add_to_revision(procedure)
        reversion.set_user(user)
        reversion.set_comment(events.comment("translations_imported", language=target))
    for procedure in Procedure.objects.filter(pk__in=guides):
        editorial.procedure_mark_edited(procedure=procedure, user=user)


def _mark_current(row: Model, *, fields: list[str], language: str) -> None:
    """A translator accepted these fields' `language` texts as they are: up to date with their
    source and reviewed by a person (no longer stale or machine-converted)."""
    states = FieldTranslation.objects.filter(
        content_type=ContentType.objects.get_for_model(row),
        object_id=row.pk,
        field__in=fields,
        language=language,
    )
    for state in states:
        state.source_hash = fingerprint(text_in(row, state.field, state.source_language))
        state.machine_converted = False
        state.status = Status.COMPLETE
        state.updated_at = timezone.now()
        state.save(update_fields=["source_hash", "machine_converted", "status", "updated_at"])
