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


@lru_cache(maxsize=256)
def _clues(terms: frozenset[str]) -> re.Pattern | None:
    """What a passage (lower case) must hold to be worth marking, or None when nothing can
    match: a Latin term at the start of a word (a stem is mostly a prefix of the words it comes
    from, so "end" is looked for in "end" and "ended", not in "send"), or a Chinese term
    anywhere, in either script. One pattern per query; a page's 20 snippets share it."""
    latin, chinese = set(), set()
    for term in terms:
        if term.startswith(TITLE):
            continue
        if HAN_RUN.search(term):
            chinese |= {term, _s2t().convert(term)}
        else:
            latin.add(term)
    parts = [rf"(?<![a-z0-9]){re.escape(term)}" for term in sorted(latin)]
    parts += [re.escape(term) for term in sorted(chinese)]
    return re.compile("|".join(parts)) if parts else None


def snippet(passages: list[str], terms: set[str], wanted: int = 1) -> SafeString | None:
    """The best passage as HTML (escaped, matches in <mark>), or None when none matches.

    Only passages holding a clue (see _clues) are marked, and the search stops at one that
    marks `wanted` different words (one per part of the query), so a page of 20 long guides
    costs a few milliseconds."""
    best, best_marks = None, []
    clues = _clues(frozenset(terms))
    if clues is None:
        return None
    for passage in passages[:MAX_PASSAGES]:
        if not clues.search(passage.lower()):
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
    # Only this language's passages are read and decoded (a third of the JSON).
    rows = SearchDocument.objects.filter(publication_id__in=publication_ids).values_list(
        "publication_id", KT(f"passages__{language}")
    )
    for pk, passages in rows:
        html = snippet(json.loads(passages) if passages else [], terms, wanted)
        if html:
            found[pk] = html
    return found
