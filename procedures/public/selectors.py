"""Reads for the public site. Each function decides the queries of one page, so a page's query
budget is set here and nowhere else.

Readers see publications (procedures/models/: Publication), never the editors' working copy,
except staff asking for a preview.
"""

from collections import Counter
from dataclasses import dataclass, field
from functools import cache, cached_property

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from kb.db import PLACEHOLDER_TIME, PreparedQuery
from procedures.models import Carrier, Document, GuideRedirect, Procedure, Publication, Region
from procedures.public import listing
from procedures.public.cards import ListedGuide, guide_cards, listed_publications
from procedures.public.filters import FilterChoices, GuideFilter, filter_choices
from procedures.publishing.pages import GuideView, PublishedGuidePage
from procedures.publishing.snapshot import guide_snapshot
from procedures.search.results import GuideSearch, search_page

# --- Home, region and carrier pages -----------------------------------------------------------


def home_page() -> dict:
    """The home page: regions with their carriers and guide counts, featured guides, and the
    guides that apply everywhere (the guide index is read once)."""
    index = listing.guide_index()
    return {
        "regions": regions_with_carriers(index=index),
        "featured": featured_guides(index=index),
        "everywhere": guides_for_any_region(index=index),
    }


def regions_with_carriers(*, index=None) -> list[Region]:
    """Every region with its carriers, each carrier with its `guide_count`. Read once per
    guide index, as the filters' options: regions and carriers change only with a bump of the
    `guides` tag, which replaces the index (templates read the names in their language)."""
    index = index or listing.guide_index()

    def read():
        regions = list(Region.objects.prefetch_related("carriers"))
        for region in regions:
            for carrier in region.carriers.all():
                carrier.guide_count = index.option("carrier", carrier.pk).bit_count()
        return regions

    return index.remember("regions with carriers", read)


def featured_guides(*, limit: int = 6, index=None) -> list[ListedGuide]:
    index = index or listing.guide_index()
    return guide_cards(index.page(index.option("featured", True), 1, limit))


def guides_for_any_region(*, limit: int = 20, index=None) -> list[Publication]:
    """Guides that apply wherever the reader is (eSIM basics), read once per guide index (a
    publication changes only by a new one, which replaces the index)."""
    index = index or listing.guide_index()

    def read():
        bits = index.option("region", None) & index.option("carrier", None)
        return listed_publications(index.page(bits, 1, limit))

    return index.remember(("any region", limit), read)


GUIDES_PER_CARRIER_ON_REGION_PAGE = 10


def region_detail(*, slug: str) -> Region:
    """A region with its rules, its carriers (each with its first guides and how many it has)
    and the guides that apply to all its operators."""
    region = get_object_or_404(Region.objects.prefetch_related("sources", "carriers"), slug=slug)
    index = listing.guide_index()
    shown = {}
    for carrier in region.carriers.all():
        # Counted with the region-wide guides (as the filter it links to); listed without them,
        # as they have their own section on this page.
        carrier.guide_count = index.option("carrier", carrier.pk).bit_count()
        own = index.option("operator", carrier.pk)
        shown[carrier.pk] = index.page(own, 1, GUIDES_PER_CARRIER_ON_REGION_PAGE)
    everywhere = index.option("region", region.pk) & index.option("carrier", None)
    region_wide = index.page(everywhere, 1, 50)
    wanted = [pk for ids in shown.values() for pk in ids] + region_wide
    cards = {guide.pk: guide for guide in listed_publications(wanted)}
    for carrier in region.carriers.all():
        carrier.published_guides = [cards[pk] for pk in shown[carrier.pk] if pk in cards]
    region.region_wide_guides = [cards[pk] for pk in region_wide if pk in cards]
    return region


GUIDES_ON_CARRIER_PAGE = 20


def carrier_detail(*, slug: str) -> Carrier:
    """A carrier with its first guides, its region's guides for every operator included (the
    rest are one click away, in the filtered list)."""
    carrier = get_object_or_404(
        Carrier.objects.select_related("region").prefetch_related("contact_numbers"), slug=slug
    )
    index = listing.guide_index()
    bits = index.option("carrier", carrier.pk)
    carrier.guide_count = bits.bit_count()
    carrier.published_guides = guide_cards(index.page(bits, 1, GUIDES_ON_CARRIER_PAGE))
    return carrier


# --- Guide page -------------------------------------------------------------------------------


def guide_detail(*, slug: str, preview: bool = False):
    """A guide's page as readers see it: its live publication, in one query.

    `preview` (staff only): the editors' working copy instead, shown the same way.
    """
    if preview:
        return _guide_preview(slug=slug)
    query = _live_page_query(get_language(), Publication.objects.db)
    publication = query.first(slug=slug, at=timezone.now())
    if publication is None:
        raise Http404("No such guide")
    return PublishedGuidePage(publication)


@cache
def _live_page_query(language: str, using: str) -> PreparedQuery:
    """The live publication of a guide with the fields its page shows and its stored body."""
    column = language.replace("-", "_")
    languages = [code.replace("-", "_") for code, _name in settings.LANGUAGES]

    def build(*, slug, at):
        return (
            Publication.objects.live(at=at)
            .filter(slug=slug)
            .order_by("-live_from")
            .only(
                "procedure_id",
                "live_from",
                "rendered_stamp",
                "carrier_id",
                "region_id",
                "last_verified_on",
                "languages",
                "review_due_on",
                *[f"{field}_{code}" for field in ("title", "summary") for code in languages],
            )
            .annotate(stored_body=F(f"page__rendered_body_{column}"))[:1]
        )

    return PreparedQuery(
        Publication,
        build,
        placeholders={"slug": "-slug-", "at": PLACEHOLDER_TIME},
        fields={"slug": "slug", "at": "live_from"},
        using=using,
    )


def _guide_preview(*, slug: str) -> GuideView:
    procedure = get_object_or_404(Procedure, slug=slug)
    return GuideView(guide_snapshot(Procedure.objects.working_copy(procedure)), is_preview=True)


def guide_moved_to(*, slug: str) -> str | None:
    """The address of the live guide that used to answer at `slug` (a changed slug, or a guide
    merged into another), or None."""
    moved = GuideRedirect.objects.filter(old_slug=slug).values_list("procedure_id", flat=True)
    live = Publication.objects.live().filter(procedure_id__in=moved).exclude(slug=slug)
    return live.values_list("slug", flat=True).first()


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
    query: str = ""  # the reader's search, when there is one
    filters: int = 0  # filters set, other than the search (valid ones: those applied)
    search: GuideSearch | None = None

    @property
    def filtered(self) -> bool:
        return self.filters > 0

    @property
    def form(self):
        return self.filterset.form

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors)

    @cached_property
    def results_heading(self) -> SafeString:
        """The heading "Results for “…”" in the page's language, for its title and its <h1>
        (made once: a {% blocktranslate %} each cost more), the query escaped as there."""
        return self._with_query(gettext("Results for “%(query)s”"))

    @property
    def search_removal(self) -> SafeString:
        """The label of the link removing the search, as `results_heading`."""
        return self._with_query(gettext("Remove the search “%(query)s”"))

    @property
    def found(self) -> str:
        """ "12 guides found", in the page's language (as {% blocktranslate count %} says it)."""
        message = ngettext("%(counter)s guide found", "%(counter)s guides found", self.total)
        return message % {"counter": localize(self.total)}

    @property
    def filter_toggle(self) -> str:
        """ "Filter (2)": the label of the filter panel on a phone, with the filters set."""
        return gettext("Filter (%(count)s)") % {"count": localize(self.filters)}

    @property
    def page_position(self) -> str:
        """ "Page 2 of 5", in the page's language."""
        numbers = {
            "number": localize(self.page.number),
            "total": localize(self.page.paginator.num_pages),
        }
        return gettext("Page %(number)s of %(total)s") % numbers

    def _with_query(self, translated: str) -> SafeString:
        return mark_safe(translated % {"query": escape(self.query)})  # noqa: S308 - escaped


FACETS = ["region", "carrier", "kind", "sim", "channel", "document"]


def _option_bits(index, filterset: GuideFilter, name: str, value) -> int:
    """The guides one filter value lets through (the index knows regions and carriers by id)."""
    if name == "region":
        return index.option("region", filterset.region_ids[value])
    if name == "carrier":
        return index.option("carrier", filterset.carrier_ids[value])
    return index.option(name, value)


def _facet_counts(index, filterset: GuideFilter, selected: dict[str, int]) -> dict[str, Counter]:
    """For each filter, how many guides each of its options would give, combined with the
    other active filters (a filter's own value is left out so its alternatives stay visible)."""
    slugs = {
        "region": {pk: slug for slug, pk in filterset.region_ids.items()},
        "carrier": {pk: slug for slug, pk in filterset.carrier_ids.items()},
    }
    facets = {}
    for name in FACETS:
        others = index.everything
        for other, bits in selected.items():
            if other != name:
                others &= bits
        counts = Counter()
        for option, bits in index.facets[name].items():
            key = slugs[name].get(option) if name in slugs else option
            count = (others & bits).bit_count()
            if key is not None and count:
                counts[key] = count
        facets[name] = counts
    return facets


def _filter_choices(index) -> FilterChoices:
    """The filters' options in the active language, read once per guide index: carriers,
    regions and documents only change with a bump of the `guides` tag, which replaces it."""

    def catalogue():
        carriers = Carrier.objects.select_related("region").order_by(
            "region__position", "region_id", "position", "id"
        )
        return list(carriers), list(Document.objects.all())

    carriers, documents = index.remember("catalogue", catalogue)
    language = get_language() or settings.LANGUAGE_CODE
    return index.remember(("filter choices", language), lambda: filter_choices(carriers, documents))


@cache
def _no_publications():
    """The queryset a GuideFilter is given: it only validates and shows the filters, the guide
    index applies them. Made once (each none() builds a queryset class with modeltranslation)
    and never evaluated."""
    return Publication.objects.none()


def guide_list(
    *, params, page_number: int = 1, read=guide_cards, search_extras: bool = True
) -> GuideList:
    """Published guides matching the reader's filters, a page of them, and per-option counts.

    `read(ids)` reads the page's guides: `guide_cards` (the default) their stored cards for
    the HTML list (with the passages of a search's snippets), `listed_publications` whole
    publications (the API). `search_extras`: a search's snippets and, when nothing matched,
    popular guides (the HTML list shows them, the API does not).

    Invalid filter values are reported on the form and ignored; the rest still apply.
    Raises Http404 for a page number below 1.
    """
    if page_number < 1:
        raise Http404("No such page")
    index = listing.guide_index()
    filterset = GuideFilter(params, queryset=_no_publications(), choices=_filter_choices(index))
    filterset.form.is_valid()
    cleaned = getattr(filterset.form, "cleaned_data", {})
    active = {
        name: value
        for name, value in cleaned.items()
        if value not in (None, "") and name not in filterset.form.errors
    }

    query = active.pop("q", "").strip()
    found = index.search_results(query) if query else None
    selected = {name: _option_bits(index, filterset, name, value) for name, value in active.items()}
    if found is not None:
        selected["q"] = found.bits
    matching = index.everything
    for bits in selected.values():
        matching &= bits
    total = matching.bit_count()
    facets = _facet_counts(index, filterset, selected)
    filterset.show_counts(facets)

    paginator = CountedPaginator([], settings.KB_GUIDES_PER_PAGE, count=total)
    number = min(page_number, paginator.num_pages)
    search = None
    if found is None:
        ids = index.page(matching, number, paginator.per_page)
    else:
        search = search_page(
            index, found, matching, query=query, number=number, size=paginator.per_page
        )
        ids = search.ids
    with_snippets = search is not None and search_extras
    cards = read(ids, passages=True) if with_snippets else read(ids)
    if with_snippets:
        search.attach(cards, popular=featured_guides(limit=3, index=index) if not total else [])
    return GuideList(
        filterset=filterset,
        page=Page(cards, number, paginator),
        total=total,
        facets=facets,
        query=query,
        filters=len(active),
        search=search,
    )
