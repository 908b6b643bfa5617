"""A result's snippet: the passage of the guide (in the reader's language) that holds most of
what they searched for, cut to a phone-sized length, with the matching words marked."""

import json
import re
from functools import cache, lru_cache

import opencc
from django.db.models.fields.json import KT
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from procedures.search.analysis import HAN_RUN, TITLE, TOKEN, latin_terms, normalise
from procedures.search.models import SearchDocument

LENGTH = 160  # characters shown: about three lines on a phone
LEAD = 40  # characters kept before the first match
MAX_PASSAGES = 60  # a guide's first passages: summary, steps, then FAQs and notes
MARKED = 2  # passages marked word by word per guide, those holding the most clues first


def marks(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Character spans of `text` that match search `terms` (Latin words whose stem is a term,
    Chinese character pairs or words that are terms), merged and in order."""
    normal = normalise(text)
    if len(normal) != len(text):  # normalising changed the length: positions would not match
        return []
    spans = []
    # A stem begins with the letter its word begins with: a plain Latin word starting with
    # none of the terms' first letters cannot match (hyphenated words are looked at whole).
    firsts = {term[0] for term in terms if term.isascii()}
    # Chinese terms of two to four characters, found wherever they occur in a run.
    chinese = [term for term in terms if 2 <= len(term) <= 4 and HAN_RUN.fullmatch(term)]
    for match in TOKEN.finditer(normal):
        token, start = match.group(), match.start()
        if token[0] < "\u3400":  # Latin: letters and digits
            maybe = token[0] in firsts or not token.isalnum()
            if maybe and not terms.isdisjoint(latin_terms(token)):
                spans.append((start, match.end()))
            continue
        for term in chinese:
            at = token.find(term)
            while at != -1:
                spans.append((start + at, start + at + len(term)))
                at = token.find(term, at + 1)
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


@lru_cache(maxsize=256)
def _clues(terms: frozenset[str]) -> tuple[str, ...]:
    """Substrings one of which a passage (lower case) must hold to be worth marking: the terms
    (Latin stems are mostly prefixes of the words) and the Chinese ones in Traditional script
    too. One tuple per query; a page's 20 snippets share it."""
    found = set(terms)
    found.update(_s2t().convert(term) for term in terms if HAN_RUN.search(term))
    return tuple(sorted(term for term in found if not term.startswith(TITLE)))


def snippet(passages: list[str], terms: set[str], wanted: int = 1) -> SafeString | None:
    """The best passage as HTML (escaped, matches in <mark>), or None when none matches.

    Passages are looked at in order of how many different clues of the query they hold (see
    _clues; at most `wanted`, one per part of the query, so that among passages holding every
    part the first one wins), and only the first MARKED of them are marked word by word: the
    search stops at one that marks `wanted` different words. A page of 20 long guides costs
    about a millisecond."""
    passages = passages[:MAX_PASSAGES]
    lowered = [passage.lower() for passage in passages]
    everything = "\n".join(lowered)  # clues this guide holds nowhere are not looked for again
    clues = [clue for clue in _clues(frozenset(terms)) if clue in everything]
    candidates, complete = [], 0
    for order, (passage, text) in enumerate(zip(passages, lowered, strict=True)):
        held = min(sum(map(text.__contains__, clues)), wanted)
        if held:
            candidates.append((-held, order, passage))
            complete += held == wanted
            if complete == MARKED:  # no later passage can come before these
                break
    best, best_marks = None, []
    for _held, _order, passage in sorted(candidates)[:MARKED]:
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
    # Only this language's passages are read and decoded (a third of the JSON).
    rows = SearchDocument.objects.filter(publication_id__in=publication_ids).values_list(
        "publication_id", KT(f"passages__{language}")
    )
    for pk, passages in rows:
        html = snippet(json.loads(passages) if passages else [], terms, wanted)
        if html:
            found[pk] = html
    return found
