"""Atom feeds of recently published guides, per language (the URL's) and per carrier."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from kb.languages import html_lang
from procedures.models import Carrier
from procedures.public import cards
from procedures.translations.reading import Text, field_text, plain

FEED_SIZE = 30


# Characters XML 1.0 cannot carry (C0 controls but tab, newline and return; two non-characters).
# A text from an import or a paste may hold one; the feed must still be well formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries say what they are: the editors' plain text (a summary or a
    change note), sent as `type="text"`. Django's Atom1Feed labels every summary `type="html"`,
    so a feed reader would parse "<b>" typed by an editor as markup (RFC 4287, 3.1.1).


    An entry's title or summary shown in another language than the feed's carries its real
    language (`xml:lang`, RFC 4287, 2), as the same text on a page carries `lang`."""

    def add_item(self, **kwargs):
        clean = {k: _NOT_XML.sub("", v) if isinstance(v, str) else v for k, v in kwargs.items()}
        super().add_item(**clean)

    def add_item_elements(self, handler, item):
        title_lang = {"xml:lang": item["title_lang"]} if item.get("title_lang") else {}
        super().add_item_elements(
            _TitleAttributes(handler, title_lang), {**item, "description": None}
        )
        if item["description"] is not None:
            summary_lang = {"xml:lang": item["summary_lang"]} if item.get("summary_lang") else {}
            handler.addQuickElement(
                "summary", item["description"], {"type": "text", **summary_lang}
            )


class _TitleAttributes:
    """The feed writer, adding `attributes` to the entry's <title> that Atom1Feed writes."""

    def __init__(self, handler, attributes: dict):
        self._handler, self._attributes = handler, attributes

    def addQuickElement(self, name, contents=None, attrs=None):  # noqa: N802 - Django's name
        if name == "title":
            attrs = {**(attrs or {}), **self._attributes}
        self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name):
        return getattr(self._handler, name)


def _lang(text: Text) -> str | None:
    return html_lang(text.language) if text.is_fallback else None


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
        return cards.listed_guides().order_by("-live_from")[:FEED_SIZE]

    def item_title(self, item):
        return plain(field_text(item, "title"))

    def _description(self, item) -> Text:
        change_note = field_text(item, "change_note")
        return change_note if change_note else field_text(item, "summary")

    def item_description(self, item):
        return plain(self._description(item))

    def item_extra_kwargs(self, item):
        return {
            "title_lang": _lang(field_text(item, "title")),
            "summary_lang": _lang(self._description(item)),
        }

    def item_updateddate(self, item):
        return item.live_from

    def item_pubdate(self, item):
        return item.live_from


class CarrierGuidesFeed(RecentGuidesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Carrier, slug=slug)

    def title(self, carrier):
        return _("Recently updated guides: %(carrier)s") % {
            "carrier": plain(field_text(carrier, "name"))
        }

    def link(self, carrier):
        return carrier.get_absolute_url()

    def items(self, carrier):
        # The carrier's own guides and those for every operator of its region (as its page).
        mine = Q(carrier=carrier) | Q(carrier=None, region_id=carrier.region_id)
        if not carrier.is_active:
            mine = Q(carrier=carrier)
        return cards.listed_guides().filter(mine).order_by("-live_from")[:FEED_SIZE]
