"""The snapshot a publication stores: the guide's whole published content as data, in every
language, with its carrier and region blocks and the state of its translations."""

from typing import TypedDict

from django.db.models import Count, Max

from procedures.models import FieldTranslation, Procedure, TranslationStatus
from procedures.translations.reading import all_languages, translated_texts
from procedures.translations.texts import LANGUAGE_CODES

# The version of the structure below. Pages stored by another version are rendered again
# (rendering.render_stamp includes it); a change to the structure raises it.
SNAPSHOT_FORMAT = 1

# A text in every language: {"zh-hans": …, "zh-hant": …, "en": …}, "" where none was written,
# and under "auto" the languages whose text is a machine conversion nobody has reviewed yet.
Texts = TypedDict("Texts", {"zh-hans": str, "zh-hant": str, "en": str, "auto": list[str]})


class ContactNumberBlock(TypedDict):
    number: str
    tel_href: str  # "tel:+853…"
    label: Texts


class CarrierBlock(TypedDict):
    id: int
    slug: str
    name: Texts
    is_active: bool
    contact_numbers: list[ContactNumberBlock]


class RegionBlock(TypedDict):
    id: int
    slug: str
    name: Texts


class DocumentEntry(TypedDict):
    slug: str
    name: Texts
    note: Texts


class StepEntry(TypedDict):
    channel: str  # Channel value
    title: Texts
    body: Texts  # Markdown


class NoteEntry(TypedDict):
    kind: str  # Note.Kind value
    body: Texts  # Markdown


class FaqEntry(TypedDict):
    question: Texts
    answer: Texts  # Markdown


class SourceEntry(TypedDict):
    title: Texts
    url: str
    language: str  # SourceLanguage value


class ChangeEntry(TypedDict):
    date: str  # ISO 8601 datetime the publication went live
    note: Texts


class StaleLanguage(TypedDict):
    source: str  # the language the newer text is in
    updated: str  # ISO date it changed


class TranslationFacts(TypedDict):
    stale: dict[str, StaleLanguage]  # per language that is behind


class GuideSnapshot(TypedDict):
    """What a publication stores of its guide (PublicationPage.content): everything its page
    shows, in every language, so the page needs no other row. Built by `guide_snapshot`; read by
    pages.GuideView, the search index, the API and the feeds."""

    format: int  # SNAPSHOT_FORMAT
    translation: TranslationFacts
    slug: str
    carrier: CarrierBlock | None
    region: RegionBlock | None
    kind: str  # Procedure.Kind value
    requirement: str  # Procedure.Requirement value
    requirement_basis: Texts
    requirement_basis_url: str
    sim_types: list[str]  # SimType values
    title: Texts
    summary: Texts
    eligibility: Texts
    processing_time: Texts
    fees: Texts
    official_contacts: Texts  # Markdown
    correction_notice: Texts  # Markdown
    last_verified_on: str | None  # ISO date
    verified_by: str
    review_due_on: str | None  # ISO date
    documents: list[DocumentEntry]
    steps: list[StepEntry]
    notes: list[NoteEntry]
    faqs: list[FaqEntry]
    sources: list[SourceEntry]
    changes: list[ChangeEntry]  # newest first; publishing adds the new change note


def checked(snapshot: dict) -> GuideSnapshot:
    """`snapshot` if it has exactly GuideSnapshot's keys; raises ValueError naming the keys
    missing or unknown (a snapshot built by hand elsewhere, as generatekb does, cannot drift)."""
    expected = set(GuideSnapshot.__annotations__)
    missing, unknown = expected - snapshot.keys(), snapshot.keys() - expected
    if missing or unknown:
        raise ValueError(
            f"Not a guide snapshot: missing {sorted(missing)}, unknown {sorted(unknown)}"
        )
    return snapshot  # type: ignore[return-value]


def carrier_block(carrier) -> CarrierBlock | None:
    """What a guide page shows of its carrier. Kept in the snapshot so the page is one query;
    refresh.py keeps it current when the carrier changes."""
    if carrier is None:
        return None
    return {
        "id": carrier.pk,
        "slug": carrier.slug,
        "name": all_languages(carrier, "name"),
        "is_active": carrier.is_active,
        "contact_numbers": [
            {
                "number": number.number,
                "tel_href": number.tel_href,
                "label": all_languages(number, "label"),
            }
            for number in carrier.contact_numbers.all()
        ],
    }


def region_block(region) -> RegionBlock | None:
    if region is None:
        return None
    return {"id": region.pk, "slug": region.slug, "name": all_languages(region, "name")}


def _translation_facts(procedure: Procedure):
    """The machine-converted texts nobody reviewed yet, and per language what is stale."""
    rows = FieldTranslation.objects.filter(procedure_id=procedure.pk)
    machine = set(
        rows.filter(status=TranslationStatus.MACHINE).values_list(
            "content_type__model", "object_id", "field", "language"
        )
    )
    stale = {}
    counts = (
        rows.filter(status=TranslationStatus.STALE)
        .values("language", "source_language")
        .annotate(n=Count("pk"), updated=Max("source_changed_at"))
        .order_by("-n")
    )
    for row in counts:
        stale.setdefault(
            row["language"],
            {"source": row["source_language"], "updated": row["updated"].date().isoformat()},
        )
    return machine, stale


def guide_snapshot(procedure: Procedure) -> GuideSnapshot:
    """The working copy of a guide as plain data (expects its rows prefetched).

    A text missing in Traditional Chinese gets an OpenCC conversion of the Simplified one (in the
    region's usage); it and any machine conversion not yet reviewed are listed under "auto", so
    readers are told.
    """
    machine, stale = _translation_facts(procedure) if procedure.pk else (set(), {})
    variant = procedure.region.chinese_variant if procedure.region_id else "hk"

    def text(obj, field):
        auto = [
            code for code in LANGUAGE_CODES
            if (obj._meta.model_name, obj.pk, field, code) in machine
        ]  # fmt: skip
        return translated_texts(obj, field, variant=variant, auto=auto)

    return checked(
        {
            "translation": {"stale": stale},
            "format": SNAPSHOT_FORMAT,
            "slug": procedure.slug,
            "carrier": carrier_block(procedure.carrier),
            "region": region_block(procedure.region),
            "kind": procedure.kind,
            "requirement": procedure.requirement,
            "requirement_basis": text(procedure, "requirement_basis"),
            "requirement_basis_url": procedure.requirement_basis_url,
            "sim_types": [str(sim_type) for sim_type in procedure.sim_types],
            "title": text(procedure, "title"),
            "summary": text(procedure, "summary"),
            "eligibility": text(procedure, "eligibility"),
            "processing_time": text(procedure, "processing_time"),
            "fees": text(procedure, "fees"),
            "official_contacts": text(procedure, "official_contacts"),
            "correction_notice": text(procedure, "correction_notice"),
            "last_verified_on": (
                procedure.last_verified_on.isoformat() if procedure.last_verified_on else None
            ),
            "verified_by": procedure.verified_by,
            "review_due_on": procedure.review_due_on.isoformat()
            if procedure.review_due_on
            else None,
            "documents": [
                {
                    "slug": item.document.slug,
                    "name": text(item.document, "name"),
                    "note": text(item, "note"),
                }
                for item in procedure.procedure_documents.all()
            ],
            "steps": [
                {"channel": step.channel, "title": text(step, "title"), "body": text(step, "body")}
                for step in procedure.steps.all()
            ],
            "notes": [
                {"kind": note.kind, "body": text(note, "body")} for note in procedure.notes.all()
            ],
            "faqs": [
                {"question": text(faq, "question"), "answer": text(faq, "answer")}
                for faq in procedure.faqs.all()
            ],
            "sources": [
                {"title": text(source, "title"), "url": source.url, "language": source.language}
                for source in procedure.sources.all()
            ],
            "changes": [],
        }
    )
