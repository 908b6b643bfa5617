"""The search index of one process: every live guide's terms, scored with BM25.

Built next to the list index (procedures/public/listing.py) and with the same positions (one per
live guide, in display order), so a search's matches are a bitset that combines with the filters
and their counts. Postings are numpy arrays grouped by term (guide positions as 32-bit
integers, and each guide's BM25 for the term but its idf as 32-bit floats: 8 bytes a
posting), and scoring works on whole vectors, so a query costs about the same at 100 or
10,000 guides; carrier and region names with their aliases are added from their tables at
build time.

Ranking: BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
2009) over weighted term counts, a simple form of BM25F, with k1 = 1.2 and b = 0.75; ties go
to featured guides, then the most recently verified.
"""

import bisect
import math
from array import array
from dataclasses import dataclass, field

import numpy as np

from procedures.models import Carrier, Region
from procedures.search import documents
from procedures.search.analysis import TITLE, analyse, stem, surface_words, vocabulary
from procedures.search.models import SearchDocument
from procedures.search.query import Concept, parse

K1, B = 1.2, 0.75
NAME_WEIGHT = 4.0  # carrier and region names: between a title word and a summary word
COMPLETIONS = 20  # terms a word typed in part may stand for


@dataclass
class Results:
    """What a query found: `bits` (positions of the matching guides, as the list index's
    bitsets), a score per position, and the concepts it was read as (for snippets and "did
    you mean")."""

    bits: int
    scores: np.ndarray  # float, one per position (0: no match)
    concepts: list[Concept]

    @property
    def terms(self) -> set[str]:
        return {term for concept in self.concepts for term in concept.terms()}

    def unknown_words(self) -> list[str]:
        return [concept.unknown_word for concept in self.concepts if concept.unknown_word]


@dataclass
class SearchIndex:
    size: int
    vocabulary: dict[str, int] = field(default_factory=dict)  # term → number
    # Postings of term t: positions docs[starts[t]:starts[t + 1]], impacts alike: the BM25 of
    # the term in that guide, idf·tf·(k1 + 1) / (tf + k1·(1 - b + b·length / mean length)),
    # tf its weighted count, idf = ln(1 + (N - n + 0.5) / (n + 0.5)) for n guides of N.
    starts: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    docs: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    impacts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    # A term held by more than half of the guides is kept as a row of impacts, one per
    # position (0: not held): 4 bytes a guide take less than 8 a posting, and scoring adds
    # the row whole. Its postings are then empty. Term number → row of `dense`.
    dense_rows: dict[int, int] = field(default_factory=dict)
    dense: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    guides: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # per term
    order: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # tie-break rank
    words: frozenset = frozenset()  # Latin words as written, 5+ letters
    _deletions: dict | None = None
    _sorted: tuple[list[str], list[str]] | None = None  # terms, and reversed terms, sorted

    @property
    def postings(self) -> dict[str, int]:
        return self.vocabulary

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, rows: list[tuple], *, dense: bool = True) -> "SearchIndex":
        """An index of `rows`: (publication id, carrier id, region id, is_featured,
        last_verified_on) per live guide, in the list index's order (position = row number).
        Analyses guides that have no stored search document yet. One pass over the stored
        term lists, then the postings are grouped by term with numpy (one sort). `dense`:
        common terms kept as rows (False: postings only, the reference the tests compare)."""
        ids = [row[0] for row in rows]
        index = cls(size=len(ids))
        if not ids:
            return index
        documents.ensure_documents(ids)
        position = {pk: number for number, pk in enumerate(ids)}
        names, name_words = _names()
        # Term numbers and weights go straight into compact arrays (4 bytes each): holding
        # millions of term strings at once would cost a process hundreds of MB at its peak.
        vocabulary: dict[str, int] = {}
        number = vocabulary.setdefault
        numbers, weights = array("i"), array("f")
        owners, counts = array("i"), array("i")
        lengths = np.zeros(len(ids))
        words: set[str] = set(name_words)
        stored = SearchDocument.objects.filter(analyser=documents.ANALYSER_VERSION)
        if len(ids) <= documents.CHUNK:
            stored = stored.filter(publication_id__in=ids)
        for pk, text, weighted, length, latin in stored.values_list(
            "publication_id", "terms", "weights", "length", "words"
        ).iterator(chunk_size=200):
            at = position.get(pk)
            if at is None:
                continue
            found = [number(term, len(vocabulary)) for term in text.split()]
            numbers.extend(found)
            weights.extend(float(weight) for weight in weighted.split())
            owners.append(at)
            counts.append(len(found))
            lengths[at] = length
            words.update(latin.split())
        for at, (_pk, carrier_id, region_id, _featured, _verified) in enumerate(rows):
            extra = names.get(("carrier", carrier_id), {}) if carrier_id else {}
            extra = extra | names.get(("region", region_id), {})
            if extra:
                numbers.extend(number(term, len(vocabulary)) for term in extra)
                weights.extend(NAME_WEIGHT for _term in extra)
                owners.append(at)
                counts.append(len(extra))
                lengths[at] += NAME_WEIGHT * len(extra)
        term_numbers = np.frombuffer(numbers, dtype=np.int32)
        docs = np.repeat(np.frombuffer(owners, np.int32), np.frombuffer(counts, np.int32))
        # Grouped by term, each term's guides in order; a guide holding a term both in its text
        # and in its carrier's or region's name gets one posting with both weights, so that a
        # term's postings name each guide once (as _concept_scores counts on).
        grouped = np.lexsort((docs, term_numbers))
        term_numbers, docs = term_numbers[grouped], docs[grouped]
        weights = np.frombuffer(weights, dtype=np.float32)[grouped]
        first = np.ones(len(docs), bool)
        first[1:] = (term_numbers[1:] != term_numbers[:-1]) | (docs[1:] != docs[:-1])
        starts_of_postings = np.flatnonzero(first)
        index.vocabulary = vocabulary
        index.docs = docs[first]
        counts = np.add.reduceat(weights, starts_of_postings) if len(docs) else weights
        index.starts = np.searchsorted(term_numbers[first], np.arange(len(vocabulary) + 1))
        del term_numbers, numbers, weights, docs
        # In place and in 32 bits: a posting-sized float64 temporary would leave the process
        # about 20 MB larger at 10,000 guides (freed memory is not always given back).
        lengths = (1 - B + B * lengths / (lengths.mean() or 1.0)).astype(np.float32)
        denominators = np.take(lengths, index.docs)
        denominators *= K1
        denominators += counts
        counts *= K1 + 1
        counts /= denominators
        index.impacts = counts
        del denominators
        index.guides = np.diff(index.starts).astype(np.int32)
        # Each term's idf, known now that the index is whole, multiplied in once: a search then
        # adds the impacts as they are (the same 32-bit products it made itself before).
        size = index.size
        idf = [
            math.log(1 + (size - found + 0.5) / (found + 0.5)) for found in index.guides.tolist()
        ]
        index.impacts *= np.repeat(np.array(idf, np.float32), index.guides)
        if dense:
            index._keep_common_terms_dense()
        ranked = sorted(
            range(len(rows)),
            key=lambda at: (not rows[at][3], -(rows[at][4].toordinal() if rows[at][4] else 0), at),
        )
        index.order = np.empty(len(rows), np.int32)
        index.order[ranked] = np.arange(len(rows), dtype=np.int32)
        index.words = frozenset(words)
        return index

    def _keep_common_terms_dense(self) -> None:
        """Move the postings of terms held by more than half of the guides to rows of `dense`
        (see there): at 10,000 synthetic guides, 216 terms held 90 % of the postings."""
        held = self.guides
        common = held * 2 > self.size
        numbers = np.flatnonzero(common)
        if not len(numbers):
            return
        self.dense = np.zeros((len(numbers), self.size), np.float32)
        for row, number in enumerate(numbers):
            low, high = self.starts[number], self.starts[number + 1]
            self.dense[row, self.docs[low:high]] = self.impacts[low:high]
        self.dense_rows = dict(zip(numbers.tolist(), range(len(numbers)), strict=True))
        sparse = np.repeat(~common, held)
        self.docs, self.impacts = self.docs[sparse], self.impacts[sparse]
        self.starts = np.concatenate([[0], np.cumsum(np.where(common, 0, held))])

    # --- typo tolerance -----------------------------------------------------------------------

    def corrections(self, word: str) -> list[str] | None:
        """Indexed words one edit (insertion, deletion, substitution, or swap of neighbours)
        from `word`; None when `word` itself is indexed."""
        if word in self.words:
            return None
        if self._deletions is None:
            deletions: dict[str, list[str]] = {}
            for known in self.words:
                for variant in _deletes(known) | {known}:
                    deletions.setdefault(variant, []).append(known)
            self._deletions = deletions
        found = set()
        for variant in _deletes(word) | {word}:
            found.update(self._deletions.get(variant, ()))
        return sorted(found, key=lambda known: (abs(len(known) - len(word)), known))[:3]

    def suggestion(self, word: str) -> str | None:
        """The indexed word closest to `word` (up to two edits), for "did you mean"."""
        self.corrections(word)  # builds the table of deletions
        candidates = set()
        for variant in _deletes(word) | {word}:
            for deeper in _deletes(variant) | {variant}:
                candidates.update(self._deletions.get(deeper, ()))
        return min(candidates, key=lambda known: (abs(len(known) - len(word)), known), default=None)

    def completions(self, text: str, limit: int = COMPLETIONS) -> list[str]:
        """Indexed terms that start with `text` (a Latin word as typed, or its stem); for one
        Chinese character, the character pairs that start or end with it. Shortest first."""
        if self._sorted is None:
            terms = sorted(self.postings)
            self._sorted = (terms, sorted(term[::-1] for term in terms))
        terms, backwards = self._sorted
        found = set(_prefixed(terms, text))
        if text.isalpha() and text.isascii():
            found.update(_prefixed(terms, stem(text)))
        elif len(text) == 1:
            found.update(term[::-1] for term in _prefixed(backwards, text))
        found.discard(text)
        return sorted(found, key=lambda term: (len(term), term))[:limit]

    # --- searching ----------------------------------------------------------------------------

    def _scored(self, term: str) -> tuple[np.ndarray | None, np.ndarray] | None:
        """The term's BM25 in the guides holding it: (their positions, each once and in
        order, and the scores), or (None, a score for every position, 0 where it is not
        held) for a term kept dense; None if no guide has it. Views of the index: not to be
        changed."""
        number = self.vocabulary.get(term)
        if number is None:
            return None
        row = self.dense_rows.get(number)
        if row is not None:
            return None, self.dense[row]
        low, high = self.starts[number], self.starts[number + 1]
        return self.docs[low:high], self.impacts[low:high]

    def _concept_scores(self, concept: Concept) -> np.ndarray:
        """Per position, the best score of the concept's alternatives (0: not found).

        An alternative's score sums its terms' BM25, in the title too (a simple BM25F: the
        title's own BM25 is added) and of its bonus terms (a whole Chinese word beyond its
        character pairs, so a phrase ranks above its parts): in one weighted count over the
        postings of them all, dense rows added whole. It counts for the guides holding every
        required term."""
        best = np.zeros(self.size)
        for alternative in concept.alternatives:
            required = [self._scored(term) for term in alternative.required]
            if not required or None in required:
                continue
            holders = np.ones(self.size, bool)
            for docs, scores in required:
                if docs is None:
                    holders &= scores > 0
                else:
                    held = np.zeros(self.size, bool)
                    held[docs] = True
                    holders &= held
            if not holders.any():
                continue
            extras = [self._scored(TITLE + term) for term in alternative.required]
            extras += [self._scored(term) for term in alternative.bonus]
            scored = required + [found for found in extras if found is not None]
            sparse = [(docs, scores) for docs, scores in scored if docs is not None]
            total = (
                np.bincount(
                    np.concatenate([docs for docs, _ in sparse]),
                    np.concatenate([scores for _, scores in sparse]),
                    minlength=self.size,
                )
                if sparse
                else np.zeros(self.size)
            )
            for docs, scores in scored:
                if docs is None:
                    total += scores
            total *= alternative.weight
            np.maximum(best, total, out=best, where=holders)  # elsewhere best stays
        return best

    def search(self, query: str) -> Results:
        """The guides matching `query`: those holding every concept of it; when none does, those
        holding all but one (a question with one word no guide uses still finds something).
        Concepts no guide holds at all (a word never used) are left out; a lone Chinese
        character only adds to the score."""
        concepts = parse(query, lexicon=self)
        per_concept = [self._concept_scores(concept) for concept in concepts]
        kept = [(c, s) for c, s in zip(concepts, per_concept, strict=True) if s.any()]
        needed = [s for c, s in kept if not c.optional] or [s for _c, s in kept]
        scores = np.zeros(self.size)
        if needed:
            present = np.sum([vector > 0 for vector in needed], axis=0)
            total = np.sum(needed, axis=0)
            scores = np.where(present == len(needed), total, 0.0)
            if not scores.any() and len(needed) > 1:
                scores = np.where(present >= len(needed) - 1, total, 0.0)
            for concept, extra in kept:
                if concept.optional and len(needed) < len(kept):
                    scores = np.where(scores > 0, scores + extra, 0.0)
        return Results(bits=_bits(scores > 0), scores=scores, concepts=concepts)

    def ranked(self, results: Results, bits: int, start: int, count: int) -> list[int]:
        """Positions `start` to `start + count` of the guides in `bits`, best first."""
        chosen = np.flatnonzero(_mask(bits, self.size))
        if not len(chosen):
            return []
        scores = np.round(results.scores[chosen], 6)
        wanted = start + count
        if wanted < len(chosen):
            # Only the best `wanted` can be on the page: those scoring above the wanted-th
            # best, then of those tied with it, the first in tie-break order. Picking them
            # with partitions (linear) and sorting those alone gives the same page as sorting
            # all, for a fraction of the cost (many guides can tie).
            lowest = kth_largest(scores, wanted)
            above = np.flatnonzero(scores > lowest)
            tied = np.flatnonzero(scores == lowest)
            room = wanted - len(above)
            if room < len(tied):
                tied = tied[np.argpartition(self.order[chosen[tied]], room - 1)[:room]]
            keep = np.concatenate([above, tied])
            chosen, scores = chosen[keep], scores[keep]
        best_first = np.lexsort((self.order[chosen], -scores))
        return [int(at) for at in chosen[best_first[start : start + count]]]


def kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest of `values` (1 ≤ k ≤ len(values)), as np.partition gives it. For many
    values, only those at least the k-th largest of the maxima of 4·k blocks are partitioned:
    k blocks each hold a value at least that large, so the k-th largest value is too, and at
    10,000 guides this costs a sixth of partitioning them all."""
    count = len(values)
    if count >= 16 * k:  # then there are more than 3k blocks of ceil(count / 4k) values
        maxima = np.maximum.reduceat(values, np.arange(0, count, -(-count // (4 * k))))
        values = values[values >= np.partition(maxima, len(maxima) - k)[len(maxima) - k]]
        count = len(values)
    return values[np.argpartition(values, count - k)[count - k]]


def _bits(mask: np.ndarray) -> int:
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")


def _mask(bits: int, size: int) -> np.ndarray:
    raw = np.frombuffer(bits.to_bytes((size + 7) // 8 or 1, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].astype(bool)


def _prefixed(terms: list[str], prefix: str) -> list[str]:
    start = bisect.bisect_left(terms, prefix)
    end = bisect.bisect_left(terms, prefix + "\U0010ffff")
    return terms[start : min(end, start + 4 * COMPLETIONS)]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _names() -> tuple[dict[tuple[str, int], dict[str, float]], set[str]]:
    """Weighted terms of each carrier's and region's names in every language and its aliases
    (data/synonyms.yaml), keyed ("carrier" | "region", id); and their Latin words."""
    aliases = vocabulary()["aliases"]
    found, words = {}, set()
    for kind, model in (("carrier", Carrier), ("region", Region)):
        for row in model.objects.values("pk", "slug", "name_zh_hans", "name_zh_hant", "name_en"):
            texts = [row["name_zh_hans"], row["name_zh_hant"], row["name_en"]]
            texts += [str(alias) for alias in aliases[f"{kind}s"].get(row["slug"], ())]
            terms = {term for text in texts if text for term in analyse(text)}
            found[(kind, row["pk"])] = dict.fromkeys(terms, NAME_WEIGHT)
            for text in texts:
                words |= surface_words(text or "")
    return found, words
