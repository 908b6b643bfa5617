from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from kb.languages import language_links as build_language_links
from kb.languages import unprefixed as strip_language_prefix
from kb.markdown import UNVERIFIED_MARK, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    html = render_markdown(text or "")
    if UNVERIFIED_MARK in html:
        label = format_html('<span class="badge badge-unverified">{}</span>', gettext("unverified"))
        html = html.replace(UNVERIFIED_MARK, label)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3, label escaped by format_html


@register.simple_tag(takes_context=True)
def language_links(context):
    return build_language_links(context["request"])


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return "?" + encoded if encoded else "?"


@register.filter
def unprefixed(url):
    return strip_language_prefix(url)
