"""A result's snippet: the passage of the guide (in the reader's language) that holds most of
what they searched for, cut to a phone-sized length, with the matching words marked."""

import re
from bisect import bisect_right
from functools import lru_cache
from html import escape  # Django's own escape() is this, behind a check for lazy text
from itertools import accumulate
from typing import NamedTuple

from django.utils.safestring import SafeString, mark_safe

from procedures.search.analysis import HAN_RUN, LATIN_WORD, TITLE, latin_terms, normalise
from procedures.search.documents import split_passages

LENGTH = 160  # characters shown: about three lines on a phone
LEAD = 40  # characters kept before the first match
MAX_PASSAGES = 60  # a guide's first passages: summary, steps, then FAQs and notes
READ_FIRST = 6  # passages read one at a time before a guide is read as one text
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
        if "-" in normal or "'" in normal or "’" in normal:
            spans.extend(_hyphenated(normal, terms))
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
    """What `marks` looks for: a pattern of the Latin words (as TOKEN finds them) starting with
    one of the terms' first letters, and the Chinese terms of two to four characters. A stem
    begins with the letter its word begins with, so a word starting with another letter
    cannot match and is not even looked at (a hyphenated one can: _hyphenated). None: no
    Latin term.

    The letters come first in the pattern, so that the regex engine leaps from one to the
    next; the look-behind then keeps those that start a run of letters. A run after a hyphen
    ("name" in "real-name") is found too; where it holds a term, so does its word, whose mark
    holds its own (`marks` merges them)."""
    firsts = sorted({term[0] for term in terms if term.isascii() and term})
    chinese = tuple(sorted(t for t in terms if 2 <= len(t) <= 4 and HAN_RUN.fullmatch(t)))
    if not firsts:
        return None, chinese
    starting = "".join(map(re.escape, firsts))
    word = rf"[{starting}](?<![0-9a-z].)[0-9a-z]*(?:[-'’][0-9a-z]+)*"
    return re.compile(word), chinese


# A hyphen or apostrophe inside a word: a letter or digit on each side.
INNER_HYPHEN = re.compile(r"[-'’](?<=[0-9a-z].)(?=[0-9a-z])")


def _hyphenated(normal: str, terms: frozenset[str]):
    """Spans of the hyphenated words of `normal` that hold a term ("real-name" holds "name"),
    whatever letter they start with. Each is found from its first inner hyphen: the word
    starts where the run of letters before that hyphen does."""
    end = 0
    for hyphen in INNER_HYPHEN.finditer(normal):
        if hyphen.start() < end:
            continue  # a later hyphen of the word just read
        start = hyphen.start()
        while start and normal[start - 1] in WORD_CHARACTERS:
            start -= 1
        word = LATIN_WORD.match(normal, start)
        end = word.end()
        if not terms.isdisjoint(latin_terms(word.group())):
            yield word.span()


class Clues(NamedTuple):
    """What a passage (normalised: analysis.normalise) must hold to be worth marking for a part
    of the query: a `chinese` clue anywhere, or a `latin` one at the start of a word."""

    chinese: tuple[str, ...]
    latin: tuple[str, ...]

    def held_by(self, line: str) -> bool:
        """Whether a passage (normalised) holds one of these clues: the rule `holders`
        applies to a guide's passages at once."""
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

    def holders(self, text: str, starts: list[int]) -> set[int]:
        """The numbers of the passages of `text` (normalised passages joined by newlines,
        passage n starting at starts[n], starts[-1] past the end) that hold one of these clues.
        One str.find per occurrence over the whole text, not a search per passage (a guide has
        some twenty passages, and a question's parts a dozen clues)."""
        found: set[int] = set()
        # Text without Chinese (most of an English page) holds no Chinese clue: isascii() is
        # a flag.
        for clue in () if text.isascii() else self.chinese:
            at = text.find(clue)
            while at != -1:
                number = bisect_right(starts, at) - 1
                found.add(number)
                at = text.find(clue, starts[number + 1])  # this passage is counted: the next
        for clue in self.latin:  # str.find, as a regex lookbehind costs ten times more
            at = text.find(clue)
            while at != -1:
                if at and text[at - 1] in WORD_CHARACTERS:  # inside a word: not this one
                    at = text.find(clue, at + 1)
                    continue
                number = bisect_right(starts, at) - 1
                found.add(number)
                at = text.find(clue, starts[number + 1])
        return found

    def next_holder(self, text: str, starts: list[int], number: int) -> int | None:
        """The number of the first passage of `text` (as for `holders`) from passage `number`
        on that holds one of these clues, or None. One str.find per clue, each stopping where
        the best so far is."""
        best = len(text)
        for clue in () if text.isascii() else self.chinese:
            # Only an occurrence starting before the best so far can be better.
            at = text.find(clue, starts[number], best + len(clue) - 1)
            if at != -1:
                best = at
        for clue in self.latin:
            end = best + len(clue) - 1
            at = text.find(clue, starts[number], end)
            while at > 0 and text[at - 1] in WORD_CHARACTERS:
                at = text.find(clue, at + 1, end)
            if at != -1:
                best = at
        return None if best == len(text) else bisect_right(starts, best) - 1


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
    hold, the first of equals first. The first passage holding every part comes first, as
    soon as it is found; the rest only if asked for."""
    if not parts:
        return
    lines: list[str] = []
    # Most guides name what was searched for in their summary or first steps: those are read
    # in turn, one passage at a time, and mostly no other passage is asked for.
    every = None
    for number, passage in enumerate(passages[:READ_FIRST]):
        lines.append(normalise(passage))
        if all(part.held_by(lines[number]) for part in parts):
            every = number
            yield number, lines[number]
            break
    # Then the guide as one text, each clue looked for once in it (Clues.holders): a clue
    # holds no newline, so a match never spans two passages.
    lines.extend(map(normalise, passages[len(lines) :]))
    starts = list(accumulate([len(line) + 1 for line in lines], initial=0))
    text = "\n".join(lines)
    if every is None and len(passages) > READ_FIRST:
        every = _first_holding_all(text, starts, parts, READ_FIRST)
        if every is not None:
            yield every, lines[every]
    held = [0] * len(lines)
    for part in parts:
        for number in part.holders(text, starts):
            held[number] += 1
    order = sorted((-count, number) for number, count in enumerate(held) if count)
    yield from ((number, lines[number]) for _count, number in order if number != every)


def _first_holding_all(text: str, starts: list[int], parts: list[Clues], number: int) -> int | None:
    """The number of the first passage of `text` (as for Clues.holders) from passage `number`
    on holding a clue of every part, or None. Each part's next holder from the candidate on;
    the candidate moves to the furthest of them until they agree (as a merge of sorted lists
    leaps ahead)."""
    while True:
        furthest = number
        for part in parts:
            holder = part.next_holder(text, starts, number)
            if holder is None:
                return None
            furthest = max(furthest, holder)
        if furthest == number:
            return number
        number = furthest


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
