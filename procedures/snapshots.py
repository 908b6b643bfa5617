"""A guide's content as one document: what publishing freezes, and what the guide page shows.

`guide_snapshot()` turns the editors' working copy (a Procedure and its rows) into plain data in
all three languages. `GuideView` presents such a snapshot to a reader in their language, with
the same fallbacks as the rest of the site, so the live page and a staff preview of a draft are
rendered by the same code from the same shape of data.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from .models import Channel, Note, Procedure, SimType, SourceLanguage

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
SNAPSHOT_FORMAT = 1


def _all_languages(obj, field: str) -> dict[str, str]:
    return {
        code: getattr(obj, build_localized_fieldname(field, code)) or "" for code in LANGUAGE_CODES
    }


def guide_snapshot(procedure: Procedure) -> dict:
    """The working copy of a guide as plain data (expects its rows prefetched)."""
    text = lambda obj, field: _all_languages(obj, field)  # noqa: E731
    return {
        "format": SNAPSHOT_FORMAT,
        "slug": procedure.slug,
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


def pick(translations: dict[str, str], language: str | None = None) -> str:
    """The text in the reader's language, else in its fallback languages (settings)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    for code in (language, *fallbacks.get(language, fallbacks["default"])):
        if translations.get(code):
            return translations[code]
    return ""


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


class GuideView:
    """A guide's page content in the active language."""

    def __init__(self, content: dict, *, carrier=None, region=None, is_preview=False, changes=()):
        self.content = content
        self.carrier = carrier
        self.region = region
        self.is_preview = is_preview
        self._changes = changes

    @cached_property
    def changes(self):
        """Earlier publications with a change note, newest first ("What changed")."""
        return [change for change in self._changes if change.change_note]

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
