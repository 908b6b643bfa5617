"""Publishing renders: a guide's page body and its card, once per language, stored with the
publication, so a reader's request only puts stored HTML into the page.

A stored rendering is only used while it matches the code that made it (`RENDER_STAMP`: the
templates, the interface translations and the snapshot format); after a deploy that changes any
of them, pages are rendered live until `manage.py rerender` (or the next publish) stores them
again. Nothing a reader sees can be older than the code serving it.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.utils import translation

from .snapshots import LANGUAGE_CODES, SNAPSHOT_FORMAT

BODY_TEMPLATE = "procedures/includes/guide_body.html"
CARD_TEMPLATE = "includes/guide_card.html"
_TEMPLATES = [BODY_TEMPLATE, CARD_TEMPLATE, "includes/requirement_badge.html"]


@cache
def render_stamp() -> str:
    digest = hashlib.sha256(f"format {SNAPSHOT_FORMAT}".encode())
    for name in _TEMPLATES:
        digest.update(Path(get_template(name).origin.name).read_bytes())
    for catalogue in sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.mo")):
        digest.update(catalogue.read_bytes())
    return digest.hexdigest()[:16]


def render_body(guide) -> str:
    """The body of a guide page (a snapshots.GuideView) in the active language."""
    return render_to_string(BODY_TEMPLATE, {"guide": guide})


def render_card(guide) -> str:
    return render_to_string(CARD_TEMPLATE, {"guide": guide})


def render_all_languages(render, make_guide) -> dict[str, str]:
    """{language: html}. `make_guide()` gives a fresh object per language (views cache their
    texts in the language they were first read in)."""
    rendered = {}
    for code in LANGUAGE_CODES:
        with translation.override(code):
            rendered[code] = render(make_guide())
    return rendered
