"""Snippets find and mark what the straightforward reading would, for any text and query
(procedures/search/snippets.py reads less of each guide to be fast: these tests hold it to the
plain rule)."""

import gc
import random
import re
import tracemalloc

from hypothesis import example, given, settings
from hypothesis import strategies as st

from procedures.search import snippets
from procedures.search.analysis import HAN_RUN, TOKEN, latin_terms, normalise
from procedures.search.snippets import _candidates, _clues, marks, reading

WORDS = [
    "end",
    "attend",
    "ending",
    "real-name",
    "realname",
    "name",
    "esim",
    "sim",
    "3g",
    "id",
    "apply",
]
HAN = ["注销", "註銷", "证件", "實名", "实名登记", "澳门", "开通"]
text_pieces = st.sampled_from(WORDS + HAN + [" ", "-", "'", "。", "E", "İ", "\n", "開通eSIM"])
texts = st.lists(text_pieces, max_size=30).map("".join)
queries = st.lists(st.sampled_from(WORDS + HAN), min_size=1, max_size=3)
# A guide's passages as stored: one per line, none holding a newline (join_passages).
guides = st.lists(texts.map(lambda text: text.replace("\n", " ")), max_size=8)


def reference_marks(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Every token of the text read in turn: a Latin word marked when one of its terms is
    searched for, a Chinese term wherever it occurs."""
    normal = normalise(text)
    if len(normal) != len(text):
        return []
    spans = []
    for match in TOKEN.finditer(normal):
        token = match.group()
        if token[0] < "\u3400":
            if not terms.isdisjoint(latin_terms(token)):
                spans.append(match.span())
            continue
        for term in terms:
            if 2 <= len(term) <= 4 and HAN_RUN.fullmatch(term):
                at = token.find(term)
                while at != -1:
                    spans.append((match.start() + at, match.start() + at + len(term)))
                    at = token.find(term, at + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def query_parts(words: list[str]) -> list[frozenset[str]]:
    parts = []
    for word in words:
        terms = latin_terms(word) if word.isascii() else (normalise(word),)
        parts.append(frozenset(terms))
    return parts


@settings(max_examples=300, deadline=None)
@given(texts, queries)
# A part of a hyphenated word is not a word: "real-name" in "end-real-name" is not marked for
# "realname" (the word's parts joined are "endrealname").
@example(text="end-real-name", words=["realname"])
def test_marks_are_those_of_reading_every_word(text, words):
    terms = frozenset().union(*query_parts(words))
    assert marks(text, terms) == reference_marks(text, terms)


@settings(max_examples=300, deadline=None)
@given(guides, queries)
def test_passages_are_tried_by_how_many_parts_they_hold_then_in_order(passages, words):
    clues = [_clues(part) for part in query_parts(words)]
    held = [sum(part.held_by(normalise(passage)) for part in clues) for passage in passages]
    expected = sorted((n for n, count in enumerate(held) if count), key=lambda n: (-held[n], n))
    assert list(_candidates(reading("\n".join(passages)), clues)) == expected


@settings(max_examples=300, deadline=None)
@given(texts, queries)
def test_a_latin_clue_counts_only_at_the_start_of_a_word(text, words):
    line = text.lower()
    for part in query_parts(words):
        clues = _clues(part)
        starts = re.compile(r"(?<![0-9a-z])(?:" + "|".join(map(re.escape, clues.latin)) + ")")
        expected = any(clue in line for clue in clues.chinese) or bool(
            clues.latin and starts.search(line)
        )
        assert clues.held_by(line) == expected


# A part of a question stands for several words (a synonym group: cancel, close, terminate).
grouped_queries = st.lists(queries, min_size=1, max_size=3)


def grouped_parts(groups: list[list[str]]) -> list[frozenset[str]]:
    return [frozenset().union(*query_parts(words)) for words in groups]


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=8), grouped_queries)
def test_the_passages_holding_a_part_are_found_in_the_guide_as_one_text(passages, groups):
    lines = [normalise(passage) for passage in passages]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for part in grouped_parts(groups):
        clues = _clues(part)
        expected = {number for number, line in enumerate(lines) if clues.held_by(line)}
        assert clues.holders("\n".join(lines), starts) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(texts, max_size=8), grouped_queries, st.integers(min_value=0, max_value=8))
def test_the_next_passage_holding_a_part_is_the_first_that_holds_it(passages, groups, number):
    lines = [normalise(passage) for passage in passages]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    number = min(number, len(lines))
    for part in grouped_parts(groups):
        clues = _clues(part)
        holding = [at for at in range(number, len(lines)) if clues.held_by(lines[at])]
        text = "\n".join(lines)
        found = clues.next_holder(text, starts, number) if number < len(lines) else None
        assert found == (holding[0] if holding else None)


@settings(max_examples=300, deadline=None)
@given(guides, grouped_queries)
def test_the_first_passage_tried_is_the_first_holding_every_part(passages, groups):
    """Found by leaping between the parts' next holders; the rest follow by how many parts
    they hold, also when they are found as asked for (one or two parts)."""
    clues = [_clues(part) for part in grouped_parts(groups)]
    every = [n for n, p in enumerate(passages) if all(c.held_by(normalise(p)) for c in clues)]
    held = [sum(c.held_by(normalise(p)) for c in clues) for p in passages]
    expected = sorted((n for n, count in enumerate(held) if count), key=lambda n: (-held[n], n))
    tried = _candidates(reading("\n".join(passages)), clues)
    first = next(tried, None)
    rest = list(tried)
    assert first == (every[0] if every else (expected[0] if expected else None))
    assert [first, *rest] == (expected or [None])


def test_the_guides_kept_read_have_a_memory_ceiling():
    """Each guide a search shows is read once (split, normalised, joined) and kept for the next
    search: at most READINGS of them, and none longer than READ_CACHED characters, so that
    searches over ever new, long guides cannot grow a process (about 4.6 MB at most)."""
    # Chinese text (two bytes a character, the costliest to keep) from a few passages, so that
    # what the search's other caches keep of them (normalise) stays small; every guide's
    # passages in another order, so that no two guides are alike.
    rng = random.Random(14)  # noqa: S311 - test data, not secrets
    passages = ["".join(rng.choice(HAN) for _ in range(40)) for _ in range(12)]
    parts = query_parts(["注销"])

    def guide(length):
        stored = []
        while sum(map(len, stored)) + len(stored) < length - 200:
            stored.append(rng.choice(passages))
        return "\n".join(stored)

    lengths = [snippets.READ_CACHED] * 400 + [4 * snippets.READ_CACHED] * 100
    snippets._cached_reading.cache_clear()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for length in lengths:  # each guide made here and let go: only what the cache keeps stays
        snippets.snippet(guide(length), parts)
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    snippets._cached_reading.cache_clear()
    ceiling = snippets.READINGS * 2 * snippets.READ_CACHED * 2 * 1.15  # two texts, and starts
    assert grown < ceiling, f"{grown / 1e6:.1f} MB kept after reading 500 guides"
    assert snippets._cached_reading.cache_info().maxsize == snippets.READINGS
