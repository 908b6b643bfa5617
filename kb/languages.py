"""The language switcher and hreflang links: the same page, with the same query string, in every
language the site speaks."""

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.html import format_html_join
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


def language_links(request) -> list[LanguageLink]:
    """This page in each language, with the same query string. Computed once per request (the
    page's <head> and its switcher both use it)."""
    cached = getattr(request, "_language_links", None)
    if cached is not None:
        return cached
    parts = urlsplit(request.get_full_path())
    current = get_language()
    links = []
    for code, name, path in _paths_in_languages(parts.path):
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


def alternate_links(request) -> str:
    """<link rel="alternate" hreflang> for every language, plus x-default."""
    origin = f"{request.scheme}://{request.get_host()}"
    available = getattr(request, "hreflang_languages", None)
    links = [
        link for link in language_links(request) if available is None or link.code in available
    ]
    return format_html_join(
        "\n  ",
        '<link rel="alternate" hreflang="{}" href="{}{}">',
        [(link.html_lang, origin, link.url) for link in links]
        + [("x-default", origin, unprefixed(request.get_full_path()))],
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
