"""Simplified ↔ Traditional Chinese with OpenCC, in Hong Kong / Macau or Taiwan usage, with the
project's phrase list (data/conversion_phrases.yaml) for names and terms OpenCC would convert
character by character."""

from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache, lru_cache
from pathlib import Path

import opencc
import yaml

PHRASES_FILE = Path(__file__).parent / "data" / "conversion_phrases.yaml"
# Private-use characters that OpenCC leaves as they are: a phrase is swapped for a marker before
# converting and for its proper form after.
_OPEN, _CLOSE = "\ue000", "\ue001"

VARIANTS = {"hk", "tw"}  # Traditional usage: Hong Kong / Macau, or Taiwan


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@cache
def _phrase_file() -> dict:
    return yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))


@cache
def _phrases() -> list[dict[str, str]]:
    return _phrase_file()["phrases"]


@cache
def _pairs(variant: str, *, to: str) -> list[tuple[str, str]]:
    """(source, target) of every phrase, and of every word a phrase must not fire inside (its
    own OpenCC conversion), longest source first: "中国移动香港" wins over "中国移动", and
    "数据流量" over "流量"."""
    config = {"hk": "s2hk", "tw": "s2tw"}[variant]
    pairs = [(entry["zh-hans"], entry[variant]) for entry in _phrases()]
    pairs += [(word, _converter(config).convert(word)) for word in _phrase_file().get("words", [])]
    if to == "zh-hans":
        pairs = [(target, source) for source, target in pairs]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _convert(text: str, *, config: str, pairs: list[tuple[str, str]]) -> str:
    if not text:
        return text
    replacements = []
    for source, target in pairs:
        if source in text:
            text = text.replace(source, f"{_OPEN}{len(replacements)}{_CLOSE}")
            replacements.append(target)
    converted = _converter(config).convert(text)
    for number, target in enumerate(replacements):
        converted = converted.replace(f"{_OPEN}{number}{_CLOSE}", target)
    return converted


@lru_cache(maxsize=4096)
def to_traditional(text: str, *, variant: str = "hk") -> str:
    """Simplified → Traditional (Hong Kong / Macau usage, or Taiwan's with variant="tw").
    Remembered: readers' pages convert the same names and notes again and again."""
    pairs = _pairs(variant, to="zh-hant")
    return _convert(text, config="s2hk" if variant == "hk" else "s2tw", pairs=pairs)


def to_simplified(text: str, *, variant: str = "hk") -> str:
    """Traditional (of the given usage) → Simplified."""
    pairs = _pairs(variant, to="zh-hans")
    return _convert(text, config="hk2s" if variant == "hk" else "tw2s", pairs=pairs)


# --- How close the conversion comes to what people write ---------------------------------------


@dataclass
class Agreement:
    """Machine conversions compared with human Traditional texts, character by character."""

    characters: int = 0  # characters of the human texts
    agreeing: int = 0  # of those, found in the conversion in the same order
    texts: int = 0
    differences: Counter = field(default_factory=Counter)  # (converted, human) → times

    @property
    def ratio(self) -> float:
        """Agreeing characters ÷ characters of the human texts (1.0 when there are none)."""
        return self.agreeing / self.characters if self.characters else 1.0


def agreement(pairs, *, variant: str = "hk") -> Agreement:
    """Convert each Simplified text of `pairs` ((zh-hans, human zh-hant) tuples) and compare it
    with the human translation: how many of its characters agree, and which differences come
    back most. Human translators also rephrase, so 100 % is not the aim; a rule that goes
    wrong shows up as the same difference many times."""
    result = Agreement()
    for simplified, human in pairs:
        converted = to_traditional(simplified, variant=variant)
        matcher = SequenceMatcher(None, converted, human, autojunk=False)
        result.texts += 1
        result.characters += len(human)
        result.agreeing += sum(block.size for block in matcher.get_matching_blocks())
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                result.differences[(converted[i1:i2], human[j1:j2])] += 1
    return result
