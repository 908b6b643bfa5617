"""The API's endpoints. Each answers in the active language (the URL's prefix, else the
request's Accept-Language: LocaleMiddleware) and declares what content it shows to the page
cache (kb/pagecache/ `tag`), so publishing or changing a carrier or region refreshes it as it
refreshes the pages. Reads only: live publications, never editors' working copies.

Query budget per request, whatever the data size: guide list 1 (the page's publications; the
guide index and the filters' options are in memory), guide 1, regions 3, carriers 2.
"""

from typing import Literal

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kb.pagecache import tag
from procedures.api import present, schemas
from procedures.models import Carrier, Channel, Procedure, Region, SimType
from procedures.public import cards, selectors
from procedures.public.filters import MAX_QUERY_LENGTH
from procedures.publishing import tags

# Answered by middleware.ApiMiddleware when a client address sends too many requests.
LIMITED = {429: schemas.Error}

guides = Router(tags=["guides"])
regions = Router(tags=["regions"])
carriers = Router(tags=["carriers"])


KindValue = Literal[tuple(Procedure.Kind.values)]
SimValue = Literal[tuple(SimType.values)]
ChannelValue = Literal[tuple(Channel.values)]


class GuideFilters(Schema):
    """The guide list's filters, as on the HTML list (procedures/public/filters.py). Region, carrier
    and document take the slugs the regions, carriers and guides' documents have."""

    q: str | None = Field(None, max_length=MAX_QUERY_LENGTH, description="words to search for")
    region: str | None = Field(None, description="a region's slug")
    carrier: str | None = Field(None, description="a carrier's slug (its region's guides too)")
    kind: KindValue | None = None
    sim: SimValue | None = None
    channel: ChannelValue | None = None
    document: str | None = Field(None, description="a document's slug")
    page: int = Field(1, ge=1)


class InvalidFiltersError(HttpError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(400, _("Some filters are not valid."))
        self.errors = errors


@guides.get(
    "/guides/",
    response={200: schemas.GuidePage, 400: schemas.Error, 404: schemas.Error, **LIMITED},
    summary="Live guides, filtered and searched as on the guide list",
    operation_id="guide_list",
)
def guide_list(request, filters: Query[GuideFilters]):
    result = selectors.guide_list(
        params=request.GET,
        page_number=filters.page,
        read=selectors.listed_publications,
        search_extras=False,
    )
    if result.has_errors:
        raise InvalidFiltersError(
            {name: list(errors) for name, errors in result.form.errors.items()}
        )
    paginator = result.page.paginator
    if filters.page > paginator.num_pages:
        raise Http404(_("There is no such page."))
    tag(request, tags.GUIDES)
    page = result.page
    return schemas.GuidePage(
        count=result.total,
        page=page.number,
        pages=paginator.num_pages,
        per_page=settings.KB_GUIDES_PER_PAGE,
        next=present.page_link(request, page.number + 1) if page.has_next() else None,
        previous=present.page_link(request, page.number - 1) if page.has_previous() else None,
        results=[present.guide_card(request, publication) for publication in page.object_list],
    )


@guides.get(
    "/guides/{slug}/",
    response={200: schemas.Guide, 404: schemas.Error, **LIMITED},
    summary="One live guide: steps per channel, documents, notes, FAQs and sources",
    operation_id="guide_detail",
)
def guide_detail(request, slug: str):
    publication = (
        cards.live_guides()
        .select_related("page")
        .defer("search_text", "page__rendered_body", "page__rendered_card")
        .filter(slug=slug, page__isnull=False)
        .order_by("-live_from")
        .first()
    )
    if publication is None:
        raise Http404(_("There is no live guide at this address."))
    tag(request, tags.guide(publication.procedure_id))
    if publication.carrier_id:
        tag(request, tags.carrier(publication.carrier_id))
    if publication.region_id:
        tag(request, tags.region(publication.region_id))
    return present.guide(request, publication)


def _regions():
    return Region.objects.prefetch_related(
        Prefetch("carriers", queryset=Carrier.objects.only("id", "slug", "region_id")), "sources"
    )


@regions.get(
    "/regions/",
    response={200: list[schemas.Region], **LIMITED},
    summary="Every region and its rules",
    operation_id="region_list",
)
def region_list(request):
    rows = list(_regions())
    tag(request, tags.GUIDES, *(tags.region(row.pk) for row in rows))
    return [present.region(request, row) for row in rows]


@regions.get(
    "/regions/{slug}/",
    response={200: schemas.Region, 404: schemas.Error, **LIMITED},
    operation_id="region_detail",
)
def region_detail(request, slug: str):
    row = get_object_or_404(_regions(), slug=slug)
    tag(request, tags.GUIDES, tags.region(row.pk))
    return present.region(request, row)


def _carriers():
    return Carrier.objects.select_related("region").prefetch_related("contact_numbers")


@carriers.get(
    "/carriers/",
    response={200: list[schemas.Carrier], **LIMITED},
    summary="Every carrier",
    operation_id="carrier_list",
)
def carrier_list(request):
    rows = list(_carriers().order_by("region__position", "region_id", "position", "id"))
    tag(request, tags.GUIDES, *(tags.carrier(row.pk) for row in rows))
    return [present.carrier(request, row) for row in rows]


@carriers.get(
    "/carriers/{slug}/",
    response={200: schemas.Carrier, 404: schemas.Error, **LIMITED},
    operation_id="carrier_detail",
)
def carrier_detail(request, slug: str):
    row = get_object_or_404(_carriers(), slug=slug)
    tag(request, tags.GUIDES, tags.carrier(row.pk), tags.region(row.region_id))
    return present.carrier(request, row)


__all__ = ["carriers", "guides", "regions"]
