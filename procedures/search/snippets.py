"""A result's snippet: the passage of the guide (in the reader's language) that holds most of
what they searched for, cut to a phone-sized length, with the matching words marked."""

import re
from functools import cache

import opencc
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from procedures.search.analysis import HAN_RUN, TITLE, TOKEN, latin_terms, normalise
from procedures.search.models import SearchDocument

LENGTH = 160  # characters shown: about three lines on a phone
LEAD = 40  # characters kept before the first match
MAX_PASSAGES = 60  # a guide's first passages: summary, steps, then FAQs and notes


def marks(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Character spans of `text` that match search `terms` (Latin words whose stem is a term,
    Chinese character pairs or words that are terms), merged and in order."""
    normal = normalise(text)
    if len(normal) != len(text):  # normalising changed the length: positions would not match
        return []
    spans = []
    for match in TOKEN.finditer(normal):
        token, start = match.group(), match.start()
        if HAN_RUN.fullmatch(token):
            for length in (4, 3, 2):
                for i in range(len(token) - length + 1):
                    if token[i : i + length] in terms:
                        spans.append((start + i, start + i + length))
        elif set(latin_terms(token)) & terms:
            spans.append((start, match.end()))
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def _clues(terms: set[str]) -> tuple[str, ...]:
    """Substrings one of which a passage must hold to be worth marking: the terms (Latin stems
    are mostly prefixes of the words) and the Chinese ones in Traditional script too."""
    found = set(terms)
    found.update(_s2t().convert(term) for term in terms if HAN_RUN.search(term))
    return tuple(term for term in found if not term.startswith(TITLE))


def snippet(passages: list[str], terms: set[str], wanted: int = 1) -> SafeString | None:
    """The best passage as HTML (escaped, matches in <mark>), or None when none matches.

    Only passages holding a clue (see _clues) are marked, and the search stops at one that
    marks `wanted` different words (one per part of the query), so a page of 20 long guides
    costs a few milliseconds."""
    best, best_marks = None, []
    clues = _clues(terms)
    for passage in passages[:MAX_PASSAGES]:
        lowered = passage.lower()
        if not any(clue in lowered for clue in clues):
            continue
        found = marks(passage, terms)
        distinct = len({normalise(passage[start:end]) for start, end in found})
        if found and (best is None or distinct > best[0]):
            best, best_marks = (distinct, passage), found
            if distinct >= wanted:
                break
    if best is None:
        return None
    text = best[1]
    start = max(0, best_marks[0][0] - LEAD)
    if start:  # begin at a word or sentence boundary when one is near
        boundary = re.search(r"[\s，。；：、,.;:]", text[start : best_marks[0][0]])
        start = start + boundary.end() if boundary else start
    end = min(len(text), start + LENGTH)
    parts = ["…" if start else ""]
    at = start
    for mark_start, mark_end in best_marks:
        if mark_end <= start or mark_start >= end:
            continue
        mark_start, mark_end = max(mark_start, start), min(mark_end, end)
        parts.append(escape(text[at:mark_start]))
        parts.append(f"<mark>{escape(text[mark_start:mark_end])}</mark>")
        at = mark_end
    parts.append(escape(text[at:end]))
    parts.append("…" if end < len(text) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text escaped above


def snippets(
    publication_ids: list[int], terms: set[str], language: str, *, wanted: int = 1
) -> dict[int, SafeString]:
    """{publication id: snippet} for the results shown (one query), from the passages in the
    page's language only (Traditional ones are already converted when missing), so a snippet
    never needs its own language mark."""
    found = {}
    rows = SearchDocument.objects.filter(publication_id__in=publication_ids).values_list(
        "publication_id", "passages"
    )
    for pk, passages in rows:
        html = snippet(passages.get(language) or [], terms, wanted)
        if html:
            found[pk] = html
    return found
