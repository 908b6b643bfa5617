from django.http import Http404
from django.shortcuts import render

from . import selectors


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    try:
        return int(raw)
    except ValueError:
        raise Http404("Page is not a number") from None


def guide_list(request):
    result = selectors.guide_list(params=request.GET, page_number=_page_number(request))
    return render(request, "procedures/guide_list.html", {"result": result})


def guide_detail(request, slug):
    # Staff see the editors' working copy when they ask for it, or when nothing is live yet.
    preview = request.user.is_staff and (
        "preview" in request.GET or not selectors.guide_has_live_publication(slug=slug)
    )
    guide = selectors.guide_detail(slug=slug, preview=preview)
    return render(request, "procedures/guide_detail.html", {"guide": guide})


def carrier_detail(request, slug):
    carrier = selectors.carrier_detail(slug=slug)
    return render(request, "procedures/carrier_detail.html", {"carrier": carrier})


def region_detail(request, slug):
    region = selectors.region_detail(slug=slug)
    return render(request, "procedures/region_detail.html", {"region": region})
