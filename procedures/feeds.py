"""Atom feeds of recently published guides, per language (the URL's) and per carrier."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors
from .models import Carrier

FEED_SIZE = 30


class RecentGuidesFeed(Feed):
    feed_type = Atom1Feed

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
        return selectors.listed_guides().filter(carrier=carrier).order_by("-live_from")[:FEED_SIZE]
