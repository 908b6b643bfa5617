"""Editors write step bodies, notes and answers in Markdown; readers get sanitised HTML."""

import threading
from functools import lru_cache

import markdown
import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "kbd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Editors write "[unverified]" after a fact they could not confirm in an official source; readers
# see a visible label in their language (added by the `markdown` template filter).
UNVERIFIED_MARK = "[unverified]"


_local = threading.local()


def _converter() -> markdown.Markdown:
    """One Markdown converter per thread: building one costs more than converting a step."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=["sane_lists", "tables"], output_format="html"
        )
    return converter


@lru_cache(maxsize=8192)
def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show: raw HTML typed by an editor is escaped or dropped,
    and only plain links survive. Pure function of its input, so it is cached per process."""
    if not text:
        return ""
    html = _converter().reset().convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def markdown_for_readers(text: str) -> SafeString:
    """Rendered Markdown with "[unverified]" shown as a label in the reader's language."""
    html = render_markdown(text or "")
    if UNVERIFIED_MARK in html:
        label = format_html('<span class="badge badge-unverified">{}</span>', gettext("unverified"))
        html = html.replace(UNVERIFIED_MARK, label)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3, label escaped by format_html
