from urllib.parse import quote_plus

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kb.languages import alternate_links as build_alternate_links
from kb.languages import language_links as build_language_links
from kb.languages import unprefixed as strip_language_prefix
from kb.links import web_url
from kb.markdown import markdown_for_readers

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return markdown_for_readers(text)


@register.simple_tag(takes_context=True)
def language_links(context):
    return build_language_links(context["request"])


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """The language switcher's list: this page in each language, with its query string, the
    current one marked. Joined here rather than looped over in base.html (a sixth of the
    template nodes of a list page)."""
    items = []
    for link in build_language_links(context["request"]):
        lang = escape(link.html_lang)
        current = ' aria-current="page"' if link.is_current else ""
        items.append(
            f'<li><a href="{escape(link.url)}" hreflang="{lang}" lang="{lang}"{current}>'
            f"{escape(link.name)}</a></li>"
        )
    return mark_safe("<ul>" + "".join(items) + "</ul>")  # noqa: S308 - every value escaped


@register.simple_tag(takes_context=True)
def alternate_links(context):
    return build_alternate_links(context["request"])


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None removes one): what
    `request.GET.copy()`, setting them and `urlencode()` give (a changed parameter keeps its
    place, a new one comes last), without copying the query."""
    query = context["request"].GET
    pairs = []
    for key, values in query.lists():
        if key not in changes:
            pairs += [(key, value) for value in values]
        elif changes[key] is not None:
            pairs.append((key, changes[key]))
    pairs += [
        (key, value) for key, value in changes.items() if value is not None and key not in query
    ]
    encoding = query.encoding
    encoded = "&".join(
        f"{quote_plus(str(key).encode(encoding))}={quote_plus(str(value).encode(encoding))}"
        for key, value in pairs
    )
    return "?" + encoded if encoded else "?"


@register.filter(name="web_url")
def web_url_filter(url):
    """A stored address if it may be a link (http or https), else "" (see kb/links.py)."""
    return web_url(url)


@register.filter
def unprefixed(url):
    return strip_language_prefix(url)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (0 when absent), e.g. counts by status."""
    return mapping.get(key, 0) if hasattr(mapping, "get") else 0
