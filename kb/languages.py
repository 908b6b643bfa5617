"""The language switcher and hreflang links: the same page, with the same query string, in every
language the site speaks."""

from dataclasses import dataclass
from functools import lru_cache
from html import escape  # Django's escape() is this, behind a check for lazy text
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.encoding import escape_uri_path
from django.utils.safestring import SafeString, mark_safe
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
    cached = getattr(request, "_current_url", None)
    if cached is None:
        query = request.GET.urlencode()
        cached = escape_uri_path(request.path) + ("?" + query if query else "")
        request._current_url = cached  # the switcher, the <head> and x-default all use it
    return cached


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """This page in each language, with the same query string. Computed once per request (the
    page's <head> and its switcher both use it)."""
    cached = getattr(request, "_language_links", None)
    if cached is not None:
        return cached
    _path, mark, query = current_url(request).partition("?")
    current = get_language()
    links = []
    for code, name, path in _paths_in_languages(request.path):
        # A page that does not exist (404) has no translation: its language's home instead.
        url = path + mark + query if path else f"/{code}/"
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


def alternate_links(request: HttpRequest) -> SafeString:
    """<link rel="canonical">, and <link rel="alternate" hreflang> for every language plus
    x-default, all built from the decoded query (see `current_url`)."""
    origin = escape(f"{request.scheme}://{request.get_host()}")
    available = getattr(request, "hreflang_languages", None)
    everything = language_links(request)
    current = next((link for link in everything if link.is_current), everything[0])
    links = [f'<link rel="canonical" href="{origin}{escape(current.url)}">']
    for link in everything:
        if available is None or link.code in available:
            hreflang, url = escape(link.html_lang), escape(link.url)
            links.append(f'<link rel="alternate" hreflang="{hreflang}" href="{origin}{url}">')
    default = escape(unprefixed(current_url(request)))
    links.append(f'<link rel="alternate" hreflang="x-default" href="{origin}{default}">')
    return mark_safe("\n  ".join(links))  # noqa: S308 - every value escaped above


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
