"""Simplified ↔ Traditional Chinese with OpenCC, in Hong Kong / Macau or Taiwan usage, with the
project's phrase list (data/conversion_phrases.yaml) for names and terms OpenCC would convert
character by character."""

from functools import cache
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
def _phrases() -> list[dict[str, str]]:
    entries = yaml.safe_load(PHRASES_FILE.read_text(encoding="utf-8"))["phrases"]
    # Longest first, so "中国移动香港" wins over "中国移动".
    return sorted(entries, key=lambda entry: -len(entry["zh-hans"]))


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


def to_traditional(text: str, *, variant: str = "hk") -> str:
    """Simplified → Traditional (Hong Kong / Macau usage, or Taiwan's with variant="tw")."""
    pairs = [(entry["zh-hans"], entry[variant]) for entry in _phrases()]
    return _convert(text, config="s2hk" if variant == "hk" else "s2tw", pairs=pairs)


def to_simplified(text: str, *, variant: str = "hk") -> str:
    """Traditional (of the given usage) → Simplified."""
    pairs = sorted(
        ((entry[variant], entry["zh-hans"]) for entry in _phrases()), key=lambda pair: -len(pair[0])
    )
    return _convert(text, config="hk2s" if variant == "hk" else "tw2s", pairs=pairs)
