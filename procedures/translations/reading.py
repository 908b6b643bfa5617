"""Texts as readers see them: in their language, else converted by machine or in a fallback
language, and marked as such (`lang` attribute and class), so every page can say exactly which
parts are not in the reader's language (`watching_translations`)."""

import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from kb.languages import html_lang
from procedures.translations import conversion
from procedures.translations.texts import LANGUAGE_CODES, text_in


def all_languages(obj, field: str) -> dict[str, str]:
    return {code: text_in(obj, field, code) for code in LANGUAGE_CODES}


def translated_texts(obj, field: str, *, variant: str = "hk", auto=()) -> dict:
    """A translated field of a row in every language, as `pick()` takes them:
    {"zh-hans": …, "zh-hant": …, "en": …, "auto": [codes converted by machine]}.

    A missing Traditional text is converted from the Simplified one with OpenCC in `variant`
    usage ("hk" or "tw") and listed under "auto", with any codes given in `auto` (machine
    conversions nobody reviewed yet)."""
    texts = all_languages(obj, field)
    auto = list(auto)
    if texts["zh-hans"] and not texts["zh-hant"]:
        texts["zh-hant"] = conversion.to_traditional(texts["zh-hans"], variant=variant)
        auto.append("zh-hant")
    if auto:
        texts["auto"] = auto
    return texts


def _variant_of(obj) -> str:
    """The Traditional Chinese usage of the region a row belongs to, when that region is
    already loaded (never a query); Hong Kong / Macau usage otherwise."""
    while obj is not None:
        variant = getattr(obj, "chinese_variant", None)
        if variant:
            return variant
        cached = obj._state.fields_cache
        obj = cached.get("region") or cached.get("carrier")
    return "hk"


def field_text(obj, field: str, language: str | None = None) -> "Text":
    """What a reader sees of a model's translated field (a carrier's name, a region's summary,
    a publication's title…): the text in `language` (default: the active one), else a machine
    conversion (Traditional from Simplified) or a fallback language, as a `Text` that knows
    which. Reading the field itself (`carrier.name`) would give modeltranslation's fallback,
    which does not say it is one."""
    return pick(translated_texts(obj, field, variant=_variant_of(obj)), language)


class Text(str):
    """A text as shown to a reader: in which language it really is, and whether a machine
    converted it (zh-hant made from zh-hans by OpenCC, not reviewed)."""

    language: str
    requested: str
    auto: bool = False

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    @property
    def is_marked(self) -> bool:
        """Shown marked: in another language than the reader's, or converted by machine."""
        return self.is_fallback or self.auto

    def derive(self, value: str) -> "Text":
        """Another string (shortened, with a count…) in the same language as this one."""
        text = Text(value)
        text.language, text.requested, text.auto = self.language, self.requested, self.auto
        return text


@dataclass
class Seen:
    """What a page being rendered showed in another language, or converted by machine."""

    fallbacks: set = field(default_factory=set)
    auto: bool = False


_watching = threading.local()


@contextmanager
def watching_translations():
    """Collect, while rendering, the texts marked on the page: which languages stood in for
    missing ones, and whether any was converted by machine. Only what `marked()` (or
    `seen_marked()`) shows is counted, so a notice built from it describes the page."""
    previous = getattr(_watching, "seen", None)
    _watching.seen = seen = Seen()
    try:
        yield seen
    finally:
        _watching.seen = previous


def seen_marked(text) -> None:
    """Count a text shown marked (with its `lang`) in the notice of the page being rendered."""
    seen = getattr(_watching, "seen", None)
    if seen is not None and isinstance(text, Text) and text.is_marked:
        if text.is_fallback:
            seen.fallbacks.add(text.language)
        seen.auto = seen.auto or text.auto


_MARK = re.compile(r'<(?:span|div) lang="([^"]+)" class="(fallback|auto-converted)">')

_LANGUAGE_OF_TAG = {html_lang(code): code for code in LANGUAGE_CODES}


def seen_marked_in(html: str) -> None:
    """Count the marked texts of a piece of HTML rendered earlier (a guide card stored when
    publishing) in the notice of the page it is put into."""
    seen = getattr(_watching, "seen", None)
    if seen is None or ' lang="' not in html:
        return
    for tag, css in _MARK.findall(html):
        if css == "auto-converted":
            seen.auto = True
        elif tag in _LANGUAGE_OF_TAG:
            seen.fallbacks.add(_LANGUAGE_OF_TAG[tag])


@cache
def _fallback_order(language: str) -> tuple[str, ...]:
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    return (language, *fallbacks.get(language, fallbacks["default"]))


def pick(translations: dict, language: str | None = None) -> Text:
    """The text in the reader's language, else in its fallback languages (settings)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    for code in _fallback_order(language):
        if translations.get(code):
            text = Text(translations[code])
            text.language, text.requested = code, language
            text.auto = code in translations.get("auto", ())
            return text
    text = Text("")
    text.language = text.requested = language
    return text


def marked(text, html=None) -> SafeString:
    """A text for the page, wrapped with its real language when it stands in for another or
    was converted by machine (screen readers then read it right; readers see a mark)."""
    content = html if html is not None else conditional_escape(text)
    if isinstance(text, Text) and text.is_marked:
        seen_marked(text)
        css = "auto-converted" if text.auto else "fallback"
        # Markdown gives blocks (<p>, <ul>), which only a <div> may hold.
        element = "span" if html is None else "div"
        return format_html(
            '<{0} lang="{1}" class="{2}">{3}</{0}>', element, html_lang(text.language), css, content
        )
    return mark_safe(content)  # noqa: S308 - escaped above or already safe


def plain(text) -> str:
    """A text for where no markup can go (<title>, an attribute, a feed): a `Text` in another
    language than the reader's says which ("CTM (English)"), a machine conversion says so.
    Anything else is returned as it is."""
    if not isinstance(text, Text) or not text.is_marked:
        return text
    if text.auto:
        return gettext("%(text)s (converted automatically)") % {"text": text}
    return f"{text} ({dict(settings.LANGUAGES)[text.language]})"
