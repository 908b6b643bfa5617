"""Template helpers of the reader's pages' navigation: the active filters of the guide list as
removable chips, and breadcrumbs as structured data (schema.org BreadcrumbList)."""

import json

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def active_filters(context, form) -> list[dict]:
    """The filters a reader chose on the guide list, as chips.

    Takes the list's bound filter form; returns one dict per valid, non-empty choice, in the
    form's order: `name` (the parameter), `label` (the field's label), `value` (what was chosen,
    as the reader reads it, without its count) and `remove_url` (the current query without this
    parameter nor the page number). The search query is not a filter here (the page shows it
    on its own); values that did not validate are left out: the form reports them."""
    request = context["request"]
    cleaned = getattr(form, "cleaned_data", None) or {}
    chips = []
    for name, field in form.fields.items():
        value = cleaned.get(name)
        if name == "q" or value in (None, "") or name in form.errors:
            continue
        shown = str(value)
        for choice, label in _flat_choices(getattr(field, "choices", ())):
            if str(choice) == str(value):
                shown = str(label)
                break
        query = request.GET.copy()
        query.pop(name, None)
        query.pop("page", None)
        encoded = query.urlencode()
        chips.append(
            {
                "name": name,
                "label": field.label,
                "value": shown,
                "remove_url": request.path + ("?" + encoded if encoded else ""),
            }
        )
    return chips


def _flat_choices(choices):
    for choice, label in choices:
        if isinstance(label, (list, tuple)):  # an optgroup: carriers under their region
            yield from label
        else:
            yield choice, label


@register.simple_tag(takes_context=True)
def breadcrumb_data(context, *parts) -> str:
    """A <script type="application/ld+json"> block describing the breadcrumbs `parts` (name,
    url, name, url, …; the last pair is the page itself) as a schema.org BreadcrumbList.

    A data block is never executed, so the Content Security Policy (script-src 'self') does not
    apply to it. Addresses are made absolute from the request when there is one; the guide
    body, rendered when publishing without a request, keeps them relative to the site, which
    structured-data readers resolve against the page's address."""
    request = context.get("request")
    items = []
    crumbs = zip(parts[::2], parts[1::2], strict=True)
    for position, (name, url) in enumerate(crumbs, start=1):
        address = request.build_absolute_uri(url) if request is not None else str(url)
        items.append(
            {"@type": "ListItem", "position": position, "name": str(name), "item": address}
        )
    data = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
    # Escaped so that no text typed by an editor can close the script element.
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
