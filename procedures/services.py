"""Writes that carry the knowledge base's rules. Admin actions, views and commands call these."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from kb import cache as page_cache
from kb.links import is_web_url

from . import conversion, translation_status
from .models import (
    DEFAULT_REVIEW_INTERVAL_DAYS,
    Carrier,
    ContactNumber,
    Document,
    Faq,
    Note,
    Procedure,
    ProcedureDocument,
    Publication,
    PublicationPage,
    Region,
    RegionSource,
    SimType,
    Source,
    Step,
    TranslationStatus,
)
from .snapshots import (
    LANGUAGE_CODES,
    GuideView,
    carrier_block,
    guide_snapshot,
    region_block,
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


# --- Editorial workflow: draft → in review → published (→ archived) -------------------------


class WorkflowError(Exception):
    """A workflow step that cannot be taken, with every reason, in the user's language."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(str(problem) for problem in problems))
        self.problems = problems


def _check_permission(user, permission: str, message: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise WorkflowError([message])


def working_copy(procedure: Procedure) -> Procedure:
    """The editors' version of a guide with every row its page shows."""
    return (
        Procedure.objects.select_related("carrier__region", "region")
        .prefetch_related(
            "steps",
            "notes",
            "faqs",
            "sources",
            Prefetch(
                "procedure_documents",
                queryset=ProcedureDocument.objects.select_related("document"),
            ),
            "carrier__contact_numbers",
        )
        .get(pk=procedure.pk)
    )


def procedure_publish_problems(*, procedure: Procedure) -> list[str]:
    """Everything that stops a guide from being published. Readers must always see where a
    guide's facts come from, how fresh they are, and the whole guide in their language."""
    problems = []
    if procedure.last_verified_on is None:
        problems.append(
            _("A published guide needs the date it was last verified against its sources.")
        )
    if not procedure.sources.all():
        problems.append(_("A published guide needs at least one official source."))
    steps = procedure.steps.all()
    if not steps:
        problems.append(_("A published guide needs at least one step."))

    def require(obj, field, label):
        empty = [code for code in LANGUAGE_CODES if not getattr(obj, _field(field, code)).strip()]
        if empty:
            problems.append(
                _("%(part)s is missing in %(languages)s.")
                % {"part": label, "languages": _language_names(empty)}
            )

    require(procedure, "title", _("The title"))
    require(procedure, "summary", _("The summary"))
    for number, step in enumerate(steps, start=1):
        require(step, "title", _("The title of step %(number)s") % {"number": number})
    for number, note in enumerate(procedure.notes.all(), start=1):
        require(note, "body", _("Note %(number)s") % {"number": number})
    for number, faq in enumerate(procedure.faqs.all(), start=1):
        require(faq, "question", _("Question %(number)s") % {"number": number})
        require(faq, "answer", _("The answer to question %(number)s") % {"number": number})
    return problems


def _language_names(codes) -> str:
    names = dict(settings.LANGUAGES)
    return ", ".join(names[code] for code in codes)


def _field(field: str, code: str) -> str:
    return build_localized_fieldname(field, code)


def _search_text(procedure: Procedure) -> str:
    parts = []
    for obj, field in [(procedure, "title"), (procedure, "summary")]:
        parts += [getattr(obj, _field(field, code)) for code in LANGUAGE_CODES]
    if procedure.carrier:
        parts += [getattr(procedure.carrier, _field("name", code)) for code in LANGUAGE_CODES]
    return " ".join(part for part in parts if part).lower()


def publication_values(procedure: Procedure, snapshot: dict) -> dict:
    channels = {step["channel"] for step in snapshot["steps"]}
    documents = [item["slug"] for item in snapshot["documents"]]
    values = {
        "slug": procedure.slug,
        "region_id": procedure.region_id,
        "carrier_id": procedure.carrier_id,
        "kind": procedure.kind,
        "requirement": procedure.requirement,
        "for_esim": procedure.for_esim,
        "for_physical_sim": procedure.for_physical_sim,
        "for_data_only_sim": procedure.for_data_only_sim,
        "is_featured": procedure.is_featured,
        "channels": "|" + "|".join(sorted(channels)) + "|" if channels else "",
        "document_slugs": "|" + "|".join(documents) + "|" if documents else "",
        "search_text": _search_text(procedure),
        "last_verified_on": procedure.last_verified_on,
        "review_due_on": procedure.review_due_on,
        "languages": " ".join(
            code
            for code in LANGUAGE_CODES
            if all(
                snapshot[field].get(code) and code not in snapshot[field].get("auto", ())
                for field in ("title", "summary")
            )
        ),
    }
    for code in LANGUAGE_CODES:
        values[_field("title", code)] = getattr(procedure, _field("title", code))
        values[_field("summary", code)] = getattr(procedure, _field("summary", code))
    return values


@transaction.atomic
def procedure_publish(
    *,
    procedure: Procedure,
    user=None,
    change_note: dict[str, str] | None = None,
    publish_at: datetime.datetime | None = None,
) -> Publication:
    """Publish the working copy: readers see it from `publish_at` (now by default).

    `user=None` is the system (demo content import): no permission or second-reader check.
    """
    _check_permission(
        user, "procedures.publish_procedure", _("Only publishers can publish guides.")
    )
    procedure = working_copy(Procedure.objects.select_for_update().get(pk=procedure.pk))
    if (
        user is not None
        and settings.KB_PUBLISHER_MUST_DIFFER_FROM_EDITOR
        and not user.is_superuser
        and procedure.last_edited_by_id == user.pk
    ):
        raise WorkflowError(
            [_("You edited this guide last: another publisher must review and publish it.")]
        )
    problems = procedure_publish_problems(procedure=procedure)
    if problems:
        raise WorkflowError(problems)

    return publication_create(
        procedure=procedure, user=user, change_note=change_note, publish_at=publish_at
    )


@transaction.atomic
def publication_create(
    *,
    procedure: Procedure,
    user=None,
    change_note: dict[str, str] | None = None,
    publish_at: datetime.datetime | None = None,
) -> Publication:
    """Freeze the working copy into a publication, without the editorial checks (those are
    `procedure_publish`'s job)."""
    procedure = working_copy(procedure)
    now = timezone.now()
    live_from = max(publish_at, now) if publish_at else now
    change_note = {code: (change_note or {}).get(code, "") for code in LANGUAGE_CODES}
    snapshot = guide_snapshot(procedure)
    # "What changed" travels with the guide: earlier notes, then this one, newest first.
    current = live_publication(procedure)
    snapshot["changes"] = list(current.page.content.get("changes", [])) if current else []
    if any(change_note.values()):
        snapshot["changes"].insert(0, {"date": live_from.isoformat(), "note": change_note})
    # The live publication ends when this one starts; one still scheduled never starts.
    Publication.objects.filter(procedure=procedure, live_until__gt=live_from).update(
        live_until=live_from
    )
    publication = Publication.objects.create(
        procedure=procedure,
        live_from=live_from,
        published_by=user,
        **publication_values(procedure, snapshot),
        **{_field("change_note", code): note for code, note in change_note.items()},
    )
    PublicationPage.objects.create(publication=publication, content=snapshot)
    publication_render(publication)
    Procedure.objects.filter(pk=procedure.pk).update(status=Procedure.Status.PUBLISHED)
    page_cache.bump(f"guide:{procedure.pk}", "guides")
    if live_from > now:
        page_cache.schedule_go_live(live_from)
    return publication


def _end_publication(*, procedure: Procedure, status: str) -> None:
    now = timezone.now()
    Publication.objects.filter(procedure=procedure, live_until__gt=now).update(live_until=now)
    page_cache.bump(f"guide:{procedure.pk}", "guides")
    Procedure.objects.filter(pk=procedure.pk).update(status=status)


@transaction.atomic
def procedure_unpublish(*, procedure: Procedure, user) -> None:
    """Take a guide off the public site at once; it goes back to draft."""
    _check_permission(
        user, "procedures.publish_procedure", _("Only publishers can unpublish guides.")
    )
    _end_publication(procedure=procedure, status=Procedure.Status.DRAFT)


@transaction.atomic
def procedure_archive(*, procedure: Procedure, user) -> None:
    """Take a guide off the public site for good (kept, with its history)."""
    _check_permission(
        user, "procedures.publish_procedure", _("Only publishers can archive guides.")
    )
    _end_publication(procedure=procedure, status=Procedure.Status.ARCHIVED)


@transaction.atomic
def procedure_submit_for_review(*, procedure: Procedure, user) -> None:
    _check_permission(
        user, "procedures.change_procedure", _("Only editors can submit guides for review.")
    )
    if procedure.status not in (Procedure.Status.DRAFT, Procedure.Status.ARCHIVED):
        raise WorkflowError([_("Only a draft can be submitted for review.")])
    Procedure.objects.filter(pk=procedure.pk).update(status=Procedure.Status.IN_REVIEW)


def procedure_mark_edited(*, procedure: Procedure, user, status: str | None = None) -> None:
    """After an editor saves: stamp the time (the edit lock compares it), remember who, and put a
    published or archived guide back to draft (its publication stays live until the next
    publish)."""
    updates = {"updated_at": timezone.now(), "last_edited_by": user}
    if status:
        updates["status"] = status
    elif procedure.status in (Procedure.Status.PUBLISHED, Procedure.Status.ARCHIVED):
        updates["status"] = Procedure.Status.DRAFT
    Procedure.objects.filter(pk=procedure.pk).update(**updates)
    procedure.refresh_from_db(fields=["updated_at", "status", "last_edited_by"])


@transaction.atomic
def procedure_restore(*, procedure: Procedure, version, user) -> None:
    """Bring a guide's working copy back to an earlier version, its rows included, in one step.
    The restore is itself recorded, so it can be undone the same way."""
    _check_permission(user, "procedures.change_procedure", _("Only editors can restore versions."))
    with reversion.create_revision():
        version.revision.revert(delete=True)
        procedure = Procedure.objects.get(pk=procedure.pk)
        procedure.save()  # recomputes derived fields and records the restored state
        reversion.set_user(user)
        translation_status.record_tree(procedure)
        reversion.set_comment(
            _("Restored the version of %(date)s.")
            % {
                "date": date_format(
                    timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
                )
            }
        )
    procedure_mark_edited(procedure=procedure, user=user, status=Procedure.Status.DRAFT)


@transaction.atomic
def publications_refresh_related(*, carrier: Carrier | None = None, region: Region | None = None):
    """A carrier or region changed: the live (and scheduled) guide pages that show it get its new
    name, status and numbers. Their own content stays as published."""
    now = timezone.now()
    current = Publication.objects.filter(live_until__gt=now)
    if carrier is not None:
        carrier = Carrier.objects.prefetch_related("contact_numbers").get(pk=carrier.pk)
        block, current, key = carrier_block(carrier), current.filter(carrier=carrier), "carrier"
    else:
        block, current, key = region_block(region), current.filter(region=region), "region"
    for publication in current.select_related("page", "carrier", "region"):
        page = publication.page
        if page.content.get(key) != block:
            page.content[key] = block
            PublicationPage.objects.filter(pk=page.pk).update(content=page.content)
            publication_render(publication)


def publication_rendered_fields(publication: Publication) -> dict[str, str]:
    """A publication's page body and card in every language, as PublicationPage fields."""
    from .rendering import render_all_languages, render_body, render_card

    content = publication.page.content
    bodies = render_all_languages(
        render_body, lambda: GuideView(content, procedure_id=publication.procedure_id)
    )
    cards = render_all_languages(render_card, lambda: publication)
    fields = {_field("rendered_body", code): html for code, html in bodies.items()}
    fields |= {_field("rendered_card", code): html for code, html in cards.items()}
    return fields


def publication_render(publication: Publication) -> None:
    """Render and store a publication's page body and card in every language."""
    from .rendering import render_stamp

    PublicationPage.objects.filter(pk=publication.pk).update(
        **publication_rendered_fields(publication)
    )
    Publication.objects.filter(pk=publication.pk).update(rendered_stamp=render_stamp())


# --- Simplified ↔ Traditional Chinese -----------------------------------------------------------


@dataclass
class Conversion:
    filled: list[str]  # "Step 2 · title" …
    held_back: list[str]  # reviewed translations left as they are (ask before replacing them)


def _rows_of(procedure: Procedure) -> list[Model]:
    procedure = working_copy(procedure)
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
    *, procedure: Procedure, target: str, user=None, replace_reviewed: bool = False
) -> Conversion:
    """Fill a guide's empty, stale or machine-made texts in one Chinese script from the other
    with OpenCC, in the usage of the guide's region. The results are marked machine-converted,
    not reviewed. A stale translation a person wrote is only replaced with `replace_reviewed`."""
    _check_permission(
        user, "procedures.change_procedure", _("Only editors can convert translations.")
    )
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
            if texts[target].strip() and state is not None:
                if state.status == TranslationStatus.COMPLETE:
                    continue
                reviewed = not state.machine_converted
                if state.status == TranslationStatus.STALE and reviewed and not replace_reviewed:
                    result.held_back.append(_label(row, field))
                    continue
            setattr(row, _field(field, target), convert(texts[source], variant=variant))
            machine.add((field, target))
            result.filled.append(_label(row, field))
        if machine:
            row.save()
            translation_status.record(row, before=before, machine=machine)
    if result.filled and isinstance(user, get_user_model()):
        procedure_mark_edited(procedure=procedure, user=user)
    return result


def live_publication(procedure: Procedure) -> Publication | None:
    return Publication.objects.live().filter(procedure=procedure).first()


# --- Importing content (the demo guides, and later bulk imports) ------------------------------


class ContentError(ValueError):
    """Content that cannot be imported, with where and why."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def writes(self) -> int:
        return self.created + self.updated

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
    """Regions with their carriers and contact numbers, and the shared documents list."""
    for position, item in enumerate(data.get("regions", []), start=1):
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
        for carrier_position, entry in enumerate(item.get("carriers", []), start=1):
            carrier_mark = report.writes
            carrier = _sync(
                Carrier,
                {"slug": entry["slug"]},
                {
                    "region_id": region.pk,
                    "position": carrier_position,
                    "website": _web_url("website", entry.get("website", "")),
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
        _record_in_history(region, report, region_mark)
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
    "official_contacts",
    "correction_notice",
)


@transaction.atomic
def guide_import(*, data: dict, report: ImportReport) -> Procedure:
    """One guide with its checklist, steps, notes, questions and sources, in one transaction."""
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
        "requirement_basis_url": _web_url(
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
    return procedure


def _publish_if_changed(procedure: Procedure, change_note, report: ImportReport) -> None:
    working = working_copy(procedure)
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


def _web_url(field: str, url: str) -> str:
    """`url` if empty or http(s) (kb/links.py), else ContentError: a stored address becomes a
    link on readers' pages."""
    if url and not is_web_url(url):
        raise ContentError(f"{field}: {url!r} is not an http or https address")
    return url


def _sources(data: dict) -> list[dict]:
    return [
        {
            "url": _web_url("sources: url", source["url"]),
            "language": source.get("language", "en"),
            **_translated("title", source["title"], required=True),
        }
        for source in data.get("sources", [])
    ]
