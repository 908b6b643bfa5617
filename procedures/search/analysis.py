"""Text analysis for search: the same steps for a guide's text and for a reader's query, so both
end up as the same terms.

1. Normalise: NFKC (full-width letters and digits become ASCII), lower case, and Traditional
   Chinese to Simplified with OpenCC (`t2s`), so one index serves both scripts: 註銷 and 注销
   are one term.
2. Latin words: English stop words dropped, Snowball (Porter 2) stems, so register /
   registration / registered are one term; hyphenated words also count joined ("t-mobile" also
   gives "tmobile", "wi-fi" gives "wifi").
3. Chinese runs: every pair of neighbouring characters (so any 2-character query such as 实名
   works), plus the longer words a jieba segmenter finds with our vocabulary as its only
   dictionary (data/synonyms.yaml: the glossary's terms), so a whole phrase scores above the
   same characters found apart.

Query-side extras (synonyms, typo tolerance) live in query.py; this module only turns text
into terms.
"""

import logging
import re
import sys
import tempfile
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import opencc
import snowballstemmer
import yaml


def _import_jieba():
    """jieba, without the pkg_resources it imports only to open its own data files: that took
    5 MB of every web process (14 MB alone), is deprecated (fxsjy/jieba#1026, #1043), and
    jieba 0.42.1 opens the files directly when the import fails (jieba/_compat.py). Hidden
    while jieba loads, unless something else loaded it already."""
    if "pkg_resources" in sys.modules:
        import jieba
    else:
        sys.modules["pkg_resources"] = None  # makes `import pkg_resources` raise ImportError
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()

DATA = Path(__file__).parent / "data" / "synonyms.yaml"
TITLE = "^"  # prefix of a term found in a guide's title (a field of its own in the index)

LATIN_WORD = re.compile(r"[0-9a-z]+(?:[-'’][0-9a-z]+)*")
HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
TOKEN = re.compile(r"[0-9a-z]+(?:[-'’][0-9a-z]+)*|[\u3400-\u9fff\uf900-\ufaff]+")

# Snowball's English list, trimmed: "can", "not", "no" and "off" carry meaning here ("cannot
# activate", "no ID"), and "id" is not a stop word.
STOP_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads and edits best as text
        "a about above after again against all am an and any are as at be because been "
        "before being below between both but by could did do does doing down during each "
        "few for from further had has have having he her here hers herself him himself "
        "his how i if in into is it its itself just me more most my myself of on once "
        "only or other ought our ours ourselves out over own same she should so some such "
        "than that the their theirs them themselves then there these they this those "
        "through to too under until up very was we were what when where which while who "
        "whom why will with would you your yours yourself yourselves s t need needs want "
        "get "
    ).split()
)
# Question words and particles a reader types around what they look for.
CHINESE_STOP_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads and edits best as text
        "怎么 怎样 如何 怎么样 什么 为什么 哪里 哪个 请问 我的 我们 你的 可以 能否 "
        "是否 需要 要不要 一下 一个 的 了 吗 呢 吧 啊 我 你 在 和 与 及 或 要 是 有 "
        "去 办 怎 么 个 请 "
    ).split()
)
# Snowball leaves some forms of one word apart; these join them (stem → stem).
STEM_JOINS = {"registr": "regist"}


@cache
def vocabulary() -> dict:
    """The search vocabulary file (synonyms, aliases, dictionary words), read once."""
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@cache
def _stemmer():
    return snowballstemmer.stemmer("english")


@cache
def _dictionary_words() -> list[str]:
    """The segmenter's Chinese words (Simplified), longest first."""
    words = set(vocabulary()["dictionary"])
    for group in vocabulary()["synonyms"]:
        words.update(normalise(str(term)) for term in group)
    for names in vocabulary()["aliases"].values():
        for aliases in names.values():
            words.update(normalise(str(alias)) for alias in aliases)
    return sorted(
        (word for word in words if HAN_RUN.fullmatch(word) and len(word) > 1),
        key=lambda word: (-len(word), word),
    )


@cache
def _long_word() -> re.Pattern:
    """Any dictionary word of 3+ characters: a run without one needs no segmenting to index."""
    return re.compile("|".join(re.escape(word) for word in _dictionary_words() if len(word) > 2))


@cache
def segmenter() -> jieba.Tokenizer:
    """jieba with only our vocabulary as its dictionary: the general dictionary costs ~60 MB a
    process and splits carrier names and glossary terms its own way."""
    logging.getLogger("jieba").setLevel(logging.WARNING)
    chinese = sorted(_dictionary_words())
    # jieba reads a "word frequency" file; a high frequency makes it prefer our words.
    path = Path(tempfile.gettempdir()) / f"kb-search-dict-{abs(hash(tuple(chinese)))}.txt"
    if not path.exists():
        path.write_text("".join(f"{word} 100000\n" for word in chinese), encoding="utf-8")
    tokenizer = jieba.Tokenizer(dictionary=str(path))
    tokenizer.tmp_dir = tempfile.gettempdir()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Text in one form for matching: NFKC, lower case, Simplified Chinese script."""
    text = unicodedata.normalize("NFKC", text).lower()
    # ASCII text has no Chinese, and isascii() is a flag: the regex engine's search of an
    # English passage for a Chinese character costs more than the rest of its normalising.
    if not text.isascii() and HAN_RUN.search(text):
        text = _t2s().convert(text)
    return text


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    """A Latin word's stem ("registration" → "regist")."""
    stemmed = _stemmer().stemWord(word)
    return STEM_JOINS.get(stemmed, stemmed)


@lru_cache(maxsize=2048)
def latin_terms(word: str) -> tuple[str, ...]:
    """Terms of one Latin word as LATIN_WORD finds it: its parts' stems (stop words dropped) and,
    when hyphenated, the joined form ("t-mobile" → ("t", "mobil", "tmobil")).

    Cached: snippets look up every word of up to 60 passages per result, and the words of a
    page of results repeat (2,048 words keep about 0.6 MB; tests/test_listing.py bounds the
    memory of the search's caches together)."""
    parts = re.split(r"[-'’]", word)
    terms = [stem(part) for part in parts if part and part not in STOP_WORDS]
    if len(parts) > 1:
        terms.append(stem("".join(parts)))
    return tuple(terms)


def bigrams(run: str) -> list[str]:
    """Every pair of neighbouring characters of a Chinese run (a single character: itself)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def chinese_words(run: str) -> list[str]:
    """The segmenter's words of a Chinese run (Simplified), single characters included."""
    return segmenter().lcut(run, HMM=False)


def chinese_terms(run: str) -> list[str]:
    """Index terms of a Chinese run: its bigrams (a lone character: itself) and its dictionary
    words of 3+ characters."""
    terms = bigrams(run)
    if len(run) > 2 and _long_word().search(run):
        terms += [word for word in chinese_words(run) if len(word) > 2]
    return terms


def analyse(text: str) -> list[str]:
    """Index terms of a text, in order, with repeats (term frequency counts them)."""
    terms = []
    for token in TOKEN.findall(normalise(text)):
        if HAN_RUN.fullmatch(token):
            terms += chinese_terms(token)
        else:
            terms += latin_terms(token)
    return terms


def surface_words(text: str) -> set[str]:
    """Latin words of five letters or more as written (normalised), for typo correction."""
    words = set()
    for token in LATIN_WORD.findall(normalise(text)):
        for part in re.split(r"[-'’]", token) + [re.sub(r"[-'’]", "", token)]:
            if len(part) >= 5 and part.isalpha():
                words.add(part)
    return words
