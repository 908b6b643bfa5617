"""Publishing renders: a guide's page body and its card, once per language, stored with the
publication, so a reader's request only puts stored HTML into the page.

A stored rendering is only used while it matches the code that made it (`RENDER_STAMP`: the
templates, the interface translations and the snapshot format); after a deploy that changes any
of them, pages are rendered live until `manage.py rerender` (or the next publish) stores them
again. Nothing a reader sees can be older than the code serving it.
"""

import datetime
import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from kb.languages import html_lang
from procedures.publishing.snapshot import SNAPSHOT_FORMAT
from procedures.translations.reading import Seen, seen_marked_in, watching_translations
from procedures.translations.texts import LANGUAGE_CODES

BODY_TEMPLATE = "procedures/includes/guide_body.html"
NOTICE_TEMPLATE = "procedures/includes/translation_notice.html"
CARD_TEMPLATE = "includes/guide_card.html"
_TEMPLATES = [BODY_TEMPLATE, NOTICE_TEMPLATE, CARD_TEMPLATE, "includes/requirement_badge.html"]
# Parts of the stored body kept in their own files (issue 15's reader features).
_TEMPLATES += ["procedures/includes/step_report_link.html"]


@cache
def render_stamp() -> str:
    digest = hashlib.sha256(f"format {SNAPSHOT_FORMAT}".encode())
    for name in _TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    for catalogue in sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.mo")):
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]


def _notice(shown: Seen, **context) -> str:
    """The translation notice for what a page showed marked (`shown`), in the active language."""
    language = translation.get_language()
    names = dict(settings.LANGUAGES)
    return render_to_string(
        NOTICE_TEMPLATE,
        {
            "language": names.get(language, language),
            "fallbacks": [names[code] for code in LANGUAGE_CODES if code in shown.fallbacks],
            "auto": shown.auto,
            **context,
        },
    )


def render_body(guide) -> str:
    """The body of a guide page (a snapshots.GuideView) in the active language, opened by a
    notice when parts of it are in another language, converted by machine, or behind."""
    with watching_translations() as shown:
        body = render_to_string(BODY_TEMPLATE, {"guide": guide})
    names = dict(settings.LANGUAGES)
    stale = guide.content.get("translation", {}).get("stale", {}).get(translation.get_language())
    notice = _notice(
        shown,
        whole_page=guide.title.is_fallback,
        stale=stale
        and {
            "code": html_lang(stale["source"]),
            "language": names[stale["source"]],
            "date": datetime.date.fromisoformat(stale["updated"]),
            "url": _url_in(stale["source"], guide.slug),
        },
    )
    return notice + body


# Where base.html puts the notice of a page rendered by `render_page`: the notice can only be
# written once the page knows what it showed marked.
NOTICE_SLOT = "<!-- kb:translation-notice -->"


def render_page(request, template_name: str, context: dict) -> HttpResponse:
    """A reader's page (home, lists, carrier and region pages) whose texts typed by editors are
    shown with `field_text`/`marked`, opened by a notice naming exactly the languages marked on
    it and whether anything on it was converted by machine. Takes what `render()` takes;
    returns the response."""
    with watching_translations() as shown:
        html = render_to_string(
            template_name,
            {**context, "translation_notice": mark_safe(NOTICE_SLOT)},  # noqa: S308 - a constant
            request,
        )
    # Nothing shown in another language or converted: the notice is empty, not rendered.
    notice = _notice(shown, page=True) if shown.fallbacks or shown.auto else ""
    return HttpResponse(html.replace(NOTICE_SLOT, notice, 1))


def _url_in(language: str, slug: str) -> str:
    with translation.override(language):
        return reverse("procedures:guide_detail", kwargs={"slug": slug})


def render_card(guide) -> str:
    """A guide's card in lists (a Publication), in the active language."""
    return render_to_string(CARD_TEMPLATE, {"guide": guide})


def stored_or_live(publication, stored, render) -> str:
    """The one rule for every stored rendering of a publication: `stored()` (its body or card in
    the active language, read only then) is used while it was made by this code (templates,
    translations and snapshot format: `render_stamp`), else `render()` now. Marked texts in a
    stored rendering count in the notice of the page showing it, as if rendered now."""
    if publication.rendered_stamp == render_stamp():
        html = stored()
        if html:
            seen_marked_in(html)
            return html
    return render()


class Card:
    """A publication's card for a template, `{{ guide.card }}`: the stored rendering while it
    matches this code (its marked texts still count in the notice of the page it is on), else
    rendered now. Rendered only when shown, inside the page's `watching_translations`."""

    def __init__(self, publication):
        self.publication = publication

    def __html__(self) -> SafeString:
        publication = self.publication
        html = stored_or_live(
            publication, lambda: publication.page.rendered_card, lambda: render_card(publication)
        )
        return mark_safe(html)  # noqa: S308 - rendered from a template, now or when publishing

    __str__ = __html__


class StoredCard:
    """A card whose stored rendering (in the active language, made by this code: the caller
    checked `render_stamp`) was read without loading the publication. Its marked texts count
    in the notice of the page showing it, as a `Card`'s do."""

    def __init__(self, html: str):
        self.html = html

    def __html__(self) -> SafeString:
        seen_marked_in(self.html)
        return mark_safe(self.html)  # noqa: S308 - rendered from a template when publishing

    __str__ = __html__


def render_all_languages(render, make_guide) -> dict[str, str]:
    """{language: html}. `make_guide()` gives a fresh object per language (views cache their
    texts in the language they were first read in)."""
    rendered = {}
    for code in LANGUAGE_CODES:
        with translation.override(code):
            rendered[code] = render(make_guide())
    return rendered
