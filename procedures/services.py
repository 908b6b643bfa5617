"""Writes that carry the knowledge base's rules. Admin actions, views and commands call these."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from .models import (
    DEFAULT_REVIEW_INTERVAL_DAYS,
    Carrier,
    ContactNumber,
    Document,
    Faq,
    Note,
    Procedure,
    ProcedureDocument,
    Region,
    RegionSource,
    SimType,
    Source,
    Step,
)

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


# --- Publishing ------------------------------------------------------------------------------


def procedure_publish_problems(
    *, last_verified_on: datetime.date | None, source_count: int | None
) -> dict[str, str]:
    """What stops a guide from being published, keyed by the part of the guide to fix
    (`source_count=None`: sources not known yet, not checked).

    A reader must always see where a guide's facts come from and how fresh they are.
    """
    problems = {}
    if last_verified_on is None:
        problems["last_verified_on"] = _(
            "A published guide needs the date it was last verified against its sources."
        )
    if source_count == 0:
        problems["sources"] = _("A published guide needs at least one official source.")
    return problems


# --- Importing content (the demo guides, and later bulk imports) ------------------------------

LANGUAGE_CODES = ("zh-hans", "zh-hant", "en")


class ContentError(ValueError):
    """Content that cannot be imported, with where and why."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _translated(field: str, value, *, required: bool = False) -> dict:
    """{"zh-hans": "…", "zh-hant": "…", "en": "…"} (or one string for all) as model fields."""
    if value is None:
        value = ""
    if isinstance(value, str):
        value = dict.fromkeys(LANGUAGE_CODES, value)
    if not isinstance(value, dict):
        raise ContentError(f"{field}: expected text or a mapping of languages")
    unknown = set(value) - set(LANGUAGE_CODES)
    if unknown:
        raise ContentError(f"{field}: unknown language(s) {sorted(unknown)}")
    if required and not all((value.get(code) or "").strip() for code in LANGUAGE_CODES):
        raise ContentError(f"{field}: needs text in {', '.join(LANGUAGE_CODES)}")
    return {
        build_localized_fieldname(field, code): (value.get(code) or "").strip()
        for code in LANGUAGE_CODES
    }


def _validated(obj: Model, *, exclude=None) -> Model:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ContentError(f"{type(obj).__name__}: {error.message_dict}") from error
    return obj


def _sync(model, lookup: dict, values: dict, report: ImportReport):
    """Create the row or bring it in line with `values`; only write what differs, so importing
    the same content twice changes nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = _validated(model(**lookup, **values))
        obj.save()
        report.count("created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        _validated(obj).save()
        report.count("updated")
    else:
        report.count("unchanged")
    return obj


def _sync_children(parent, relation: str, model, wanted: list[dict], report: ImportReport) -> None:
    """Make a parent's ordered rows exactly `wanted` (position = order in the list)."""
    manager = getattr(parent, relation)
    fields = sorted({name for row in wanted for name in row})
    existing = [
        {name: getattr(row, name) for name in fields} for row in manager.order_by("position")
    ]
    if existing == wanted:
        return
    manager.all().delete()
    rows = []
    for position, values in enumerate(wanted, start=1):
        row = model(position=position, **values)
        setattr(row, manager.field.name, parent)
        rows.append(_validated(row, exclude=[manager.field.name]))
    model.objects.bulk_create(rows)
    report.count("updated" if existing else "created")


@transaction.atomic
def regions_import(*, data: dict, report: ImportReport) -> None:
    """Regions with their carriers and contact numbers, and the shared documents list."""
    for position, item in enumerate(data.get("regions", []), start=1):
        region = _sync(
            Region,
            {"slug": item["slug"]},
            {
                "code": item["code"],
                "position": position,
                **_translated("name", item["name"], required=True),
                **_translated("summary", item.get("summary")),
            },
            report,
        )
        _sync_children(region, "sources", RegionSource, _sources(item), report)
        for carrier_position, entry in enumerate(item.get("carriers", []), start=1):
            carrier = _sync(
                Carrier,
                {"slug": entry["slug"]},
                {
                    "region_id": region.pk,
                    "position": carrier_position,
                    "website": entry.get("website", ""),
                    "is_active": entry.get("is_active", True),
                    "closed_on": entry.get("closed_on"),
                    **_translated("name", entry["name"], required=True),
                    **_translated("status_note", entry.get("status_note")),
                },
                report,
            )
            numbers = [
                {"number": str(number["number"]), **_translated("label", number.get("label"))}
                for number in entry.get("contact_numbers", [])
            ]
            _sync_children(carrier, "contact_numbers", ContactNumber, numbers, report)
    for position, item in enumerate(data.get("documents", []), start=1):
        _sync(
            Document,
            {"slug": item["slug"]},
            {
                "position": position,
                **_translated("name", item["name"], required=True),
                **_translated("description", item.get("description")),
            },
            report,
        )


GUIDE_TEXT_FIELDS = (
    "title",
    "summary",
    "requirement_basis",
    "eligibility",
    "processing_time",
    "fees",
    "correction_notice",
)


@transaction.atomic
def guide_import(*, data: dict, report: ImportReport) -> Procedure:
    """One guide with its checklist, steps, notes, questions and sources, in one transaction."""
    carrier = region = None
    if data.get("carrier"):
        carrier = Carrier.objects.filter(slug=data["carrier"]).first()
        if carrier is None:
            raise ContentError(f"carrier: no carrier with slug {data['carrier']!r}")
        region = carrier.region
    if data.get("region"):
        region = Region.objects.filter(slug=data["region"]).first()
        if region is None:
            raise ContentError(f"region: no region with slug {data['region']!r}")
    sim_types = set(data.get("sim_types", []))
    unknown = sim_types - set(SimType.values)
    if unknown:
        raise ContentError(f"sim_types: unknown {sorted(unknown)}")
    values = {
        "carrier_id": carrier.pk if carrier else None,
        "region_id": region.pk if region else None,
        "kind": data["kind"],
        "for_esim": SimType.ESIM in sim_types,
        "for_physical_sim": SimType.PHYSICAL in sim_types,
        "for_data_only_sim": SimType.DATA_ONLY in sim_types,
        "requirement": data.get("requirement", Procedure.Requirement.REQUIRED),
        "requirement_basis_url": data.get("requirement_basis_url", ""),
        "last_verified_on": data.get("last_verified_on"),
        "review_interval_days": data.get("review_interval_days", DEFAULT_REVIEW_INTERVAL_DAYS),
        "verified_by": data.get("verified_by", ""),
        "status": data.get("status", Procedure.Status.PUBLISHED),
        "is_featured": data.get("featured", False),
    }
    for name in GUIDE_TEXT_FIELDS:
        values |= _translated(name, data.get(name), required=name in ("title", "summary"))
    procedure = _sync(Procedure, {"slug": data["slug"]}, values, report)

    documents = {document.slug: document.pk for document in Document.objects.all()}
    checklist = []
    for item in data.get("documents", []):
        if item["slug"] not in documents:
            raise ContentError(f"documents: no document with slug {item['slug']!r}")
        checklist.append(
            {"document_id": documents[item["slug"]], **_translated("note", item.get("note"))}
        )
    _sync_children(procedure, "procedure_documents", ProcedureDocument, checklist, report)
    steps = [
        {
            "channel": step["channel"],
            **_translated("title", step["title"], required=True),
            **_translated("body", step.get("body")),
        }
        for step in data.get("steps", [])
    ]
    _sync_children(procedure, "steps", Step, steps, report)
    notes = [
        {"kind": note["kind"], **_translated("body", note["body"], required=True)}
        for note in data.get("notes", [])
    ]
    _sync_children(procedure, "notes", Note, notes, report)
    faqs = [
        {
            **_translated("question", faq["question"], required=True),
            **_translated("answer", faq["answer"], required=True),
        }
        for faq in data.get("faqs", [])
    ]
    _sync_children(procedure, "faqs", Faq, faqs, report)
    sources = _sources(data)
    if procedure.status == Procedure.Status.PUBLISHED:
        problems = procedure_publish_problems(
            last_verified_on=procedure.last_verified_on, source_count=len(sources)
        )
        if problems:
            raise ContentError(" ".join(problems.values()))
    _sync_children(procedure, "sources", Source, sources, report)
    return procedure


def _sources(data: dict) -> list[dict]:
    return [
        {
            "url": source["url"],
            "language": source.get("language", "en"),
            **_translated("title", source["title"], required=True),
        }
        for source in data.get("sources", [])
    ]
