"""Guides in lists, as readers see them: live publications, and the stored cards (with a
search's passages) of a page of them, read in one query. The pages' selectors (selectors.py)
decide which guides; this module reads them."""

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from kb.db import PLACEHOLDER_TIME, PreparedQuery
from procedures.models import Publication
from procedures.publishing.rendering import Card, StoredCard, render_stamp
from procedures.translations.texts import column

RENDERED_BODIES = ["page__" + column("rendered_body", code) for code, _ in settings.LANGUAGES]


def live_guides() -> QuerySet[Publication]:
    return Publication.objects.live().select_related("carrier", "region")


def listed_guides() -> QuerySet[Publication]:
    """Live guides for lists and cards: without the page content, which only the guide page
    reads (decoding it for every card would cost more than rendering the card)."""
    return (
        live_guides()
        .select_related("page")
        .defer("search_text", "page__content", "page__rendered_body", *RENDERED_BODIES)
    )


@dataclass
class ListedGuide:
    """A guide in a list of cards: what the templates and the page's cache tags use of it."""

    pk: int  # the publication's
    procedure_id: int
    card: Card | StoredCard
    snippet: str | None = None  # a search's passage, set by GuideSearch.attach
    passages: str = ""  # what a snippet is cut from, when asked for (guide_cards)


def guide_cards(ids: list[int], *, passages: bool = False) -> list[ListedGuide]:
    """The live guides with these ids (Publication pks), in this order, each with its card
    and, when `passages`, its search passages (to cut a result's snippet from), all in the
    active language.

    One query, compiled once per language and number of ids, reading only the stored cards
    (no model is built: on a list page that was most of its cost). A guide whose stored card
    is missing or made by other code is loaded whole and rendered live (a second query, only
    after a deploy that changed the card, until `rerender`)."""
    if not ids:
        return []
    language = get_language() or settings.LANGUAGE_CODE
    query = _cards_query(language, len(ids), passages, Publication.objects.db)
    stamp = render_stamp()
    found, stale = {}, []
    values = {f"id{position}": pk for position, pk in enumerate(ids)}
    for row in query.rows(at=timezone.now(), **values):
        pk, html = row["pk"], row["card"]
        current = row["rendered_stamp"] == stamp and html
        card = StoredCard(html) if current else None  # set below
        found[pk] = ListedGuide(pk, row["procedure_id"], card, passages=row.get("passages") or "")
        if not current:
            stale.append(pk)
    if stale:
        for guide in listed_guides().filter(pk__in=stale):
            found[guide.pk].card = Card(guide)
    # A stale guide the second query no longer found (replaced in between) is left out.
    return [found[pk] for pk in ids if pk in found and found[pk].card is not None]


@cache
def _cards_query(language: str, count: int, passages: bool, using: str) -> PreparedQuery:
    """The stored cards (and search passages) of `count` live publications in `language`."""
    names = [f"id{position}" for position in range(count)]
    columns = {"card": F("page__" + column("rendered_card", language))}
    if passages:
        columns["passages"] = F("search_document__" + column("passages", language))

    def build(*, at, **ids):
        return (
            Publication.objects.live(at=at)
            .filter(pk__in=[ids[name] for name in names])
            .order_by()
            .annotate(**columns)
            .values_list("pk", "procedure_id", "rendered_stamp", *columns)
        )

    return PreparedQuery(
        Publication,
        build,
        placeholders={"at": PLACEHOLDER_TIME} | {name: -1 - at for at, name in enumerate(names)},
        fields={"at": "live_from"} | dict.fromkeys(names, "id"),
        using=using,
    )


def listed_publications(ids: list[int]) -> list[Publication]:
    """The listed guides with these ids (Publication pks), in this order, as whole publications
    (without their page content): for lists of titles and links, and the API. One query."""
    found = {guide.pk: guide for guide in listed_guides().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]
