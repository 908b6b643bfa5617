from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date

from kb.pagecache import tag
from procedures.public import selectors
from procedures.public.related import RelatedGuides
from procedures.publishing import tags
from procedures.publishing.rendering import render_page
from procedures.search.terms import RESULTS_HEADER


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    try:
        return int(raw)
    except ValueError:
        raise Http404("Page is not a number") from None


def _is_staff(request) -> bool:
    # Only look at the user (and so the session) when the request carries a session cookie:
    # readers' pages then stay free of sessions, cookies and "Vary: Cookie".
    from django.conf import settings

    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_staff


def guide_list(request):
    result = selectors.guide_list(params=request.GET, page_number=_page_number(request))
    tag(request, tags.GUIDES)
    response = render_page(request, "procedures/guide_list.html", {"result": result})
    if result.search is not None:
        # Counted by the search-terms log outside the page cache (procedures/search/terms.py).
        response[RESULTS_HEADER] = str(result.search.results.bits.bit_count())
    return response


def guide_detail(request, slug):
    # Staff see the editors' working copy when they ask for it, or when nothing is live yet.
    preview = _is_staff(request) and (
        "preview" in request.GET or not selectors.guide_has_live_publication(slug=slug)
    )
    try:
        guide = selectors.guide_detail(slug=slug, preview=preview)
    except Http404:
        # An address the guide had before (a changed slug, a merged guide) leads to it for good.
        moved_to = selectors.guide_moved_to(slug=slug)
        if moved_to is None:
            raise
        tag(request, tags.GUIDES)
        query = request.GET.urlencode()
        url = reverse("procedures:guide_detail", kwargs={"slug": moved_to})
        return HttpResponsePermanentRedirect(url + ("?" + query if query else ""))
    if not preview:
        # Only the languages the guide is written in are offered to search engines.
        request.hreflang_languages = guide.languages
    related = RelatedGuides(guide)  # read only if the page is rendered (public/related.py)
    response = render(request, "procedures/guide_detail.html", {"guide": guide, "related": related})
    if not preview:
        tag(request, *related.cache_tags())
        tag(request, tags.guide(guide.procedure_id))
        if guide.carrier_id:
            tag(request, tags.carrier(guide.carrier_id))
        if guide.region_id:
            tag(request, tags.region(guide.region_id))
        response["Last-Modified"] = http_date(guide.live_from.timestamp())
    return response


def carrier_detail(request, slug):
    carrier = selectors.carrier_detail(slug=slug)
    tag(request, tags.GUIDES, tags.carrier(carrier.pk), tags.region(carrier.region_id))
    return render_page(request, "procedures/carrier_detail.html", {"carrier": carrier})


def region_detail(request, slug):
    region = selectors.region_detail(slug=slug)
    tag(request, tags.GUIDES, tags.region(region.pk))
    return render_page(request, "procedures/region_detail.html", {"region": region})
