"""A result's snippet: the passage of the guide (in the reader's language) that holds most of
what they searched for, cut to a phone-sized length, with the matching words marked."""

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from html import escape  # Django's own escape() is this, behind a check for lazy text

import opencc
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


@dataclass(frozen=True)
class Clues:
    """What a passage (lower case) must hold to be worth marking for a part of the query."""

    chinese: tuple[str, ...]  # found anywhere
    latin: tuple[str, ...]  # found at the start of a word (`at_word_start`)
    at_word_start: re.Pattern | None

    def held_by(self, text: str) -> bool:
        if any(map(text.__contains__, self.chinese)):
            return True
        # The pattern only where a plain search found a Latin clue: it costs ten times more.
        return any(map(text.__contains__, self.latin)) and bool(self.at_word_start.search(text))


@lru_cache(maxsize=256)
def _clues(terms: frozenset[str]) -> Clues:
    """The clues of a part of the query: its Chinese terms, in Traditional script too, without
    those that hold a shorter one (身份证 holds 身份: where the first is, so is the second), and
    its Latin terms at the start of a word (stems are mostly the start of their words; one
    inside another word, "end" in "attend", marks nothing). A Latin word may follow a Chinese
    character directly ("开通esim"): only a letter or digit before a clue puts it inside a
    word (a regex \\b would not, as Chinese characters are word characters). One per part; a
    page's 20 snippets share it."""
    found = set(terms)
    found.update(_s2t().convert(term) for term in terms if HAN_RUN.search(term))
    found = {term for term in found if not term.startswith(TITLE)}
    chinese = {term for term in found if HAN_RUN.search(term)}
    latin = sorted(found - chinese, key=len, reverse=True)
    return Clues(
        chinese=tuple(sorted(t for t in chinese if not any(o != t and o in t for o in chinese))),
        latin=tuple(latin),
        at_word_start=re.compile(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, latin)) + ")")
        if latin
        else None,
    )


def _parts_held(passage: str, clues: list[Clues]) -> int:
    """How many parts of the query (their `clues`) a passage seems to hold."""
    text = passage.lower()
    return sum(part.held_by(text) for part in clues)


def snippet(passages: list[str], parts: list[frozenset[str]]) -> SafeString | None:
    """The best passage as HTML (escaped, matches in <mark>), or None when none matches.

    `parts` are the terms of each part of the query (results.Results.concepts). Passages are
    looked at in order of how many parts they seem to hold (a clue of the part occurs in them,
    see _clues), the first of equals first, and marked word by word until one marks as many
    different words as the query has parts, or MARKED passages have marked something: a clue
    inside another word ("sim" in "esim") marks nothing, so such passages do not count.

    The first passage that seems to hold every part comes first in that order: when it marks
    a word for each part, it is the snippet and the passages after it are not read (most
    guides name what was searched for in their summary or first steps). A page of 20 long
    guides costs about half a millisecond."""
    terms = frozenset().union(*parts)
    wanted = len(parts)
    passages = passages[:MAX_PASSAGES]
    clues = [_clues(part) for part in parts]
    held = []
    for passage in passages:
        held.append(_parts_held(passage, clues))
        if held[-1] == wanted:
            found = marks(passage, terms)
            if found and _distinct(passage, found) >= wanted:
                return _cut(passage, found)
            break
    held += [_parts_held(passage, clues) for passage in passages[len(held) :]]
    candidates = sorted(
        (-count, order, passage)
        for order, (count, passage) in enumerate(zip(held, passages, strict=True))
        if count
    )
    best, best_marks, marked = None, [], 0
    for _held, _order, passage in candidates:
        found = marks(passage, terms)
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
        html = snippet(split_passages(stored), parts)
        if html:
            found[pk] = html
    return found
