"""Reads for the public site. Each function decides the queries of one page, so a page's query
budget is set here and nowhere else.

Readers see publications (procedures/models.py: Publication), never the editors' working copy,
except staff asking for a preview.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from . import services
from .filters import SIM_TYPE_FIELDS, GuideFilter
from .models import Carrier, Channel, Document, Procedure, Publication, Region
from .snapshots import GuideView, PublishedGuidePage, guide_snapshot

RENDERED_BODIES = [
    f"page__rendered_body_{code.replace('-', '_')}" for code, _ in settings.LANGUAGES
]


def live_guides() -> QuerySet[Publication]:
    return Publication.objects.live().select_related("carrier", "region")


def listed_guides() -> QuerySet[Publication]:
    """Live guides for lists and cards: without the page content, which only the guide page
    reads (decoding it for every card would cost more than rendering the card)."""
    return (
        live_guides()
        .select_related("page")
        .defer("search_text", "page__content", "page__rendered_body", *RENDERED_BODIES)
    )


def _live_q(prefix: str) -> Q:
    now = timezone.now()
    return Q(**{f"{prefix}live_from__lte": now, f"{prefix}live_until__gt": now})


# --- Home, region and carrier pages -----------------------------------------------------------


def _carriers_with_guide_counts() -> QuerySet[Carrier]:
    return Carrier.objects.annotate(
        guide_count=Count("publications", filter=_live_q("publications__"))
    )


def regions_with_carriers() -> list[Region]:
    return list(
        Region.objects.prefetch_related(
            Prefetch("carriers", queryset=_carriers_with_guide_counts())
        )
    )


def featured_guides(*, limit: int = 6) -> list[Publication]:
    return list(listed_guides().filter(is_featured=True)[:limit])


def guides_for_any_region() -> list[Publication]:
    """Guides that apply wherever the reader is (eSIM basics)."""
    return list(listed_guides().filter(region__isnull=True, carrier__isnull=True))


def region_detail(*, slug: str) -> Region:
    return get_object_or_404(
        Region.objects.prefetch_related(
            "sources",
            Prefetch("carriers", queryset=_carriers_with_guide_counts()),
            Prefetch(
                "carriers__publications",
                queryset=Publication.objects.live().defer("search_text"),
                to_attr="published_guides",
            ),
            Prefetch(
                "publications",
                queryset=Publication.objects.live()
                .filter(carrier__isnull=True)
                .defer("search_text"),
                to_attr="region_wide_guides",
            ),
        ),
        slug=slug,
    )


def carrier_detail(*, slug: str) -> Carrier:
    return get_object_or_404(
        Carrier.objects.select_related("region").prefetch_related(
            "contact_numbers",
            Prefetch("publications", queryset=listed_guides(), to_attr="published_guides"),
        ),
        slug=slug,
    )


# --- Guide page -------------------------------------------------------------------------------


def guide_detail(*, slug: str, preview: bool = False):
    """A guide's page as readers see it: its live publication, in one query.

    `preview` (staff only): the editors' working copy instead, shown the same way.
    """
    if preview:
        return _guide_preview(slug=slug)
    language = get_language().replace("-", "_")
    languages = [code.replace("-", "_") for code, _name in settings.LANGUAGES]
    publication = (
        Publication.objects.live()
        .filter(slug=slug)
        .order_by("-live_from")
        .select_related("page")
        .only(
            "procedure_id",
            "live_from",
            "rendered_stamp",
            "carrier_id",
            "region_id",
            "last_verified_on",
            "review_due_on",
            f"page__rendered_body_{language}",
            *[f"{field}_{code}" for field in ("title", "summary") for code in languages],
        )
        .first()
    )
    if publication is None:
        raise Http404("No such guide")
    return PublishedGuidePage(publication)


def _guide_preview(*, slug: str) -> GuideView:
    procedure = get_object_or_404(Procedure, slug=slug)
    return GuideView(guide_snapshot(services.working_copy(procedure)), is_preview=True)


def guide_has_live_publication(*, slug: str) -> bool:
    return Publication.objects.live().filter(slug=slug).exists()


# --- Guide list with filters and counts -------------------------------------------------------


class CountedPaginator(Paginator):
    """A paginator told its total, which the facet counts already give, saving a COUNT query."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


@dataclass
class GuideList:
    filterset: GuideFilter
    page: Page
    total: int
    facets: dict[str, Counter] = field(default_factory=dict)

    @property
    def form(self):
        return self.filterset.form

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors)


def _facet_counts(filterset: GuideFilter, active: dict) -> dict[str, Counter]:
    """For each filter, how many guides each of its options would give, combined with the
    other active filters (a filter's own value is left out so its alternatives stay visible)."""

    def matching(excluded: str) -> QuerySet[Publication]:
        queryset = Publication.objects.live().order_by()
        for name, value in active.items():
            if name != excluded:
                queryset = filterset.filters[name].filter(queryset, value)
        return queryset

    def grouped(queryset, column, names) -> Counter:
        rows = queryset.values(column).annotate(n=Count("pk"))
        return Counter({names[row[column]]: row["n"] for row in rows if row[column] in names})

    def flagged(queryset, conditions: dict[str, Q]) -> Counter:
        counts = queryset.aggregate(
            **{f"c{index}": Count("pk", filter=q) for index, q in enumerate(conditions.values())}
        )
        return Counter(
            {
                key: counts[f"c{index}"]
                for index, key in enumerate(conditions)
                if counts[f"c{index}"]
            }
        )

    region_slugs = {pk: slug for slug, pk in filterset.region_ids.items()}
    carrier_slugs = {pk: slug for slug, pk in filterset.carrier_ids.items()}
    return {
        "region": grouped(matching("region"), "region_id", region_slugs),
        "carrier": grouped(matching("carrier"), "carrier_id", carrier_slugs),
        "kind": grouped(matching("kind"), "kind", {kind: kind for kind in Procedure.Kind.values}),
        "sim": flagged(
            matching("sim"),
            {sim_type: Q(**{flag: True}) for sim_type, flag in SIM_TYPE_FIELDS.items()},
        ),
        "channel": flagged(
            matching("channel"),
            {channel: Q(channels__contains=f"|{channel}|") for channel in Channel.values},
        ),
        "document": flagged(
            matching("document"),
            {slug: Q(document_slugs__contains=f"|{slug}|") for slug in filterset.document_slugs},
        ),
    }


def _label_choices_with_counts(filterset: GuideFilter, facets: dict, active: dict) -> None:
    """Show "Macau (3)" in the filters, and drop options that would lead to no guide at all
    (unless the reader has chosen one)."""

    def relabel(choices, counts, chosen):
        result = []
        for value, label in choices:
            if value == "":
                continue
            if isinstance(label, (list, tuple)):
                options = relabel(label, counts, chosen)
                if options:
                    result.append((value, options))
            elif counts.get(value, 0) or value == chosen:
                result.append((value, f"{label} ({counts.get(value, 0)})"))
        return result

    for name, counts in facets.items():
        form_field = filterset.form.fields[name]
        form_field.choices = relabel(list(form_field.choices), counts, active.get(name))


def guide_list(*, params, page_number: int = 1) -> GuideList:
    """Published guides matching the reader's filters, a page of them, and per-option counts.

    Invalid filter values are reported on the form and ignored; the rest still apply.
    Raises Http404 for a page number below 1.
    """
    if page_number < 1:
        raise Http404("No such page")
    carriers = list(
        Carrier.objects.select_related("region").order_by(
            "region__position", "region_id", "position", "id"
        )
    )
    documents = list(Document.objects.all())
    filterset = GuideFilter(
        params, queryset=Publication.objects.live(), carriers=carriers, documents=documents
    )
    filterset.form.is_valid()
    cleaned = getattr(filterset.form, "cleaned_data", {})
    active = {
        name: value
        for name, value in cleaned.items()
        if value not in (None, "") and name not in filterset.form.errors
    }

    facets = _facet_counts(filterset, active)
    kinds = facets["kind"]
    # Every guide has exactly one kind, so the kind counts add up to the total.
    total = kinds.get(active["kind"], 0) if "kind" in active else sum(kinds.values())
    _label_choices_with_counts(filterset, facets, active)

    results = listed_guides()
    for name, value in active.items():
        results = filterset.filters[name].filter(results, value)
    paginator = CountedPaginator(results, settings.KB_GUIDES_PER_PAGE, count=total)
    page = paginator.page(min(page_number, paginator.num_pages))
    return GuideList(filterset=filterset, page=page, total=total, facets=facets)
