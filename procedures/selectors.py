"""Reads for the public site. Each function decides the queries of one page, so a page's query
budget is set here and nowhere else."""

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .filters import SIM_TYPE_FIELDS, GuideFilter
from .models import (
    Carrier,
    Document,
    Procedure,
    ProcedureDocument,
    Region,
    Step,
)

LIST_RELATED = ("carrier", "region")


def _published_guides() -> QuerySet[Procedure]:
    return Procedure.objects.published().select_related(*LIST_RELATED)


# --- Home, region and carrier pages -----------------------------------------------------------


def _carriers_with_guide_counts() -> QuerySet[Carrier]:
    return Carrier.objects.annotate(
        guide_count=Count("procedures", filter=Q(procedures__status=Procedure.Status.PUBLISHED))
    )


def regions_with_carriers() -> list[Region]:
    return list(
        Region.objects.prefetch_related(
            Prefetch("carriers", queryset=_carriers_with_guide_counts())
        )
    )


def featured_guides(*, limit: int = 6) -> list[Procedure]:
    return list(_published_guides().filter(is_featured=True)[:limit])


def guides_for_any_region() -> list[Procedure]:
    """Guides that apply wherever the reader is (eSIM basics)."""
    return list(_published_guides().filter(region__isnull=True, carrier__isnull=True))


def region_detail(*, slug: str) -> Region:
    return get_object_or_404(
        Region.objects.prefetch_related(
            "sources",
            Prefetch("carriers", queryset=_carriers_with_guide_counts()),
            Prefetch(
                "carriers__procedures",
                queryset=Procedure.objects.published(),
                to_attr="published_guides",
            ),
            Prefetch(
                "procedures",
                queryset=Procedure.objects.published().filter(carrier__isnull=True),
                to_attr="region_wide_guides",
            ),
        ),
        slug=slug,
    )


def carrier_detail(*, slug: str) -> Carrier:
    return get_object_or_404(
        Carrier.objects.select_related("region").prefetch_related(
            "contact_numbers",
            Prefetch("procedures", queryset=_published_guides(), to_attr="published_guides"),
        ),
        slug=slug,
    )


# --- Guide page -------------------------------------------------------------------------------


def guide_detail(*, slug: str, include_drafts: bool = False) -> Procedure:
    """A guide with everything its page shows, in a fixed number of queries.

    Drafts are only returned for `include_drafts` (staff previews); readers get a 404.
    """
    guides = Procedure.objects.select_related(*LIST_RELATED).prefetch_related(
        "steps",
        "notes",
        "faqs",
        "sources",
        Prefetch(
            "procedure_documents", queryset=ProcedureDocument.objects.select_related("document")
        ),
        "carrier__contact_numbers",
    )
    if not include_drafts:
        guides = guides.published()
    return get_object_or_404(guides, slug=slug)


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

    def matching(excluded: str) -> QuerySet[Procedure]:
        queryset = Procedure.objects.published()
        for name, value in active.items():
            if name != excluded:
                queryset = filterset.filters[name].filter(queryset, value)
        return queryset

    def grouped(queryset, key) -> Counter:
        rows = queryset.order_by().values(key).annotate(n=Count("pk", distinct=True))
        return Counter({row[key]: row["n"] for row in rows if row[key] is not None})

    facets = {
        "region": grouped(matching("region"), "region__slug"),
        "carrier": grouped(matching("carrier"), "carrier__slug"),
        "kind": grouped(matching("kind"), "kind"),
    }
    sim_counts = (
        matching("sim")
        .order_by()
        .aggregate(
            **{
                sim_type: Count("pk", filter=Q(**{flag: True}))
                for sim_type, flag in SIM_TYPE_FIELDS.items()
            }
        )
    )
    facets["sim"] = Counter({key: value for key, value in sim_counts.items() if value})
    channels = (
        Step.objects.filter(procedure__in=matching("channel"))
        .order_by()
        .values("channel")
        .annotate(n=Count("procedure", distinct=True))
    )
    facets["channel"] = Counter({row["channel"]: row["n"] for row in channels})
    documents = (
        ProcedureDocument.objects.filter(procedure__in=matching("document"))
        .order_by()
        .values("document__slug")
        .annotate(n=Count("procedure", distinct=True))
    )
    facets["document"] = Counter({row["document__slug"]: row["n"] for row in documents})
    return facets


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
    carriers = list(
        Carrier.objects.select_related("region").order_by(
            "region__position", "region_id", "position", "id"
        )
    )
    documents = list(Document.objects.all())
    filterset = GuideFilter(
        params, queryset=Procedure.objects.published(), carriers=carriers, documents=documents
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
    total = kinds.get(active["kind"], 0) if "kind" in active else sum(kinds.values())
    _label_choices_with_counts(filterset, facets, active)

    results = _published_guides()
    for name, value in active.items():
        results = filterset.filters[name].filter(results, value)
    paginator = CountedPaginator(results, settings.KB_GUIDES_PER_PAGE, count=total)
    if page_number < 1:
        raise Http404("No such page")
    page = paginator.page(min(page_number, paginator.num_pages))
    return GuideList(filterset=filterset, page=page, total=total, facets=facets)
