"""A result's snippet: the passage of the guide (in the reader's language) that holds most of
what they searched for, cut to a phone-sized length, with the matching words marked."""

import re
from functools import lru_cache
from html import escape  # Django's own escape() is this, behind a check for lazy text
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

from procedures.search.analysis import HAN_RUN, TITLE, latin_terms, normalise
from procedures.search.documents import split_passages

LENGTH = 160  # characters shown: about three lines on a phone
LEAD = 40  # characters kept before the first match
MAX_PASSAGES = 60  # a guide's first passages: summary, steps, then FAQs and notes
MARKED = 2  # passages that marked something, per guide, before the best of them is taken


def marks(text: str, terms: frozenset[str], normal: str | None = None) -> list[tuple[int, int]]:
    """Character spans of `text` that match search `terms` (Latin words whose stem is a term,
    Chinese character pairs or words that are terms), merged and in order. `normal`: the
    text normalised, when the caller has it already."""
    normal = normalise(text) if normal is None else normal
    if len(normal) != len(text):  # normalising changed the length: positions would not match
        return []
    words, chinese = _marking(terms)
    spans = []
    if words is not None:
        for match in words.finditer(normal):
            if not terms.isdisjoint(latin_terms(match.group())):
                spans.append(match.span())
    # Chinese terms are found wherever they occur: always inside a run of Chinese characters.
    for term in chinese:
        at = normal.find(term)
        while at != -1:
            spans.append((at, at + len(term)))
            at = normal.find(term, at + 1)
    spans.sort()
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


@lru_cache(maxsize=256)
def _marking(terms: frozenset[str]) -> tuple[re.Pattern | None, tuple[str, ...]]:
    """What `marks` looks for: a pattern of the Latin words (as TOKEN finds them) that may
    stand for a term, and the Chinese terms of two to four characters. A stem begins with the
    letter its word begins with, so a plain word starting with none of the terms' first
    letters cannot match and is not even looked at; hyphenated words are looked at whole
    ("real-name" holds "name"). None: no Latin term."""
    firsts = sorted({term[0] for term in terms if term.isascii() and term})
    chinese = tuple(sorted(t for t in terms if 2 <= len(t) <= 4 and HAN_RUN.fullmatch(t)))
    if not firsts:
        return None, chinese
    starting = "".join(map(re.escape, firsts))
    word = (
        rf"(?<![0-9a-z])(?:[{starting}][0-9a-z]*(?:[-'’][0-9a-z]+)*|[0-9a-z]+(?:[-'’][0-9a-z]+)+)"
    )
    return re.compile(word), chinese


class Clues(NamedTuple):
    """What a passage (normalised: analysis.normalise) must hold to be worth marking for a part
    of the query: a `chinese` clue anywhere, or a `latin` one at the start of a word."""

    chinese: tuple[str, ...]
    latin: tuple[str, ...]

    def held_by(self, line: str) -> bool:
        """Whether a passage (normalised) holds one of these clues."""
        # An ASCII passage (most of an English page) holds no Chinese: isascii() is a flag.
        if not line.isascii() and any(map(line.__contains__, self.chinese)):
            return True
        for clue in self.latin:  # str.find, as a regex lookbehind costs ten times more
            at = line.find(clue)
            while at > 0 and line[at - 1] in WORD_CHARACTERS:
                at = line.find(clue, at + 1)  # inside a word: not this one
            if at != -1:
                return True
        return False


# A Latin clue preceded by one of these is inside a word ("end" in "attend"); anything else,
# a Chinese character included ("开通esim"), starts one (a regex \b would not say so: Chinese
# characters are word characters).
WORD_CHARACTERS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=256)
def _clues(terms: frozenset[str]) -> Clues:
    """The clues of a part of the query. Its Chinese terms, in Simplified script as passages
    are looked at normalised (a Traditional page needs no clues of its own, nor a converter
    the other way, whose phrase tables cost a process 26 MB), without those that hold a
    shorter one (身份证 holds 身份: where the first is, so is the second). Its Latin terms,
    found at the start of a word (stems mostly start their words; one inside another word,
    "end" in "attend", marks nothing). One per part; a page's 20 snippets share it."""
    found = {term for term in terms if not term.startswith(TITLE)}
    chinese = {term for term in found if HAN_RUN.search(term)}
    return Clues(
        chinese=tuple(sorted(t for t in chinese if not any(o != t and o in t for o in chinese))),
        latin=tuple(sorted(found - chinese)),
    )


def _candidates(passages: list[str], parts: list[Clues]):
    """(Number, passage normalised) of `passages` in order of how many `parts` they seem to
    hold, the first of equals first. The first passage holding every part comes as soon as
    it is found (most guides name what was searched for in their summary or first steps);
    the rest only if asked for."""
    if not parts:
        return
    lines, held, every = [], [], None
    for number, passage in enumerate(passages):
        lines.append(normalise(passage))
        held.append(sum([part.held_by(lines[-1]) for part in parts]))
        if every is None and held[-1] == len(parts):
            every = number
            yield number, lines[-1]
    order = sorted((-count, number) for number, count in enumerate(held) if count)
    yield from ((number, lines[number]) for _count, number in order if number != every)


def snippet(stored: str, parts: list[frozenset[str]]) -> SafeString | None:
    """The best passage of a guide as HTML (escaped, matches in <mark>), or None when none
    matches. `stored`: the guide's passages as stored, one per line (documents.join_passages).

    `parts` are the terms of each part of the query (results.Results.concepts). Passages are
    looked at in order of how many parts they seem to hold (a clue of the part occurs in them,
    see _clues), the first of equals first, and marked word by word until one marks as many
    different words as the query has parts, or MARKED passages have marked something: a clue
    inside another word ("sim" in "esim") marks nothing, so such passages do not count.

    Mostly only the first passages are read (_candidates): a page of 20 long guides costs a
    few tenths of a millisecond."""
    terms = frozenset().union(*parts)
    wanted = len(parts)
    passages = split_passages(stored)[:MAX_PASSAGES]
    best, best_marks, marked = None, [], 0
    for number, normal in _candidates(passages, [_clues(part) for part in parts]):
        passage = passages[number]
        found = marks(passage, terms, normal)
        if not found:
            continue
        marked += 1
        distinct = _distinct(passage, found)
        if best is None or distinct > best[0]:
            best, best_marks = (distinct, passage), found
            if distinct >= wanted:
                break
        if marked == MARKED:
            break
    return _cut(best[1], best_marks) if best is not None else None


def _distinct(passage: str, found: list[tuple[int, int]]) -> int:
    """How many different words the marks of a passage mark."""
    return len({normalise(passage[start:end]) for start, end in found})


def _cut(text: str, best_marks: list[tuple[int, int]]) -> SafeString:
    """A passage cut to LENGTH around its first mark, escaped, its marks in <mark>."""
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
    the cards: cards.guide_cards)}, so a snippet never needs its own language mark and
    costs no query. `parts`: the terms of each part of the query."""
    found = {}
    for pk, stored in passages.items():
        html = snippet(stored, parts)
        if html:
            found[pk] = html
    return found
