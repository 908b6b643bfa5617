"""Atom feeds of recently published guides, per language (the URL's) and per carrier."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .models import Carrier

FEED_SIZE = 30


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries say what they are: the editors' plain text (a summary or a
    change note), sent as `type="text"`. Django's Atom1Feed labels every summary `type="html"`,
    so a feed reader would parse "<b>" typed by an editor as markup (RFC 4287, 3.1.1)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class RecentGuidesFeed(Feed):
    feed_type = PlainTextAtomFeed

    def author_name(self):
        # RFC 4287, 4.1.1: a feed names an author unless every entry does.
        return str(settings.SITE_NAME)

    def title(self):
        return _("Recently updated guides")

    def subtitle(self):
        return _("SIM and eSIM guides, newly published or updated.")

    def link(self):
        return reverse("procedures:guide_list")

    def items(self):
        return selectors.listed_guides().order_by("-live_from")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.change_note or item.summary

    def item_updateddate(self, item):
        return item.live_from

    def item_pubdate(self, item):
        return item.live_from


class CarrierGuidesFeed(RecentGuidesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Carrier, slug=slug)

    def title(self, carrier):
        return _("Recently updated guides: %(carrier)s") % {"carrier": carrier.name}

    def link(self, carrier):
        return carrier.get_absolute_url()

    def items(self, carrier):
        # The carrier's own guides and those for every operator of its region (as its page).
        mine = Q(carrier=carrier) | Q(carrier=None, region_id=carrier.region_id)
        if not carrier.is_active:
            mine = Q(carrier=carrier)
        return selectors.listed_guides().filter(mine).order_by("-live_from")[:FEED_SIZE]
