"""A guide's content as one document: what publishing freezes, and what the guide page shows.

`guide_snapshot()` turns the editors' working copy (a Procedure and its rows) into plain data in
all three languages. `GuideView` presents such a snapshot to a reader in their language, with
the same fallbacks as the rest of the site, so the live page and a staff preview of a draft are
rendered by the same code from the same shape of data.
"""

import datetime
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, cached_property

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from kb.languages import html_lang
from procedures import conversion
from procedures.models import Channel, Note, Procedure, PublicationPage, SimType, SourceLanguage
from procedures.texts import text_in

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
SNAPSHOT_FORMAT = 1


def _all_languages(obj, field: str) -> dict[str, str]:
    return {code: text_in(obj, field, code) for code in LANGUAGE_CODES}


def translated_texts(obj, field: str, *, variant: str = "hk", auto=()) -> dict:
    """A translated field of a row in every language, as `pick()` takes them:
    {"zh-hans": …, "zh-hant": …, "en": …, "auto": [codes converted by machine]}.

    A missing Traditional text is converted from the Simplified one with OpenCC in `variant`
    usage ("hk" or "tw") and listed under "auto", with any codes given in `auto` (machine
    conversions nobody reviewed yet)."""
    texts = _all_languages(obj, field)
    auto = list(auto)
    if texts["zh-hans"] and not texts["zh-hant"]:
        texts["zh-hant"] = conversion.to_traditional(texts["zh-hans"], variant=variant)
        auto.append("zh-hant")
    if auto:
        texts["auto"] = auto
    return texts


def _variant_of(obj) -> str:
    """The Traditional Chinese usage of the region a row belongs to, when that region is
    already loaded (never a query); Hong Kong / Macau usage otherwise."""
    while obj is not None:
        variant = getattr(obj, "chinese_variant", None)
        if variant:
            return variant
        cached = obj._state.fields_cache
        obj = cached.get("region") or cached.get("carrier")
    return "hk"


def field_text(obj, field: str, language: str | None = None) -> "Text":
    """What a reader sees of a model's translated field (a carrier's name, a region's summary,
    a publication's title…): the text in `language` (default: the active one), else a machine
    conversion (Traditional from Simplified) or a fallback language, as a `Text` that knows
    which. Reading the field itself (`carrier.name`) would give modeltranslation's fallback,
    which does not say it is one."""
    return pick(translated_texts(obj, field, variant=_variant_of(obj)), language)


def carrier_block(carrier) -> dict | None:
    """What a guide page shows of its carrier. Kept in the snapshot so the page is one query;
    refresh.py keeps it current when the carrier changes."""
    if carrier is None:
        return None
    return {
        "id": carrier.pk,
        "slug": carrier.slug,
        "name": _all_languages(carrier, "name"),
        "is_active": carrier.is_active,
        "contact_numbers": [
            {
                "number": number.number,
                "tel_href": number.tel_href,
                "label": _all_languages(number, "label"),
            }
            for number in carrier.contact_numbers.all()
        ],
    }


def region_block(region) -> dict | None:
    if region is None:
        return None
    return {"id": region.pk, "slug": region.slug, "name": _all_languages(region, "name")}


def _translation_facts(procedure: Procedure):
    """The machine-converted texts nobody reviewed yet, and per language what is stale."""
    from django.db.models import Count, Max

    from procedures.models import FieldTranslation, TranslationStatus

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


def guide_snapshot(procedure: Procedure) -> dict:
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

    return {
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
        "review_due_on": procedure.review_due_on.isoformat() if procedure.review_due_on else None,
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
    }


class Text(str):
    """A text as shown to a reader: in which language it really is, and whether a machine
    converted it (zh-hant made from zh-hans by OpenCC, not reviewed)."""

    language: str
    requested: str
    auto: bool = False

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    @property
    def is_marked(self) -> bool:
        """Shown marked: in another language than the reader's, or converted by machine."""
        return self.is_fallback or self.auto

    def derive(self, value: str) -> "Text":
        """Another string (shortened, with a count…) in the same language as this one."""
        text = Text(value)
        text.language, text.requested, text.auto = self.language, self.requested, self.auto
        return text


@dataclass
class Seen:
    """What a page being rendered showed in another language, or converted by machine."""

    fallbacks: set = field(default_factory=set)
    auto: bool = False


_watching = threading.local()


@contextmanager
def watching_translations():
    """Collect, while rendering, the texts marked on the page: which languages stood in for
    missing ones, and whether any was converted by machine. Only what `marked()` (or
    `seen_marked()`) shows is counted, so a notice built from it describes the page."""
    previous = getattr(_watching, "seen", None)
    _watching.seen = seen = Seen()
    try:
        yield seen
    finally:
        _watching.seen = previous


def seen_marked(text) -> None:
    """Count a text shown marked (with its `lang`) in the notice of the page being rendered."""
    seen = getattr(_watching, "seen", None)
    if seen is not None and isinstance(text, Text) and text.is_marked:
        if text.is_fallback:
            seen.fallbacks.add(text.language)
        seen.auto = seen.auto or text.auto


_MARK = re.compile(r'<(?:span|div) lang="([^"]+)" class="(fallback|auto-converted)">')
_LANGUAGE_OF_TAG = {html_lang(code): code for code in LANGUAGE_CODES}


def seen_marked_in(html: str) -> None:
    """Count the marked texts of a piece of HTML rendered earlier (a guide card stored when
    publishing) in the notice of the page it is put into."""
    seen = getattr(_watching, "seen", None)
    if seen is None or ' lang="' not in html:
        return
    for tag, css in _MARK.findall(html):
        if css == "auto-converted":
            seen.auto = True
        elif tag in _LANGUAGE_OF_TAG:
            seen.fallbacks.add(_LANGUAGE_OF_TAG[tag])


@cache
def _fallback_order(language: str) -> tuple[str, ...]:
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    return (language, *fallbacks.get(language, fallbacks["default"]))


def pick(translations: dict, language: str | None = None) -> Text:
    """The text in the reader's language, else in its fallback languages (settings)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    for code in _fallback_order(language):
        if translations.get(code):
            text = Text(translations[code])
            text.language, text.requested = code, language
            text.auto = code in translations.get("auto", ())
            return text
    text = Text("")
    text.language = text.requested = language
    return text


def marked(text, html=None) -> SafeString:
    """A text for the page, wrapped with its real language when it stands in for another or
    was converted by machine (screen readers then read it right; readers see a mark)."""
    content = html if html is not None else conditional_escape(text)
    if isinstance(text, Text) and text.is_marked:
        seen_marked(text)
        css = "auto-converted" if text.auto else "fallback"
        # Markdown gives blocks (<p>, <ul>), which only a <div> may hold.
        element = "span" if html is None else "div"
        return format_html(
            '<{0} lang="{1}" class="{2}">{3}</{0}>', element, html_lang(text.language), css, content
        )
    return mark_safe(content)  # noqa: S308 - escaped above or already safe


def plain(text) -> str:
    """A text for where no markup can go (<title>, an attribute, a feed): a `Text` in another
    language than the reader's says which ("CTM (English)"), a machine conversion says so.
    Anything else is returned as it is."""
    if not isinstance(text, Text) or not text.is_marked:
        return text
    if text.auto:
        return gettext("%(text)s (converted automatically)") % {"text": text}
    return f"{text} ({dict(settings.LANGUAGES)[text.language]})"


@dataclass
class Item:
    """One row of a guide (a step, a note, …) with its texts in the reader's language."""

    data: dict

    def __getattr__(self, name):
        try:
            value = self.data[name]
        except KeyError:
            raise AttributeError(name) from None
        return pick(value) if isinstance(value, dict) else value


class SourceItem(Item):
    def get_language_display(self):
        return SourceLanguage(self.data["language"]).label


class CarrierItem(Item):
    def get_absolute_url(self):
        return reverse("procedures:carrier_detail", kwargs={"slug": self.data["slug"]})

    @cached_property
    def contact_numbers(self):
        return [Item(number) for number in self.data["contact_numbers"]]


class RegionItem(Item):
    def get_absolute_url(self):
        return reverse("procedures:region_detail", kwargs={"slug": self.data["slug"]})


class GuideView:
    """A guide's page content in the active language."""

    is_translated = True  # a preview is for editors: no search-engine hints needed

    def __init__(self, content: dict, *, is_preview=False, procedure_id=None):
        self.content = content
        self.procedure_id = procedure_id
        self.is_preview = is_preview

    @property
    def body(self) -> SafeString:
        """The page body, rendered now (previews, and pages stored by older code)."""
        from procedures.rendering import render_body

        return mark_safe(render_body(self))  # noqa: S308 - rendered from a template

    @cached_property
    def carrier(self) -> CarrierItem | None:
        block = self.content.get("carrier")
        return CarrierItem(block) if block else None

    @cached_property
    def region(self) -> RegionItem | None:
        block = self.content.get("region")
        return RegionItem(block) if block else None

    @cached_property
    def changes(self):
        """The change notes of this guide's publications, newest first ("What changed")."""
        return [
            Change(datetime.datetime.fromisoformat(change["date"]), pick(change["note"]))
            for change in self.content.get("changes", [])
            if pick(change["note"])
        ]

    def __getattr__(self, name):
        try:
            value = self.content[name]
        except KeyError:
            raise AttributeError(name) from None
        return pick(value) if isinstance(value, dict) else value

    @property
    def slug(self):
        return self.content["slug"]

    def get_absolute_url(self):
        return Procedure(slug=self.slug).get_absolute_url()

    def get_kind_display(self):
        return Procedure.Kind(self.content["kind"]).label

    def get_requirement_display(self):
        return Procedure.Requirement(self.content["requirement"]).label

    @property
    def sim_types(self):
        return [SimType(value) for value in self.content["sim_types"]]

    @property
    def last_verified_on(self):
        value = self.content["last_verified_on"]
        return datetime.date.fromisoformat(value) if value else None

    @property
    def is_review_due(self) -> bool:
        due = self.content.get("review_due_on")
        return due is None or datetime.date.fromisoformat(due) < timezone.localdate()

    @cached_property
    def documents(self):
        return [Item(item) for item in self.content["documents"]]

    @cached_property
    def faqs(self):
        return [Item(item) for item in self.content["faqs"]]

    @cached_property
    def sources(self):
        return [SourceItem(item) for item in self.content["sources"]]

    @cached_property
    def steps_by_channel(self):
        """[(channel, [steps…]), …] in the order the channels first appear."""
        groups: dict[str, list[Item]] = {}
        for step in self.content["steps"]:
            groups.setdefault(step["channel"], []).append(Item(step))
        return [(Channel(channel), steps) for channel, steps in groups.items()]

    @cached_property
    def notes_of_kind(self):
        groups: dict[str, list[Item]] = {kind: [] for kind in Note.Kind.values}
        for note in self.content["notes"]:
            groups[note["kind"]].append(Item(note))
        return groups


@dataclass
class Change:
    live_from: datetime.datetime
    change_note: str


class PublishedGuidePage:
    """A live guide page as readers get it: the body stored when publishing and the few fields
    the page's head and notices need, from one query. Pages stored by other code (after a
    deploy) are rendered live from the publication's content."""

    is_preview = False

    def __init__(self, publication):
        self.publication = publication
        self.procedure_id = publication.procedure_id
        self.live_from = publication.live_from
        self.carrier_id = publication.carrier_id
        self.region_id = publication.region_id
        # As the body shows them: converted when Traditional is missing, else the fallback.
        self.title = field_text(publication, "title")
        self.summary = field_text(publication, "summary")
        self.languages = publication.language_codes
        self.is_translated = get_language() in self.languages
        self.last_verified_on = publication.last_verified_on
        self.is_review_due = publication.is_review_due

    @property
    def body(self) -> SafeString:
        from procedures.rendering import render_stamp

        if self.publication.rendered_stamp == render_stamp():
            stored = self.publication.stored_body
            if stored:
                return mark_safe(stored)  # noqa: S308 - rendered from a template when publishing
        content = PublicationPage.objects.get(pk=self.publication.pk).content
        return GuideView(content, procedure_id=self.procedure_id).body
