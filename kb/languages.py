"""The language switcher and hreflang links: the same page, with the same query string, in every
language the site speaks."""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, override

# BCP 47 tags for <html lang> and hreflang (Django's codes are lower case).
HTML_LANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}


def html_lang(code: str | None = None) -> str:
    code = code or get_language()
    return HTML_LANG.get(code, code)


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    html_lang: str
    is_current: bool


def current_url(request: HttpRequest) -> str:
    """The path and query string of this request, rebuilt from what Django decoded.

    Every link made from the current request starts here, never from `get_full_path()`: a
    client may send the query as raw UTF-8 bytes (`?q=实名`, as scripts and some apps do), which
    a WSGI server hands over decoded as Latin-1; `get_full_path()` would percent-encode those
    Latin-1 characters and the link would search for mojibake. `request.GET` holds the text
    the reader meant, for raw and percent-encoded input alike. Returns e.g. `/en/guides/?q=%E5…`.
    """
    query = request.GET.urlencode()
    return escape_uri_path(request.path) + ("?" + query if query else "")


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """This page in each language, with the same query string. Computed once per request (the
    page's <head> and its switcher both use it)."""
    cached = getattr(request, "_language_links", None)
    if cached is not None:
        return cached
    parts = urlsplit(current_url(request))
    current = get_language()
    links = []
    for code, name, path in _paths_in_languages(request.path):
        # A page that does not exist (404) has no translation: its language's home instead.
        url = urlunsplit(parts._replace(path=path)) if path else f"/{code}/"
        links.append(LanguageLink(code, name, url, html_lang(code), code == current))
    request._language_links = links
    return links


@lru_cache(maxsize=4096)
def _paths_in_languages(path: str) -> tuple[tuple[str, str, str | None], ...]:
    """(code, name, path or None) for each language: one resolve and one reverse per language,
    remembered, as the URL patterns do not change while the site runs."""
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    paths = []
    for code, name in settings.LANGUAGES:
        translated = None
        if match is not None:
            try:
                with override(code):
                    translated = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
        paths.append((code, name, translated))
    return tuple(paths)


def alternate_links(request: HttpRequest) -> str:
    """<link rel="canonical">, and <link rel="alternate" hreflang> for every language plus
    x-default, all built from the decoded query (see `current_url`)."""
    origin = f"{request.scheme}://{request.get_host()}"
    available = getattr(request, "hreflang_languages", None)
    everything = language_links(request)
    links = [link for link in everything if available is None or link.code in available]
    current = next((link for link in everything if link.is_current), everything[0])
    canonical = format_html('<link rel="canonical" href="{}{}">\n  ', origin, current.url)
    return canonical + format_html_join(
        "\n  ",
        '<link rel="alternate" hreflang="{}" href="{}{}">',
        [(link.html_lang, origin, link.url) for link in links]
        + [("x-default", origin, unprefixed(current_url(request)))],
    )


def unprefixed(url: str) -> str:
    """The URL without its language prefix: LocaleMiddleware redirects it to the reader's own
    language, which is what `x-default` asks for."""
    parts = urlsplit(url)
    path = parts.path
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            path = "/" + path[len(prefix) :]
            break
    return urlunsplit(parts._replace(path=path))
