"""A reader's query as concepts: each is one thing they asked for ("T-Mobile", "real name",
"注销") with the alternative ways a guide may say it — synonyms from data/synonyms.yaml and, for
a mistyped word, the indexed words one edit away.

A guide matches a concept when it has every required term of one of its alternatives; the
index (index.py) scores it with BM25 and ranks the guides that match every concept.
"""

import re
from dataclasses import dataclass, field
from functools import cache

from procedures.search.analysis import (
    CHINESE_STOP_WORDS,
    HAN_RUN,
    LATIN_WORD,
    STOP_WORDS,
    bigrams,
    chinese_words,
    latin_terms,
    normalise,
    vocabulary,
)

SYNONYM_WEIGHT = 0.8  # a guide using the reader's own word ranks above one using a synonym
TYPO_WEIGHT = 0.7
TYPO_MIN_LENGTH = 5  # issue 14: one edit forgiven in words of five letters or more
PREFIX_WEIGHT = 0.6  # "pass" finds "passport", below guides with the word itself
PREFIX_MIN_LENGTH = 3


@dataclass(frozen=True)
class Alternative:
    """One way of saying a concept: all `required` terms must be in a guide; `bonus` terms
    (a whole Chinese word, beyond its character pairs) add to the score when present."""

    required: tuple[str, ...]
    bonus: tuple[str, ...] = ()
    weight: float = 1.0


@dataclass
class Concept:
    text: str  # as the reader typed it (normalised)
    alternatives: list[Alternative] = field(default_factory=list)
    unknown_word: str | None = None  # a Latin word no guide has, for "did you mean"
    optional: bool = False  # adds to the score, not needed to match (a lone Chinese character)

    def terms(self) -> set[str]:
        return {term for alt in self.alternatives for term in alt.required + alt.bonus}


def phrase_alternative(phrase: str, weight: float = 1.0) -> Alternative | None:
    """The terms a guide must hold to contain `phrase` (normalised text)."""
    required, bonus = [], []
    for token in re.findall(r"[0-9a-z]+(?:[-'’][0-9a-z]+)*|[\u3400-\u9fff\uf900-\ufaff]+", phrase):
        if HAN_RUN.fullmatch(token):
            required += bigrams(token)
            bonus += [word for word in chinese_words(token) if len(word) > 2]
        else:
            required += latin_terms(token)
    if not required:
        return None
    return Alternative(tuple(dict.fromkeys(required)), tuple(dict.fromkeys(bonus)), weight)


@cache
def synonym_groups() -> list[list[str]]:
    """Normalised synonym groups, each a list of phrases."""
    return [[normalise(str(term)) for term in group] for group in vocabulary()["synonyms"]]


@cache
def _synonym_patterns() -> list[tuple[str, re.Pattern, int]]:
    """(phrase, its pattern, its group), longest phrase first so "data sim" wins over "data"."""
    found = []
    for number, group in enumerate(synonym_groups()):
        for phrase in group:
            if HAN_RUN.search(phrase):
                pattern = re.escape(phrase)
            else:
                pattern = r"(?<![0-9a-z])" + re.escape(phrase) + r"(?![0-9a-z])"
            found.append((phrase, re.compile(pattern), number))
    found.sort(key=lambda item: -len(item[0]))
    return found


def _group_concept(text: str, number: int) -> Concept:
    return Concept(text=text, alternatives=list(_group_alternatives(text, number)))


@cache
def _group_alternatives(text: str, number: int) -> tuple[Alternative, ...]:
    """The ways of saying synonym group `number`, found in a query as `text` (one of the
    group's phrases, so what is kept is bounded by the synonym list): the phrase typed first,
    then the others, without repeats. Remembered, as each is segmented by jieba and every
    query naming the concept needs them all."""
    alternatives = []
    for phrase in synonym_groups()[number]:
        alternative = phrase_alternative(phrase, 1.0 if phrase == text else SYNONYM_WEIGHT)
        if alternative:
            alternatives.append(alternative)
    alternatives.sort(key=lambda alt: -alt.weight)
    unique = {}
    for alternative in alternatives:
        unique.setdefault((alternative.required, alternative.bonus), alternative)
    return tuple(unique.values())


def _chinese_concepts(run: str, lexicon) -> list[Concept]:
    """Concepts of a Chinese run: the segmenter's words, question words dropped, neighbouring
    single characters kept together (their pairs must all be found)."""
    concepts, pending = [], ""
    for word in chinese_words(run) + [""]:
        if len(word) == 1 and word not in CHINESE_STOP_WORDS:
            pending += word
            continue
        if pending:
            concept = Concept(pending, [phrase_alternative(pending)])
            if len(pending) == 1:  # a lone character: the pairs it is part of, and optional
                concept.optional = True
                concept.alternatives += [
                    Alternative((term,), (), PREFIX_WEIGHT) for term in lexicon.completions(pending)
                ]
            concepts.append(concept)
            pending = ""
        if word and word not in CHINESE_STOP_WORDS:
            concepts.append(Concept(word, [phrase_alternative(word)]))
    return concepts


def parse(query: str, *, lexicon) -> list[Concept]:
    """Concepts of a reader's query (any language, either script).

    `lexicon` is the index's vocabulary: `lexicon.corrections(word) -> list[str] | None` gives
    the indexed words one edit from a Latin word it does not know (None when it knows it),
    `lexicon.completions(text) -> list[str]` the terms that start with `text` (or, for one
    Chinese character, hold it)."""
    text = normalise(query)
    concepts: list[tuple[int, Concept]] = []
    for phrase, pattern, number in _synonym_patterns():
        if phrase not in text:  # most phrases: a substring test costs a tenth of the pattern
            continue
        for match in pattern.finditer(text):
            concepts.append((match.start(), _group_concept(match.group(), number)))
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    for match in re.finditer(r"[0-9a-z]+(?:[-'’][0-9a-z]+)*|[\u3400-\u9fff\uf900-\ufaff]+", text):
        token = match.group()
        if HAN_RUN.fullmatch(token):
            concepts += [(match.start(), concept) for concept in _chinese_concepts(token, lexicon)]
            continue
        if token in STOP_WORDS:
            continue
        alternative = phrase_alternative(token)
        if alternative is None:
            continue
        concept = Concept(token, [alternative])
        if LATIN_WORD.fullmatch(token) and len(token) >= TYPO_MIN_LENGTH and token.isalpha():
            corrections = lexicon.corrections(token)
            if corrections is not None:
                concept.unknown_word = token
            for word in corrections or ():
                typo = phrase_alternative(word, TYPO_WEIGHT)
                if typo and typo not in concept.alternatives:
                    concept.alternatives.append(typo)
        if len(token) >= PREFIX_MIN_LENGTH and token.isalnum():
            for term in lexicon.completions(token):
                completion = Alternative((term,), (), PREFIX_WEIGHT)
                if all(alt.required != completion.required for alt in concept.alternatives):
                    concept.alternatives.append(completion)
        concepts.append((match.start(), concept))
    concepts.sort(key=lambda item: item[0])
    return [concept for _start, concept in concepts if concept.alternatives]
