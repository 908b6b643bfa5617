"""A guide's page read back from its snapshot: `GuideView` (the snapshot in the active
language, for templates) and `PublishedGuidePage` (a live publication with its stored
rendering)."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from procedures.models import Channel, Note, Procedure, PublicationPage, SimType, SourceLanguage
from procedures.publishing.rendering import render_body, stored_or_live
from procedures.translations.reading import field_text, pick


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
        def live() -> str:
            content = PublicationPage.objects.get(pk=self.publication.pk).content
            return GuideView(content, procedure_id=self.procedure_id).body

        html = stored_or_live(self.publication, lambda: self.publication.stored_body, live)
        return mark_safe(html)  # noqa: S308 - rendered from templates, now or when publishing
