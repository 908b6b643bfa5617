"""Importing content: the demo knowledge base (`manage.py loaddemo`) and later bulk imports.

An import never overwrites what someone changed after it. Each object it writes (a region with its
sources, a carrier with its numbers, a document, a guide with its rows) is remembered by a
fingerprint of what it wrote (`ImportedState`); an object that no longer matches its fingerprint,
or that an editor made, is left alone and reported as skipped (procedures/importing/state.py).
`force=True` overwrites them, and the report names each one. Importing the same content twice
changes nothing.

Guides may absorb others (`redirect_from: [old-slug, …]`): the old addresses answer with a
permanent redirect (`GuideRedirect`), and an absorbed guide the import made is archived.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from modeltranslation.utils import build_localized_fieldname

from kb.links import is_web_url
from procedures.editorial.workflow import WorkflowError
from procedures.importing.state import (  # noqa: F401 - ContentError, ImportReport, IMPORT_COMMENT: the API
    IMPORT_COMMENT,
    ContentError,
    ImportReport,
    may_write,
    remember,
    target,
)
from procedures.models import (
    DEFAULT_REVIEW_INTERVAL_DAYS,
    Carrier,
    ContactNumber,
    Document,
    Faq,
    GuideRedirect,
    Note,
    Procedure,
    ProcedureDocument,
    Region,
    RegionSource,
    SimType,
    Source,
    Step,
)
from procedures.publishing.publish import (
    live_publication,
    procedure_archive,
    procedure_publish,
    publication_values,
)
from procedures.publishing.snapshot import guide_snapshot
from procedures.translations import status as translation_status
from procedures.translations.texts import LANGUAGE_CODES, translated_fields

# The comment of every revision an import records (loaddemo adds the file's name).


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
        translation_status.record(obj, before=None)
        report.count("created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        before = translation_status.texts_of(obj)
        for name in changed:
            setattr(obj, name, values[name])
        _validated(obj).save()
        translation_status.record(obj, before=before)
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
    for row in rows:
        translation_status.record(row, before=None)
    report.count("updated" if existing else "created")


def _record_in_history(obj: Model, report: "ImportReport", since: int) -> None:
    """Rows written in bulk send no signals: when the import changed anything since `since`,
    record the object with its rows as they now are."""
    if reversion.is_active() and report.writes > since:
        reversion.add_to_revision(obj)


@transaction.atomic
def regions_import(*, data: dict, report: ImportReport) -> None:
    """Regions with their carriers and contact numbers, and the shared documents list.

    Raises ContentError (or KeyError for a missing field) for content that cannot be imported."""
    for position, item in enumerate(data.get("regions", []), start=1):
        region, writable = target(Region, item["slug"], report)
        if region is None and not writable:
            continue  # deleted by editors: its carriers have nowhere to go
        if writable:
            region_mark = report.writes
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
            _record_in_history(region, report, region_mark)
            remember(region)
        for carrier_position, entry in enumerate(item.get("carriers", []), start=1):
            if not target(Carrier, entry["slug"], report)[1]:
                continue
            carrier_mark = report.writes
            carrier = _sync(
                Carrier,
                {"slug": entry["slug"]},
                {
                    "region_id": region.pk,
                    "position": carrier_position,
                    "website": _web_address("website", entry.get("website", "")),
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
            _record_in_history(carrier, report, carrier_mark)
            remember(carrier)
    for position, item in enumerate(data.get("documents", []), start=1):
        if not target(Document, item["slug"], report)[1]:
            continue
        document_mark = report.writes
        document = _sync(
            Document,
            {"slug": item["slug"]},
            {
                "position": position,
                **_translated("name", item["name"], required=True),
                **_translated("description", item.get("description")),
            },
            report,
        )
        _record_in_history(document, report, document_mark)
        remember(document)


# Every translated field of a guide is read from its file (procedures/translation.py).
GUIDE_TEXT_FIELDS = translated_fields(Procedure)


@transaction.atomic
def guide_import(*, data: dict, report: ImportReport) -> Procedure:
    """One guide with its checklist, steps, notes, questions and sources, in one transaction;
    published when its status says so (the default). A guide changed since the import wrote it
    is left as it is (see `may_write`).

    Raises ContentError (or KeyError for a missing field) for content that cannot be imported,
    including a guide that may not be published as it is."""
    existing, writable = target(Procedure, data["slug"], report)
    if not writable:
        return existing
    mark = report.writes
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
        "requirement_basis_url": _web_address(
            "requirement_basis_url", data.get("requirement_basis_url", "")
        ),
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
    _sync_children(procedure, "sources", Source, _sources(data), report)
    _record_in_history(procedure, report, mark)
    if procedure.status == Procedure.Status.PUBLISHED:
        _publish_if_changed(procedure, data.get("change_note"), report)
    _absorb(procedure, data.get("redirect_from") or [], report)
    remember(procedure)
    return procedure


def _absorb(procedure: Procedure, old_slugs: list[str], report: ImportReport) -> None:
    """`procedure` took over the content of the guides once at `old_slugs`: their addresses
    answer with a permanent redirect to it, and those the import made are archived (one an
    editor changed stays as it is, and is reported)."""
    for old_slug in old_slugs:
        if old_slug == procedure.slug:
            raise ContentError(f"redirect_from: {old_slug!r} is this guide's own address")
        absorbed = Procedure.objects.filter(slug=old_slug).first()
        if absorbed is not None and absorbed.status != Procedure.Status.ARCHIVED:
            if not may_write(absorbed, report):
                continue  # an editor kept working on it: it keeps its address
            procedure_archive(procedure=absorbed, user=None)
            report.count("updated")
        GuideRedirect.objects.update_or_create(old_slug=old_slug, defaults={"procedure": procedure})


def _web_address(name: str, url: str) -> str:
    """`url` if empty or http(s) (kb/links.py), else ContentError: a stored address becomes a
    link on readers' pages, and a javascript: or data: one would run in their browser."""
    if url and not is_web_url(url):
        raise ContentError(f"{name}: {url!r} is not an http or https address")
    return url


def _publish_if_changed(procedure: Procedure, change_note, report: ImportReport) -> None:
    working = Procedure.objects.working_copy(procedure)
    current = live_publication(procedure)
    if current is not None:
        snapshot = guide_snapshot(working)
        snapshot["changes"] = current.page.content.get("changes", [])
        wanted = publication_values(working, snapshot)
        unchanged = all(getattr(current, name) == value for name, value in wanted.items())
        if unchanged and current.page.content == snapshot:
            return
    try:
        procedure_publish(procedure=working, change_note=_translated_dict(change_note))
    except WorkflowError as error:
        raise ContentError(str(error)) from error
    report.count("updated")


def _translated_dict(value) -> dict[str, str]:
    if not value:
        return {}
    return dict.fromkeys(LANGUAGE_CODES, value) if isinstance(value, str) else value


def _sources(data: dict) -> list[dict]:
    return [
        {
            "url": _web_address("sources.url", source["url"]),
            "language": source.get("language", "en"),
            **_translated("title", source["title"], required=True),
        }
        for source in data.get("sources", [])
    ]
