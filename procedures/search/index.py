"""The search index of one process: every live guide's terms, scored with BM25.

Built next to the list index (procedures/listing.py) and with the same positions (one per live
guide, in display order), so a search's matches are a bitset that combines with the filters
and their counts. Postings are compact arrays (guide positions as 32-bit integers, weighted
counts as 32-bit floats); carrier and region names with their aliases are added from their
tables at build time.

Ranking: BM25 (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
2009) over weighted term counts, a simple form of BM25F, with k1 = 1.2 and b = 0.75; ties go
to featured guides, then the most recently verified.
"""

import bisect
import math
from array import array
from dataclasses import dataclass, field
from itertools import combinations

from ..models import Carrier, Region
from . import documents
from .analysis import TITLE, analyse, stem, surface_words, vocabulary
from .models import SearchDocument
from .query import Concept, parse

K1, B = 1.2, 0.75
NAME_WEIGHT = 4.0  # carrier and region names: between a title word and a summary word
COMPLETIONS = 20  # terms a word typed in part may stand for


@dataclass
class Results:
    """What a query found: `bits` (positions of the matching guides, as the list index's
    bitsets), a score per position, and the concepts it was read as (for snippets and "did
    you mean")."""

    bits: int
    scores: dict[int, float]
    concepts: list[Concept]

    @property
    def terms(self) -> set[str]:
        return {term for concept in self.concepts for term in concept.terms()}

    def unknown_words(self) -> list[str]:
        return [concept.unknown_word for concept in self.concepts if concept.unknown_word]


@dataclass
class SearchIndex:
    size: int
    postings: dict[str, tuple[array, array]] = field(default_factory=dict)
    norms: array = field(default_factory=lambda: array("f"))  # 1 - b + b * length / average
    order: array = field(default_factory=lambda: array("I"))  # tie-break rank per position
    words: frozenset = frozenset()  # Latin words as written, 5+ letters
    _deletions: dict | None = None
    _sorted: tuple[list[str], list[str]] | None = None  # terms, and reversed terms, sorted

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, rows: list[tuple]) -> "SearchIndex":
        """An index of `rows`: (publication id, carrier id, region id, is_featured,
        last_verified_on) per live guide, in the list index's order (position = row number).
        Analyses guides that have no stored search document yet."""
        ids = [row[0] for row in rows]
        index = cls(size=len(ids))
        if not ids:
            return index
        documents.ensure_documents(ids)
        position = {pk: number for number, pk in enumerate(ids)}
        names, name_words = _names()
        lists: dict[str, tuple[list, list]] = {}
        lengths = [0.0] * len(ids)
        words: set[str] = set()
        stored = SearchDocument.objects.filter(analyser=documents.ANALYSER_VERSION)
        if len(ids) <= documents.CHUNK:
            stored = stored.filter(publication_id__in=ids)
        for pk, terms, length, latin in stored.values_list(
            "publication_id", "terms", "length", "words"
        ).iterator(chunk_size=500):
            at = position.get(pk)
            if at is None:
                continue
            lengths[at] = length
            for term, weight in terms.items():
                entry = lists.setdefault(term, ([], []))
                entry[0].append(at)
                entry[1].append(weight)
            words.update(latin.split())
        for at, (_pk, carrier_id, region_id, _featured, _verified) in enumerate(rows):
            extra = names.get(("carrier", carrier_id), {}) if carrier_id else {}
            for term, weight in (extra | names.get(("region", region_id), {})).items():
                entry = lists.setdefault(term, ([], []))
                entry[0].append(at)
                entry[1].append(weight)
                lengths[at] += weight
        average = (sum(lengths) / len(lengths)) or 1.0
        index.norms = array("f", (1 - B + B * length / average for length in lengths))
        for term, (positions, weights) in lists.items():
            merged: dict[int, float] = {}
            for at, weight in zip(positions, weights, strict=True):
                merged[at] = merged.get(at, 0.0) + weight
            index.postings[term] = (array("I", merged), array("f", merged.values()))
        ranked = sorted(
            range(len(rows)),
            key=lambda at: (not rows[at][3], -(rows[at][4].toordinal() if rows[at][4] else 0), at),
        )
        index.order = array("I", [0] * len(rows))
        for rank, at in enumerate(ranked):
            index.order[at] = rank
        index.words = frozenset(words | name_words)
        return index

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

    def _bm25(self, term: str) -> dict[int, float]:
        entry = self.postings.get(term)
        if entry is None:
            return {}
        positions, weights = entry
        idf = math.log(1 + (self.size - len(positions) + 0.5) / (len(positions) + 0.5))
        norms = self.norms
        return {
            at: idf * weight * (K1 + 1) / (weight + K1 * norms[at])
            for at, weight in zip(positions, weights, strict=True)
        }

    def _concept_scores(self, concept: Concept) -> dict[int, float]:
        best: dict[int, float] = {}
        for alternative in concept.alternatives:
            scored = [self._bm25(term) for term in alternative.required]
            if not scored or not all(scored):
                continue
            # In the title too: the title's own BM25 is added (a simple BM25F, title field).
            for number, term in enumerate(alternative.required):
                in_title = self._bm25(TITLE + term)
                if in_title:
                    scored[number] = {
                        at: score + in_title.get(at, 0.0) for at, score in scored[number].items()
                    }
            scored.sort(key=len)
            matched = scored[0]
            for other in scored[1:]:
                matched = {at: score + other[at] for at, score in matched.items() if at in other}
            for term in alternative.bonus:
                bonus = self._bm25(term)
                matched = {at: score + bonus.get(at, 0.0) for at, score in matched.items()}
            for at, score in matched.items():
                score *= alternative.weight
                if score > best.get(at, 0.0):
                    best[at] = score
        return best

    def search(self, query: str) -> Results:
        """The guides matching `query`: those holding every concept of it; when none does, those
        holding all but one (a question with one word no guide uses still finds something).
        Concepts no guide holds at all (a word never used) are left out."""
        concepts = parse(query, lexicon=self)
        per_concept = [self._concept_scores(concept) for concept in concepts]
        kept = [(c, s) for c, s in zip(concepts, per_concept, strict=True) if s]
        needed = [s for c, s in kept if not c.optional] or [s for _c, s in kept]
        scores: dict[int, float] = {}
        if needed:
            scores = _combine(needed, len(needed))
            if not scores and len(needed) > 1:
                scores = _combine(needed, len(needed) - 1)
        for concept, extra in kept:
            if concept.optional and extra is not needed[0]:
                for at in scores.keys() & extra.keys():
                    scores[at] += extra[at]
        return Results(bits=_bits(scores, self.size), scores=scores, concepts=concepts)

    def ranked(self, results: Results, bits: int, start: int, count: int) -> list[int]:
        """Positions `start` to `start + count` of the guides in `bits`, best first."""
        scores, order = results.scores, self.order
        chosen = list(_positions(bits))
        chosen.sort(key=lambda at: (-round(scores.get(at, 0.0), 6), order[at]))
        return chosen[start : start + count]


def _combine(per_concept: list[dict[int, float]], needed: int) -> dict[int, float]:
    """Summed scores of the positions found in at least `needed` of the concepts' scores."""
    if needed == len(per_concept):
        ordered = sorted(per_concept, key=len)
        result = dict(ordered[0])
        for other in ordered[1:]:
            result = {at: score + other[at] for at, score in result.items() if at in other}
        return result
    result: dict[int, float] = {}
    for subset in combinations(range(len(per_concept)), needed):
        part = _combine([per_concept[i] for i in subset], needed)
        for at, score in part.items():
            result[at] = max(result.get(at, 0.0), score)
    return result


def _bits(scores: dict[int, float], size: int) -> int:
    flags = bytearray((size + 7) // 8)
    for at in scores:
        flags[at >> 3] |= 1 << (at & 7)
    return int.from_bytes(flags, "little")


def _positions(bits: int):
    while bits:
        lowest = bits & -bits
        yield lowest.bit_length() - 1
        bits ^= lowest


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
