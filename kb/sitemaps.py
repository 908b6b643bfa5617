from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from procedures.models import Carrier, Publication, Region


class TranslatedSitemap(Sitemap):
    """Every page once per language, each entry listing its translations (hreflang)."""

    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(TranslatedSitemap):
    def items(self):
        return ["home", "procedures:guide_list"]

    def location(self, item):
        return reverse(item)


class GuideSitemap(TranslatedSitemap):
    def items(self):
        return Publication.objects.live().order_by("slug")

    def lastmod(self, item):
        return item.live_from

    def get_languages_for_item(self, item):
        # A language the guide only shows as a fallback or a machine conversion is left out.
        return item.language_codes


class CarrierSitemap(TranslatedSitemap):
    def items(self):
        return Carrier.objects.order_by("pk")


class RegionSitemap(TranslatedSitemap):
    def items(self):
        return Region.objects.order_by("pk")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "guides": GuideSitemap,
    "carriers": CarrierSitemap,
    "regions": RegionSitemap,
}
