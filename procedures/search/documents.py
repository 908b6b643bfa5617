"""A published guide's whole text (every language) analysed into weighted search terms, stored
once per publication (models.SearchDocument), so building a process's index reads term lists
rather than pages.

Where a word appears decides its weight (issue 14: title > summary > step titles > step
bodies, FAQs, notes). Carrier and region names are not stored here: the index adds them from
the Carrier and Region tables, so renaming a carrier needs no re-analysis.
"""

import json
import re
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from tqdm import tqdm

from procedures.models import PublicationPage
from procedures.search.analysis import TITLE, analyse, surface_words
from procedures.search.models import SearchDocument
from procedures.translations.texts import column

# Bump when analysis changes: every stored document is then analysed again on the next build.
ANALYSER_VERSION = 3
FIELD_WEIGHTS = {"title": 8.0, "summary": 3.0, "step_title": 2.0, "body": 1.0}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
CHUNK = 500

_MARKDOWN = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"[*_`#>|]+"), " "),
    (re.compile(r"\s+"), " "),
]


def plain(text: str) -> str:
    """Markdown as the words a reader sees (links by their text, no markup), on one line."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text or "")
    return text.strip()


def _texts(value) -> dict[str, str]:
    """A translated snapshot value ({"zh-hans": …, "en": …, "auto": […]}) per language."""
    if not isinstance(value, dict):
        return {}
    return {code: plain(value.get(code) or "") for code in LANGUAGE_CODES}


def fields(content: dict) -> list[tuple[str, dict[str, str]]]:
    """(weight name, texts per language) of every searchable part of a guide snapshot."""
    found = [("title", _texts(content.get("title"))), ("summary", _texts(content.get("summary")))]
    for step in content.get("steps", []):
        found.append(("step_title", _texts(step.get("title"))))
        found.append(("body", _texts(step.get("body"))))
    for name in ("requirement_basis", "eligibility", "processing_time", "fees"):
        found.append(("body", _texts(content.get(name))))
    for faq in content.get("faqs", []):
        found.append(("body", _texts(faq.get("question"))))
        found.append(("body", _texts(faq.get("answer"))))
    for note in content.get("notes", []):
        found.append(("body", _texts(note.get("body"))))
    for document in content.get("documents", []):
        found.append(("body", _texts(document.get("name"))))
        found.append(("body", _texts(document.get("note"))))
    return found


def build_document(publication_id: int, content: dict) -> SearchDocument:
    """The search document of one publication from its snapshot (PublicationPage.content).

    Returns an unsaved SearchDocument: terms weighted by where they appear (FIELD_WEIGHTS),
    the Latin words for typo correction, and per language the passages (summary, each step,
    each FAQ, each note) a result's snippet is chosen from."""
    terms: Counter = Counter()
    words: set[str] = set()
    passages: dict[str, list[str]] = {code: [] for code in LANGUAGE_CODES}
    parts = fields(content)
    for position, (kind, texts) in enumerate(parts):
        weight = FIELD_WEIGHTS[kind]
        for code, text in texts.items():
            if not text:
                continue
            analysed = analyse(text)
            for term in analysed:
                terms[term] += weight
            if kind == "title":  # the title as a field of its own too (index.TITLE)
                for term in set(analysed):
                    terms[TITLE + term] += 1
            words |= surface_words(text)
            if kind == "step_title" and position + 1 < len(parts):
                continue  # joined with its body below
            if kind == "body" and position and parts[position - 1][0] == "step_title":
                title = parts[position - 1][1].get(code, "")
                text = f"{title}: {text}" if title else text
            if kind != "title":
                passages[code].append(text)
    length = sum(count for term, count in terms.items() if not term.startswith(TITLE))
    return SearchDocument(
        publication_id=publication_id,
        analyser=ANALYSER_VERSION,
        terms=" ".join(terms),
        weights=" ".join(f"{count:g}" for count in terms.values()),
        length=length,
        words=" ".join(sorted(words)),
        **{column("passages", code): join_passages(texts) for code, texts in passages.items()},
    )


def join_passages(passages: list[str]) -> str:
    """Passages as stored: one per line (each is `plain()` text, on one line already)."""
    return "\n".join(" ".join(passage.split("\n")) for passage in passages)


def split_passages(stored: str) -> list[str]:
    """The passages stored by `join_passages`, in order."""
    return stored.split("\n") if stored else []


def _build_row(row) -> SearchDocument:
    return build_document(row[0], _decoded(row[1]))


def ensure_documents(
    publication_ids: list[int], *, progress: bool = False, workers: int = 1
) -> int:
    """Analyse the publications among `publication_ids` that have no current search document
    (guides published in bulk, or analysed by an older ANALYSER_VERSION; publishing analyses
    each guide as it goes, see document_for_new_page).

    Returns how many were analysed. A fixed number of queries for up to CHUNK guides missing
    (more: a few per CHUNK; `manage.py searchindex` does those ahead, with a progress bar when
    `progress`, on `workers` processes). Safe in several processes at once: a document
    stored first is kept."""
    stored = dict(SearchDocument.objects.values_list("publication_id", "analyser"))
    missing = [pk for pk in publication_ids if stored.get(pk) != ANALYSER_VERSION]
    if not missing:
        return 0
    if any(version != ANALYSER_VERSION for version in stored.values()):
        SearchDocument.objects.exclude(analyser=ANALYSER_VERSION).delete()
    bar = tqdm(total=len(missing), unit="guide", disable=not progress)
    pool = ProcessPoolExecutor(workers) if workers > 1 else None
    try:
        for start in range(0, len(missing), CHUNK):
            chunk = missing[start : start + CHUNK]
            pages = list(
                PublicationPage.objects.filter(publication_id__in=chunk).values_list(
                    "publication_id", "content"
                )
            )
            analysed = pool.map(_build_row, pages, chunksize=10) if pool else map(_build_row, pages)
            documents = list(analysed)
            if documents:
                SearchDocument.objects.bulk_create(documents, ignore_conflicts=True)
            bar.update(len(chunk))
    finally:
        if pool:
            pool.shutdown()
        bar.close()
    return len(missing)


def document_for_new_page(sender, instance, created, raw=False, **kwargs):
    """post_save of PublicationPage: analyse a guide when it is published, so no reader's
    request waits for it."""
    if created and not raw and instance.content:
        document = build_document(instance.publication_id, _decoded(instance.content))
        SearchDocument.objects.filter(publication_id=instance.publication_id).delete()
        document.save(force_insert=True)


def _decoded(content) -> dict:
    # Bulk-generated pages (manage.py generatekb) may hold the snapshot as a JSON string.
    if isinstance(content, str):
        content = json.loads(content)
    return content or {}
