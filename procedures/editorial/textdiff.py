"""Word-level differences between two versions of a text, for the history's compare page.

Chinese has no spaces between words, so it is compared character by character; other scripts
word by word (spaces kept as they were). `difflib.SequenceMatcher` costs up to len(a) × len(b)
comparisons, and far more on repetitive text, so texts are compared in steps that each stay under
`MAX_WORK`: the common start and end are set aside first, then long texts are compared sentence
by sentence and only changed sentences word by word; what is still too large is shown as removed
and added whole. The result always reads back as exactly the old and the new text.
"""

import difflib
import re

from django.utils.html import escape

# Chinese, Japanese and Korean characters and their punctuation: one token each.
_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+|\s+")
# A sentence ends after 。！？!? or a full stop and space, or at a line break.
_SENTENCE = re.compile(r"[^\n。！？!?.]*(?:[\n。！？!?]|\.(?=\s)|\.$|$)")
MAX_WORK = 250_000  # len(a) × len(b) for one SequenceMatcher: about 0.1 s at worst


def tokens(text: str) -> list[str]:
    """The text as tokens whose concatenation is the text: each CJK character, each run of
    other non-space characters (a word), each run of spaces."""
    return _TOKEN.findall(text)


def sentences(text: str) -> list[str]:
    """The text as sentences whose concatenation is the text."""
    return [part for part in _SENTENCE.findall(text) if part]


def diff_html(old: str, new: str) -> str:
    """HTML of `new` compared with `old`: unchanged text escaped as it is, removed text in <del>,
    added text in <ins>. Every part is escaped."""
    return "".join(_diff(tokens(old), tokens(new), level="tokens"))


def _diff(a: list[str], b: list[str], *, level: str) -> list[str]:
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    head = [escape("".join(a[:start]))] if start else []
    tail = [escape("".join(a[len(a) - end :]))] if end else []
    a_mid, b_mid = a[start : len(a) - end], b[start : len(b) - end]
    if not a_mid or not b_mid or len(a_mid) * len(b_mid) <= MAX_WORK:
        return head + _matched(a_mid, b_mid) + tail
    if level == "tokens":
        # Too long to compare word by word: compare its sentences, then the changed ones.
        a_sentences, b_sentences = sentences("".join(a_mid)), sentences("".join(b_mid))
        if len(a_sentences) * len(b_sentences) <= MAX_WORK and (
            len(a_sentences) > 1 or len(b_sentences) > 1
        ):
            return head + _by_sentence(a_sentences, b_sentences) + tail
    return head + _replaced("".join(a_mid), "".join(b_mid)) + tail


def _by_sentence(a: list[str], b: list[str]) -> list[str]:
    parts = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
        elif tag == "replace":
            parts += _diff(tokens("".join(a[i1:i2])), tokens("".join(b[j1:j2])), level="words")
        else:
            parts += _replaced("".join(a[i1:i2]), "".join(b[j1:j2]))
    return parts


def _matched(a: list[str], b: list[str]) -> list[str]:
    parts = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(escape("".join(a[i1:i2])))
        else:
            parts += _replaced("".join(a[i1:i2]), "".join(b[j1:j2]))
    return parts


def _replaced(old: str, new: str) -> list[str]:
    parts = []
    if old:
        parts.append(f"<del>{escape(old)}</del>")
    if new:
        parts.append(f"<ins>{escape(new)}</ins>")
    return parts
