"""Editors write step bodies, notes and answers in Markdown; readers get sanitised HTML."""

import re
import threading
from functools import lru_cache

import markdown
import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "table", "thead", "tbody", "tr", "th", "td", "kbd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Editors write "[unverified]" after a fact they could not confirm in an official source; readers
# see a visible label in their language (added by the `markdown` template filter).
UNVERIFIED_MARK = "[unverified]"


# Device variants inside a text, in Mozilla support's "show for" syntax: `{for iphone}…{/for}`,
# several devices with commas (`{for samsung, pixel}`). Readers pick their phone once and see
# its sections (static/js/variants.js); without JavaScript every section shows, labelled.
DEVICES = {
    "iphone": gettext_lazy("iPhone"),
    "android": gettext_lazy("Android phones"),
    "samsung": gettext_lazy("Samsung Galaxy"),
    "pixel": gettext_lazy("Google Pixel"),
    "other": gettext_lazy("Other phones"),
}
VARIANT_TAG = re.compile(r"\{(?:for\s+([^{}]*?)|(/for))\s*\}", re.IGNORECASE)
# Stand-ins that pass through Markdown and sanitising as a paragraph of their own; editors'
# text cannot hold them (the bracket is changed first), so only a real tag makes a section.
_OPEN, _CLOSE, _BRACKET = "\u27e6kb-for:", "\u27e6kb-end\u27e7", "\u27e6"
_OPENED = re.compile(r"<p>\u27e6kb-for:([a-z ]+)\u27e7</p>")
_LABEL_SLOT = re.compile(r'<div class="device-variant" data-device="([a-z ]+)">')


def _devices(names: str) -> list[str] | None:
    """["samsung", "pixel"] for "samsung, pixel"; None if any name is not a known device."""
    devices = [name.strip().lower() for name in names.split(",") if name.strip()]
    if not devices or any(device not in DEVICES for device in devices):
        return None
    return devices


def _mark_variants(text: str) -> str:
    """Replace well-formed variant tags by stand-ins on lines of their own. A tag naming an
    unknown device stays as typed; a stray `{/for}` is dropped; a section left open is closed
    at the end (device_variant_problems tells editors about each of these)."""
    if "{" not in text:
        return text
    text = text.replace(_BRACKET, "\u27e6\u200b")
    parts, depth, position = [], 0, 0
    for match in VARIANT_TAG.finditer(text):
        parts.append(text[position : match.start()])
        position = match.end()
        if match.group(2):
            if depth:
                parts.append(f"\n\n{_CLOSE}\n\n")
                depth = 0
            continue
        devices = _devices(match.group(1))
        if devices is None:
            parts.append(match.group(0))
            continue
        if depth:
            parts.append(f"\n\n{_CLOSE}\n\n")  # sections do not nest: the open one ends
        parts.append(f"\n\n{_OPEN}{' '.join(devices)}\u27e7\n\n")
        depth = 1
    parts.append(text[position:])
    if depth:
        parts.append(f"\n\n{_CLOSE}\n\n")
    return "".join(parts)


def _variant_sections(html: str) -> str:
    """Stand-ins (now sanitised paragraphs) to the sections' markup."""
    if _BRACKET not in html:
        return html
    html = _OPENED.sub(r'<div class="device-variant" data-device="\1">', html)
    return html.replace(f"<p>{_CLOSE}</p>", "</div>")


def device_variant_problems(text: str) -> list[str]:
    """What is wrong with the device variants in a Markdown text, in the user's language: an
    unknown device, a `{/for}` with no `{for …}`, a section opened inside another or never
    closed. [] when there is nothing to fix. For the checks run before publishing."""
    problems, depth = [], 0
    for match in VARIANT_TAG.finditer(text or ""):
        if match.group(2):
            if not depth:
                problems.append(gettext("“{/for}” closes no “{for …}” section."))
            depth = 0
            continue
        if _devices(match.group(1)) is None:
            problems.append(
                gettext("Unknown device in “%(tag)s”: use %(devices)s.")
                % {"tag": match.group(0), "devices": ", ".join(DEVICES)}
            )
        elif depth:
            problems.append(
                gettext("“%(tag)s” starts inside another section: close it with “{/for}” first.")
                % {"tag": match.group(0)}
            )
        depth = 1
    if depth:
        problems.append(gettext("A “{for …}” section is not closed with “{/for}”."))
    return problems


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
    html = _converter().reset().convert(_mark_variants(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    # After sanitising: the sections' markup is ours, and never built from editors' text.
    return _variant_sections(clean)


def _labelled(match) -> str:
    """A section's opening with its label in the reader's language ("iPhone", "Samsung Galaxy,
    Google Pixel"), shown above it, and the only thing left of it when JavaScript is off."""
    label = ", ".join(str(DEVICES[device]) for device in match.group(1).split())
    return match.group(0) + format_html('<p class="device-variant-label">{}</p>', label)


def markdown_for_readers(text: str) -> SafeString:
    """Rendered Markdown with "[unverified]" shown as a label in the reader's language."""
    html = render_markdown(text or "")
    if 'class="device-variant"' in html:
        html = _LABEL_SLOT.sub(_labelled, html)
    if UNVERIFIED_MARK in html:
        label = format_html('<span class="badge badge-unverified">{}</span>', gettext("unverified"))
        html = html.replace(UNVERIFIED_MARK, label)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3, label escaped by format_html
