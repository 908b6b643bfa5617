"""What an exchange file holds: one unit per translated field of a row, with a stable id
("step.34.body"), the source text, the current translation and where it stands.

A file groups its units by what a translator thinks of as one piece of work: a guide (with its
steps, notes, FAQs, checklist notes and sources), a carrier (with its contact labels), a region
(with its sources' titles) or a document.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from procedures.models import (
    Carrier,
    ContactNumber,
    Document,
    Faq,
    FieldTranslation,
    Note,
    Procedure,
    ProcedureDocument,
    Region,
    RegionSource,
    Source,
    Step,
)
from procedures.models import TranslationStatus as Status
from procedures.translations import status as translation_status
from procedures.translations.texts import text_in

LANGUAGES = dict(settings.LANGUAGES)
EXCHANGE_FORMAT = 1  # written into every file; bumped when the meaning of ids or notes changes
GUIDE_ROWS = ["procedure_documents", "steps", "notes", "faqs", "sources"]
# Unit ids name rows by model: only these may be written by an import.
MODELS: dict[str, type[Model]] = {
    model._meta.model_name: model
    for model in (
        Procedure, ProcedureDocument, Step, Note, Faq, Source,
        Carrier, ContactNumber, Region, RegionSource, Document,
    )
}  # fmt: skip
# The language translated from when none is chosen: the site's default, or for a Simplified
# target the Traditional text (the closest to it).
DEFAULT_SOURCE = {"zh-hant": "zh-hans", "en": "zh-hans", "zh-hans": "zh-hant"}


def unit_id(row: Model, field_name: str) -> str:
    """ "step.34.body": stable for as long as the row exists (XLIFF ids are NMTOKENs)."""
    return f"{row._meta.model_name}.{row.pk}.{field_name}"


def parse_unit_id(value: str) -> tuple[type[Model], int, str] | None:
    """(model, primary key, field) of a unit id, or None if it names no translated field."""
    parts = (value or "").split(".")
    if len(parts) != 3 or parts[0] not in MODELS or not parts[1].isdigit():
        return None
    model = MODELS[parts[0]]
    if parts[2] not in translation_status.translated_fields(model):
        return None
    return model, int(parts[1]), parts[2]


@dataclass
class Unit:
    """One field of one row in one exchange: `status` is the target's translation status
    (complete, missing, stale, machine), `field_source` the language the field's text was last
    written in (FieldTranslation.source_language)."""

    id: str
    context: str
    source: str
    target: str
    status: str
    field_source: str


@dataclass
class Group:
    """One file section: "guide.<slug>", "carrier.<slug>", "region.<slug>", "document.<slug>"."""

    id: str
    title: str
    rows: list[Model] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)


def _label(row: Model, field_name: str) -> str:
    name = str(row._meta.get_field(field_name).verbose_name)
    if isinstance(row, (Procedure, Carrier, Region, Document)):
        return name
    position = getattr(row, "position", "")
    return f"{row._meta.verbose_name} {position} · {name}"


def groups_for(*, guides=(), carriers=(), regions=(), documents=()) -> list[Group]:
    """The sections of a file for these objects, with their rows loaded (a few queries per
    kind of row, not per row)."""
    groups = []
    guides = Procedure.objects.filter(pk__in=[g.pk for g in guides]).prefetch_related(
        *GUIDE_ROWS, "procedure_documents__document"
    )
    for guide in guides.order_by("slug"):
        rows = [guide, *(row for name in GUIDE_ROWS for row in getattr(guide, name).all())]
        groups.append(Group(f"guide.{guide.slug}", str(guide.title), rows))
    carriers = Carrier.objects.filter(pk__in=[c.pk for c in carriers]).prefetch_related(
        "contact_numbers"
    )
    for carrier in carriers.order_by("slug"):
        rows = [carrier, *carrier.contact_numbers.all()]
        groups.append(Group(f"carrier.{carrier.slug}", str(carrier.name), rows))
    regions = Region.objects.filter(pk__in=[r.pk for r in regions]).prefetch_related("sources")
    for region in regions.order_by("slug"):
        groups.append(
            Group(f"region.{region.slug}", str(region.name), [region, *region.sources.all()])
        )
    for document in Document.objects.filter(pk__in=[d.pk for d in documents]).order_by("slug"):
        groups.append(Group(f"document.{document.slug}", str(document.name), [document]))
    return groups


def statuses(rows: list[Model], *, language: str) -> dict[tuple[str, int, str], FieldTranslation]:
    """{(model name, pk, field): FieldTranslation of `language`} for these rows (one query per
    model)."""
    by_model: dict[type[Model], list[int]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row.pk)
    found = {}
    for model, ids in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        for state in FieldTranslation.objects.filter(
            content_type=content_type, object_id__in=ids, language=language
        ):
            found[(model._meta.model_name, state.object_id, state.field)] = state
    return found


def fill_units(groups: list[Group], *, language: str, source: str) -> None:
    """Give each group its units: every translated field whose `source` text is not empty,
    except those whose own source language is the target (those are originals, nothing to
    translate)."""
    known = statuses([row for group in groups for row in group.rows], language=language)
    for group in groups:
        for row in group.rows:
            for name in translation_status.translated_fields(type(row)):
                source_text = text_in(row, name, source)
                if not source_text:
                    continue
                target_text = text_in(row, name, language)
                state = known.get((row._meta.model_name, row.pk, name))
                if state is None:
                    status = Status.COMPLETE if target_text else Status.MISSING
                    field_source = translation_status.DEFAULT
                else:
                    status, field_source = state.status, state.source_language
                if field_source == language:
                    continue
                group.units.append(
                    Unit(
                        id=unit_id(row, name),
                        context=_label(row, name),
                        source=source_text,
                        target=target_text,
                        status=status,
                        field_source=field_source,
                    )
                )
