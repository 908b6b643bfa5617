"""A search's page of results as the guide list shows it: the best-ranked guides of the page,
a snippet for each, and, when nothing matched, "did you mean" and a few popular guides."""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from procedures.search.index import Results
from procedures.search.snippets import snippets


@dataclass
class GuideSearch:
    query: str
    results: Results
    ids: list[int]  # publication ids of this page, best first
    suggestion: str | None = None  # a query that finds guides, when this one found none
    popular: list = field(default_factory=list)  # featured guides, when nothing matched
    snippets: dict[int, SafeString] = field(default_factory=dict)

    def attach(self, cards: list, *, popular: list) -> None:
        """Give each card of the page (with its `passages`, see cards.guide_cards) its
        snippet and keep the popular guides."""
        self.snippets = snippets(
            {card.pk: card.passages for card in cards},
            [frozenset(concept.terms()) for concept in self.results.concepts],
        )
        for card in cards:
            card.snippet = self.snippets.get(card.pk)
        self.popular = popular


def search_page(index, found: Results, matching: int, *, query: str, number: int, size: int):
    """Page `number` (from 1, `size` guides) of the guides in `matching` (the search's bits and
    the reader's filters), best first; with a spelling suggestion when nothing matched."""
    start = (number - 1) * size
    positions = index.search.ranked(found, matching, start, size)
    search = GuideSearch(query=query, results=found, ids=[index.ids[at] for at in positions])
    if not found.bits:
        search.suggestion = suggest(index, found, query)
    return search


def suggest(index, found: Results, query: str) -> str | None:
    """The query with each unknown word replaced by the closest indexed word (up to two
    edits), if that finds guides; else None."""
    corrected = query.lower()
    for word in found.unknown_words():
        better = index.search.suggestion(word)
        if better:
            corrected = corrected.replace(word, better)
    if corrected == query.lower() or not index.search.search(corrected).bits:
        return None
    return corrected
