"""Live guide pages follow the catalogue: when a carrier (or one of its numbers), a region or a
document changes, the live and scheduled publications that show it get the new text and are
rendered again. Their own content stays as published.

A save in the admin writes a carrier and each of its numbers one by one; refreshing after each
write would render every page of the carrier once per row. Changes made inside `batch()` (the
admin wraps each save in one, the importer each file) are collected and each thing changed is
refreshed once, when the batch ends. Outside a batch (a shell, a script) a change is refreshed
at once.
"""

import threading
from contextlib import contextmanager

from django.db.models import Q
from django.utils import timezone

from kb import pagecache
from procedures.models import Carrier, Document, Publication, PublicationPage, Region
from procedures.publishing import tags
from procedures.publishing.publish import publication_render, search_text
from procedures.publishing.snapshot import carrier_block, region_block
from procedures.translations.reading import translated_texts

_local = threading.local()


@contextmanager
def batch():
    """Collect catalogue changes until the outermost batch ends, then refresh each once. Nothing
    is refreshed when the block raises (its transaction is rolled back anyway)."""
    if getattr(_local, "pending", None) is not None:
        yield
        return
    _local.pending = {}
    try:
        yield
        pending = _local.pending
    finally:
        _local.pending = None
    for (kind, pk), old_slugs in pending.items():
        _refresh(kind, pk, old_slugs)


def changed(kind: str, pk: int, *, old_slug: str | None = None) -> None:
    """Catalogue object `kind` ("carrier", "region" or "document") with id `pk` changed; for a
    document, `old_slug` is the slug it had before (publications know documents by slug)."""
    pending = getattr(_local, "pending", None)
    if pending is None:
        _refresh(kind, pk, {old_slug} - {None})
        return
    pending.setdefault((kind, pk), set())
    if old_slug:
        pending[(kind, pk)].add(old_slug)


def _refresh(kind: str, pk: int, old_slugs: set[str]) -> int:
    """Bring the live and scheduled publications that show one catalogue object up to date;
    returns how many were rendered again."""
    current = (
        Publication.objects.filter(live_until__gt=timezone.now())
        .select_related("page", "region", "carrier")
        .prefetch_related("carrier__contact_numbers")
    )  # what the rendered card shows
    if kind == "carrier":
        carrier = Carrier.objects.prefetch_related("contact_numbers").filter(pk=pk).first()
        if carrier is None:
            return 0
        block = carrier_block(carrier)
        for publication in current.filter(carrier_id=pk):
            # The carrier's name is part of what search matches.
            publication.carrier = carrier
            Publication.objects.filter(pk=publication.pk).update(
                search_text=search_text(publication)
            )
        return _replace(
            current.filter(carrier_id=pk),
            lambda content, _publication: _set(content, "carrier", block),
        )
    if kind == "region":
        region = Region.objects.filter(pk=pk).first()
        if region is None:
            return 0
        block = region_block(region)
        return _replace(
            current.filter(region_id=pk),
            lambda content, _publication: _set(content, "region", block),
        )
    document = Document.objects.filter(pk=pk).first()
    if document is None:
        return 0
    slugs = old_slugs | {document.slug}
    showing = Q()
    for slug in slugs:
        showing |= Q(document_slugs__contains=f"|{slug}|")

    def update(content, publication):
        changed = False
        variant = publication.region.chinese_variant if publication.region_id else "hk"
        name = translated_texts(document, "name", variant=variant)
        for item in content.get("documents", []):
            if item.get("slug") in slugs:
                new = {"slug": document.slug, "name": name}
                if {key: item.get(key) for key in new} != new:
                    item.update(new)
                    changed = True
        return changed

    count = _replace(current.filter(showing), update, bump_guides=True)
    if old_slugs - {document.slug}:
        for publication in current.filter(showing):
            listed = [s for s in publication.document_slugs.strip("|").split("|") if s]
            renamed = [document.slug if s in old_slugs else s for s in listed]
            Publication.objects.filter(pk=publication.pk).update(
                document_slugs="|" + "|".join(renamed) + "|"
            )
    return count


def _set(content: dict, key: str, block) -> bool:
    if content.get(key) == block:
        return False
    content[key] = block
    return True


def _replace(publications, update, *, bump_guides: bool = False) -> int:
    """Apply `update(content, publication) -> changed?` to each publication's content and render
    the changed ones again; returns how many. Guide pages are tagged with their carrier and
    region, so only a document change (`bump_guides`) needs each page's own tag bumped."""
    rendered = []
    for publication in publications:
        page = publication.page
        if update(page.content, publication):
            PublicationPage.objects.filter(pk=page.pk).update(content=page.content)
            publication_render(publication)
            rendered.append(tags.guide(publication.procedure_id))
    if rendered and bump_guides:
        pagecache.bump(*rendered)
    return len(rendered)
