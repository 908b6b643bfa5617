"""The language switcher and hreflang links: the same page, with the same query string, in every
language the site speaks."""

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import Resolver404, resolve, translate_url
from django.utils.translation import get_language

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
    full_path = request.get_full_path()
    current = get_language()
    try:
        resolve(urlsplit(full_path).path)
        resolvable = True
    except Resolver404:
        resolvable = False
    links = []
    for code, name in settings.LANGUAGES:
        # A page that does not exist (404) has no translation: offer each language's home.
        url = translate_url(full_path, code) if resolvable else f"/{code}/"
        links.append(LanguageLink(code, name, url, html_lang(code), code == current))
    return links


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
