"""What an import wrote, and whether it may write again: the import's report, its errors, and a
fingerprint of each object it wrote (`ImportedState`), so that nothing someone changed after an
import is overwritten by the next one (see procedures/importing/demo.py)."""

import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Model
from reversion.models import Version

from procedures.models import Carrier, Document, ImportedState, Procedure, Region
from procedures.translations.texts import translated_fields

# The comment of every revision an import records (loaddemo adds the file's name).
IMPORT_COMMENT = "Demo content:"


class ContentError(ValueError):
    """Content that cannot be imported, with where and why."""


@dataclass
class ImportReport:
    """What an import did. `skipped`/`overwritten`: "guide macau-esim-real-name", …"""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    force: bool = False
    skipped: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def writes(self) -> int:
        return self.created + self.updated

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return text + f", {len(self.skipped)} skipped"


# --- Changed since the import? ---------------------------------------------------------------

# Fields an import does not write, or that every save changes: not part of what it wrote.
_BOOKKEEPING = {"id", "created_at", "updated_at", "last_edited_by", "review_due_on"}
RELATIONS = {
    Region: ("sources",),
    Carrier: ("contact_numbers",),
    Document: (),
    Procedure: ("procedure_documents", "steps", "notes", "faqs", "sources"),
}
LABELS = {Region: "region", Carrier: "carrier", Document: "document", Procedure: "guide"}


def _state(obj: Model, *, parent: str | None = None) -> dict:
    # A translated field's own name ("title") reads whichever language is active: only its
    # per-language columns ("title_en", …) say what is stored.
    skip = _BOOKKEEPING | {parent} | set(translated_fields(type(obj)))
    return {
        model_field.attname: getattr(obj, model_field.attname)
        for model_field in obj._meta.concrete_fields
        if model_field.name not in skip
    }


def fingerprint(obj: Model) -> str:
    """A hash of everything an import writes to `obj` (a Region, Carrier, Document or
    Procedure) and its rows, as stored now: 64 hex characters."""
    state = _state(obj)
    for relation in RELATIONS[type(obj)]:
        manager = getattr(obj, relation)
        state[relation] = [
            _state(row, parent=manager.field.name) for row in manager.order_by("position", "pk")
        ]
    encoded = json.dumps(state, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def target(model, slug: str, report: ImportReport):
    """The object the import writes for `slug` (None: create it) and whether it may write it
    (see `may_write`). An object the import made that editors have since renamed or deleted is
    skipped too (reported): writing the slug again would make a second one, or undo a deletion."""
    record = ImportedState.objects.filter(model=LABELS[model], key=slug).first()
    if record is not None and record.object_id is not None:
        made = model.objects.filter(pk=record.object_id).first()
        if made is None or made.slug != slug:
            what = "deleted by editors" if made is None else f"renamed to {made.slug} by editors"
            taken = model.objects.filter(slug=slug).exists()
            if made is None and report.force and not taken:
                report.overwritten.append(f"{LABELS[model]} {slug} ({what})")
                return None, True
            report.skipped.append(f"{LABELS[model]} {slug} ({what})")
            return made, False
    obj = model.objects.filter(slug=slug).first()
    return obj, may_write(obj, report)


def _changed_since_import(obj: Model) -> bool:
    record = ImportedState.objects.filter(model=LABELS[type(obj)], key=obj.slug).first()
    if record is not None:
        return record.fingerprint != fingerprint(obj)
    # Written before fingerprints were kept: ours if no one but an import recorded a version.
    latest = Version.objects.get_for_object(obj).select_related("revision").first()
    return latest is not None and not (
        latest.revision.user_id is None and latest.revision.get_comment().startswith(IMPORT_COMMENT)
    )


def may_write(obj: Model | None, report: ImportReport) -> bool:
    """Whether the import may write `obj` (None: it does not exist yet, so yes). An object
    changed since the import wrote it is skipped, or with `report.force` overwritten; both are
    reported."""
    if obj is None or not _changed_since_import(obj):
        return True
    name = f"{LABELS[type(obj)]} {obj.slug}"
    if report.force:
        report.overwritten.append(name)
        return True
    report.skipped.append(name)
    return False


def remember(obj: Model) -> None:
    """Record what the import has just written to `obj` (and its rows)."""
    obj = type(obj).objects.get(pk=obj.pk)  # as stored: publishing updates columns in place
    ImportedState.objects.update_or_create(
        model=LABELS[type(obj)],
        key=obj.slug,
        defaults={"fingerprint": fingerprint(obj), "object_id": obj.pk},
    )
