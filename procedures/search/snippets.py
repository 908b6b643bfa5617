"""A result's snippet: the passage of the guide (in the reader's language) that holds most of
what they searched for, cut to a phone-sized length, with the matching words marked."""

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

from django.utils.safestring import SafeString

from procedures.search.analysis import HAN_RUN, TITLE, latin_terms, normalise
from procedures.search.documents import split_passages

LENGTH = 160  # characters shown: about three lines on a phone
LEAD = 40  # characters kept before the first match
MAX_PASSAGES = 60  # a guide's first passages: summary, steps, then FAQs and notes
MARKED = 2  # passages that marked something, per guide, before the best of them is taken


def marks(
    text: str, terms: frozenset[str], normal: str | None = None, held: dict | None = None
) -> list[tuple[int, int]]:
    """Character spans of `text` that match search `terms` (Latin words whose stem is a term,
    Chinese character pairs or words that are terms), merged and in order. `normal`: the
    text normalised, when the caller has it already. `held`: whether a word holds one of
    `terms`, as found so far, filled in here (a page's snippets share it: their passages
    repeat their words)."""
    normal = normalise(text) if normal is None else normal
    if len(normal) != len(text):  # normalising changed the length: positions would not match
        return []
    words, chinese = _marking(terms)
    held = {} if held is None else held
    spans = []
    if words is not None:
        for match in words.finditer(normal):
            start, end = match.span()
            word = match.group()
            if start > 1 and normal[start - 1] in HYPHENS and normal[start - 2] in WORD_CHARACTERS:
                # A part of a hyphenated word ("name" in "real-name"): the word is what holds
                # a term or not, whatever letter it starts with.
                start = _word_start(normal, start - 2)
                word = normal[start:end]
            holds = held.get(word)
            if holds is None:
                holds = held[word] = not terms.isdisjoint(latin_terms(word))
            if holds:
                spans.append((start, end))
    # Chinese terms are found wherever they occur: always inside a run of Chinese characters,
    # which a text without Chinese (most of an English page: isascii() is a flag) has none of.
    for term in () if normal.isascii() else chinese:
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
    cannot match and is not even looked at. None: no Latin term.

    The letters come first in the pattern, so that the regex engine leaps from one to the
    next; the look-behind then keeps those that start a run of letters. A run after a hyphen
    ("name" in "real-name") is found too: a hyphenated word holds a term through one of its
    parts (each starts a run) or its parts joined (its first), so `marks` finds every such
    word from one of its runs."""
    firsts = sorted({term[0] for term in terms if term.isascii() and term})
    chinese = tuple(sorted(t for t in terms if 2 <= len(t) <= 4 and HAN_RUN.fullmatch(t)))
    if not firsts:
        return None, chinese
    starting = "".join(map(re.escape, firsts))
    word = rf"[{starting}](?<![0-9a-z].)[0-9a-z]*(?:[-'’][0-9a-z]+)*"
    return re.compile(word), chinese


HYPHENS = "-'’"  # what joins the parts of a Latin word (analysis.LATIN_WORD)


def _word_start(normal: str, at: int) -> int:
    """Where the Latin word holding position `at` (a letter or digit) of `normal` starts: back
    over letters and digits, and over a hyphen or apostrophe with a letter or digit before
    it, as analysis.LATIN_WORD reads a word from its first letter."""
    while at:
        before = normal[at - 1]
        if before in WORD_CHARACTERS:
            at -= 1
        elif before in HYPHENS and at > 1 and normal[at - 2] in WORD_CHARACTERS:
            at -= 2
        else:
            break
    return at


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


class Reading(NamedTuple):
    """A guide's passages as snippets read them: normalised (analysis.normalise) and joined by
    newlines into one text, so that each clue is looked for once in the guide (a clue holds
    no newline: a match never spans two passages)."""

    stored: str  # the passages as stored, one per line (documents.join_passages)
    text: str  # the first MAX_PASSAGES of them normalised, joined by newlines
    starts: list[int]  # passage n is text[starts[n] : starts[n + 1] - 1]
    # Where passage n starts in `stored`, when normalising changed a passage's length (else
    # `starts` says it: the same offsets in both).
    stored_starts: list[int] | None

    def line(self, number: int) -> str:
        """Passage `number`, normalised."""
        return self.text[self.starts[number] : self.starts[number + 1] - 1]

    def passage(self, number: int) -> str:
        """Passage `number` as stored."""
        starts = self.starts if self.stored_starts is None else self.stored_starts
        return self.stored[starts[number] : starts[number + 1] - 1]


def reading(stored: str) -> Reading:
    """The Reading of a guide's stored passages. Kept for the last READINGS guides of up to
    READ_CACHED characters (a popular guide is found by many searches; the bench's pages
    read the same 20 again and again): splitting, normalising and joining a guide cost as
    much as finding its snippet. At most READINGS × 2 × READ_CACHED characters are kept,
    about 4.6 MB (tests/test_snippet_rules.py bounds it)."""
    return _read(stored) if len(stored) > READ_CACHED else _cached_reading(stored)


READINGS = 96
READ_CACHED = 12_000  # characters: the demo's longest guide has 5,030 (English)


def _read(stored: str) -> Reading:
    passages = split_passages(stored)[:MAX_PASSAGES]
    lines = list(map(normalise, passages))
    starts = list(accumulate([len(line) + 1 for line in lines], initial=0))
    stored_starts = list(accumulate([len(passage) + 1 for passage in passages], initial=0))
    text = "\n".join(lines)
    return Reading(stored, text, starts, None if stored_starts == starts else stored_starts)


_cached_reading = lru_cache(maxsize=READINGS)(_read)


def _candidates(guide: Reading, parts: list[Clues]):
    """Numbers of the passages of `guide` in order of how many `parts` they seem to hold, the
    first of equals first. The first passage holding every part comes first, as soon as it is
    found; the rest only if asked for."""
    if not parts:
        return
    holders = _NextHolders(guide, parts)
    every = holders.first_holding_all()
    if every is not None:
        yield every
    if len(parts) == 1 or (len(parts) == 2 and every is None):
        # Beyond `every`, a passage holds one part or none: the order is the holders' own,
        # found as asked for (mostly one or two are), not counted over the whole guide.
        yield from (number for number in holders.in_order() if number != every)
        return
    held = [0] * (len(guide.starts) - 1)
    for part in parts:
        for number in part.holders(guide.text, guide.starts):
            held[number] += 1
    order = sorted((-count, number) for number, count in enumerate(held) if count)
    yield from (number for _count, number in order if number != every)


class _NextHolders:
    """The parts' next holders in one guide (Clues.next_holder), each looked for once: what
    the leap to the first passage holding every part found is reused when the passages
    holding any part are then taken in order."""

    def __init__(self, guide: Reading, parts: list[Clues]):
        self.text, self.starts, self.parts = guide.text, guide.starts, parts
        self.count = len(guide.starts) - 1  # passages
        # Per part, (from, holder) found: no passage from `from` to `holder` holds the part
        # but `holder` (None: none from `from` on).
        self.known: list[list[tuple[int, int | None]]] = [[] for _ in parts]

    def of(self, part: int, number: int) -> int | None:
        """The first passage from passage `number` on holding part number `part`, or None."""
        for start, holder in self.known[part]:
            if start <= number and (holder is None or number <= holder):
                return holder
        found = None
        if number < self.count:
            found = self.parts[part].next_holder(self.text, self.starts, number)
        self.known[part].append((number, found))
        return found

    def first_holding_all(self) -> int | None:
        """The first passage holding a clue of every part, or None. Each part's next holder
        from the candidate on; the candidate moves to the furthest of them until they agree
        (as a merge of sorted lists leaps ahead)."""
        number = 0
        while True:
            furthest = number
            for part in range(len(self.parts)):
                holder = self.of(part, number)
                if holder is None:
                    return None
                furthest = max(furthest, holder)
            if furthest == number:
                return number
            number = furthest

    def in_order(self):
        """The passages holding a clue of any part, in order: the parts' next holders merged,
        each part read on only when its own holder is passed."""
        ahead = [self.of(part, 0) for part in range(len(self.parts))]
        while True:
            number = min((holder for holder in ahead if holder is not None), default=None)
            if number is None:
                return
            yield number
            for part, holder in enumerate(ahead):
                if holder == number:
                    ahead[part] = self.of(part, number + 1)


class _Query(NamedTuple):
    """What the snippets of a page share: the terms of every part, each part's clues, and
    whether a word holds a term (`marks`)."""

    terms: frozenset[str]
    wanted: int  # parts
    clues: list[Clues]
    held: dict[str, bool]


def _query(parts: list[frozenset[str]]) -> _Query:
    terms = frozenset().union(*parts)
    return _Query(terms, len(parts), [_clues(part) for part in parts], {})


def snippet(
    stored: str, parts: list[frozenset[str]], query: _Query | None = None
) -> SafeString | None:
    """The best passage of a guide as HTML (escaped, matches in <mark>), or None when none
    matches. `stored`: the guide's passages as stored, one per line (documents.join_passages).

    `parts` are the terms of each part of the query (results.Results.concepts). Passages are
    looked at in order of how many parts they seem to hold (a clue of the part occurs in them,
    see _clues), the first of equals first, and marked word by word until one marks as many
    different words as the query has parts, or MARKED passages have marked something: a clue
    inside another word ("sim" in "esim") marks nothing, so such passages do not count.

    The guide is read as one text (`reading`, kept for the guides read last), leaping from
    each part's next holder to the next (_NextHolders), and only the passages tried are
    marked: a page of 20 long guides costs a few tenths of a millisecond. `query`: what the
    page's snippets share, worked out once (`snippets`)."""
    query = _query(parts) if query is None else query
    wanted = query.wanted
    guide = reading(stored)
    best, best_marks, marked = None, [], 0
    for number in _candidates(guide, query.clues):
        passage = guide.passage(number)
        found = marks(passage, query.terms, guide.line(number), query.held)
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
    first = best_marks[0][0]
    start = max(0, first - LEAD)
    if start:  # begin at a word or sentence boundary when one is near
        boundary = BOUNDARY.search(text, start, first)
        start = boundary.end() if boundary else start
    end = min(len(text), start + LENGTH)
    # The snippet is the content of an element, where only &, < and > mean markup (quotes do
    # in attributes): escaped where the shown text has one, which it mostly has not.
    shown = text[start:end]
    escaped = _escaped if "&" in shown or "<" in shown or ">" in shown else str
    parts = ["…" if start else ""]
    at = 0
    for mark_start, mark_end in best_marks:
        mark_start, mark_end = max(mark_start - start, 0), min(mark_end - start, len(shown))
        if mark_end <= 0 or mark_start >= len(shown):
            continue
        parts.append(escaped(shown[at:mark_start]))
        parts.append(f"<mark>{escaped(shown[mark_start:mark_end])}</mark>")
        at = mark_end
    parts.append(escaped(shown[at:]))
    parts.append("…" if end < len(text) else "")
    return SafeString("".join(parts))  # every piece of text escaped above


BOUNDARY = re.compile(r"[\s，。；：、,.;:]")  # where a cut snippet may begin


def _escaped(text: str) -> str:
    """Text as the content of an HTML element."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def snippets(passages: dict[int, str], parts: list[frozenset[str]]) -> dict[int, SafeString]:
    """{publication id: snippet} for the results shown. `passages`: {publication id: its
    passages in the page's language as stored (SearchDocument.passages_<language>, read with
    the cards: cards.guide_cards)}, so a snippet never needs its own language mark and
    costs no query. `parts`: the terms of each part of the query."""
    found, query = {}, _query(parts)
    for pk, stored in passages.items():
        html = snippet(stored, parts, query)
        if html:
            found[pk] = html
    return found
