"""The shapes the API answers with (OpenAPI components). Every text an editor typed comes as a
`Text`: the string, the language it is really in, and whether it stands in for the language
asked for or was converted by machine, as the pages mark it (procedures/publishing/snapshot.py)."""

import datetime
from typing import Literal

from pydantic import BaseModel as Schema  # plain pydantic: no ORM getter, a fraction of the cost

from procedures.translations.reading import Text as ShownText

Language = Literal["zh-hans", "zh-hant", "en"]
API_FORMAT = 1  # bumped when a response shape changes incompatibly


class Text(Schema):
    text: str
    language: Language
    fallback: bool  # shown in another language than the one asked for
    machine_converted: bool  # Traditional made from Simplified by OpenCC, not reviewed


def text(value: ShownText) -> Text:
    return Text(
        text=str(value),
        language=value.language,
        fallback=value.is_fallback,
        machine_converted=value.auto,
    )


def optional_text(value: ShownText) -> Text | None:
    """None for a text that is empty in every language (an optional field left blank)."""
    return text(value) if str(value) else None


class Ref(Schema):
    slug: str
    name: Text


class ContactNumber(Schema):
    number: str
    tel_href: str
    label: Text | None


class GuideCarrier(Schema):
    """A guide's carrier as the guide page shows it (kept current in the publication)."""

    slug: str
    name: Text
    in_service: bool
    contact_numbers: list[ContactNumber]


class Carrier(Schema):
    slug: str
    name: Text
    region: str  # the region's slug
    website: str
    in_service: bool
    closed_on: datetime.date | None
    status_note: Text | None
    contact_numbers: list[ContactNumber]
    url: str  # the carrier's page for readers


class RegionSource(Schema):
    title: Text
    url: str
    language: str


class Region(Schema):
    slug: str
    code: str
    name: Text
    rules: Text | None  # Markdown
    carriers: list[str]  # slugs, in the order readers see them
    sources: list[RegionSource]
    url: str


class GuideCard(Schema):
    slug: str
    title: Text
    summary: Text
    kind: str
    requirement: str
    sim_types: list[str]
    carrier: Ref | None
    region: Ref | None
    last_verified_on: datetime.date | None
    live_from: datetime.datetime
    languages: list[Language]  # the languages the guide is really written in
    url: str  # the guide's page for readers


class GuidePage(Schema):
    count: int
    page: int
    pages: int
    per_page: int
    next: str | None
    previous: str | None
    results: list[GuideCard]


class Document(Schema):
    slug: str
    name: Text
    note: Text | None


class Step(Schema):
    title: Text
    body: Text | None  # Markdown


class Channel(Schema):
    channel: str
    label: str
    steps: list[Step]


class Note(Schema):
    kind: str
    body: Text  # Markdown


class Faq(Schema):
    question: Text
    answer: Text  # Markdown


class Source(Schema):
    title: Text
    url: str
    language: str


class Outdated(Schema):
    """The requested language's translation lags behind a newer text in `source_language`."""

    source_language: Language
    updated_on: datetime.date


class Guide(Schema):
    format: int
    slug: str
    title: Text
    summary: Text
    kind: str
    requirement: str
    requirement_basis: Text | None
    requirement_basis_url: str
    sim_types: list[str]
    eligibility: Text | None
    processing_time: Text | None
    fees: Text | None
    official_contacts: Text | None  # Markdown
    correction_notice: Text | None
    carrier: GuideCarrier | None
    region: Ref | None
    documents: list[Document]
    channels: list[Channel]
    notes: list[Note]
    faqs: list[Faq]
    sources: list[Source]
    last_verified_on: datetime.date | None
    verified_by: str
    review_due_on: datetime.date | None
    live_from: datetime.datetime
    languages: list[Language]
    outdated: Outdated | None
    url: str


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] = {}
