"""A result's snippet: the passage of the guide (in the reader's language) that holds most of
what they searched for, cut to a phone-sized length, with the matching words marked."""

import re
from functools import cache, lru_cache

import opencc
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from procedures.search.analysis import HAN_RUN, TITLE, TOKEN, latin_terms, normalise
from procedures.search.documents import split_passages

LENGTH = 160  # characters shown: about three lines on a phone
LEAD = 40  # characters kept before the first match
MAX_PASSAGES = 60  # a guide's first passages: summary, steps, then FAQs and notes
MARKED = 2  # passages that marked something, per guide, before the best of them is taken


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
    """Substrings one of which a passage (lower case) must hold to be worth marking for a part
    of the query: its terms (Latin stems are mostly prefixes of the words) and the Chinese ones
    in Traditional script too. One tuple per part; a page's 20 snippets share it."""
    found = set(terms)
    found.update(_s2t().convert(term) for term in terms if HAN_RUN.search(term))
    return tuple(sorted(term for term in found if not term.startswith(TITLE)))


def snippet(passages: list[str], parts: list[frozenset[str]]) -> SafeString | None:
    """The best passage as HTML (escaped, matches in <mark>), or None when none matches.

    `parts` are the terms of each part of the query (results.Results.concepts). Passages are
    looked at in order of how many parts they seem to hold (a clue of the part occurs in them,
    see _clues), the first of equals first, and marked word by word until one marks as many
    different words as the query has parts, or MARKED passages have marked something: a clue
    inside another word ("sim" in "esim") marks nothing, so such passages do not count. A page
    of 20 long guides costs about a millisecond."""
    terms = frozenset().union(*parts)
    wanted = len(parts)
    passages = passages[:MAX_PASSAGES]
    lowered = [passage.lower() for passage in passages]
    everything = "\n".join(lowered)  # clues this guide holds nowhere are not looked for again
    held_clues = [
        found
        for found in (tuple(c for c in _clues(part) if c in everything) for part in parts)
        if found
    ]
    candidates = []
    for order, (passage, text) in enumerate(zip(passages, lowered, strict=True)):
        held = sum(any(map(text.__contains__, clues)) for clues in held_clues)
        if held:
            candidates.append((-held, order, passage))
    best, best_marks, marked = None, [], 0
    for _held, _order, passage in sorted(candidates):
        found = marks(passage, terms)
        if not found:
            continue
        marked += 1
        distinct = len({normalise(passage[start:end]) for start, end in found})
        if best is None or distinct > best[0]:
            best, best_marks = (distinct, passage), found
            if distinct >= wanted:
                break
        if marked == MARKED:
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


def snippets(passages: dict[int, str], parts: list[frozenset[str]]) -> dict[int, SafeString]:
    """{publication id: snippet} for the results shown. `passages`: {publication id: its
    passages in the page's language as stored (SearchDocument.passages_<language>, read with
    the cards: selectors.guide_cards)}, so a snippet never needs its own language mark and
    costs no query. `parts`: the terms of each part of the query."""
    found = {}
    for pk, stored in passages.items():
        html = snippet(split_passages(stored), parts)
        if html:
            found[pk] = html
    return found
