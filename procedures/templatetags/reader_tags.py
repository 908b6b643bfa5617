"""Template helpers of the reader's pages: parts rendered once per language, lists of guide
cards, the guide list's filter fields and active filters (as removable chips), and breadcrumbs
as structured data (schema.org BreadcrumbList)."""

import json
from functools import partial

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from procedures.translations.reading import seen_marked_in

register = template.Library()


class ConstantNode(template.Node):
    """What `{% constant %}` renders: its content, rendered once per language and process."""

    def __init__(self, nodelist):
        self.nodelist = nodelist
        self.rendered: dict[str, SafeString] = {}  # language → html

    def render(self, context):
        language = get_language() or settings.LANGUAGE_CODE
        html = self.rendered.get(language)
        if html is None:
            # Only the site context processor's values are seen, so that nothing of the
            # request can be kept and shown to the next reader.
            fresh = context.new({name: context.get(name) for name in CONSTANT_CONTEXT})
            html = self.rendered[language] = mark_safe(self.nodelist.render(fresh))  # noqa: S308
        seen_marked_in(html)  # a text shown in another language still counts in the notice
        return html


CONSTANT_CONTEXT = ("site_name", "html_lang")  # kb/context_processors.py: the same per language


@register.tag
def constant(parser, token):
    """`{% constant %}…{% endconstant %}`: a part of a page that is the same for every request in
    one language (interface text, `{% url %}` without arguments, `{% static %}`), rendered the
    first time and then reused by the process. It sees only `site_name` and `html_lang`, never
    the request, so it cannot keep anything of one reader's visit; whatever else it names
    renders empty. Templates are compiled once per process (Django's cached loader), so the
    rendering lives as long as the code and its translations do: in development, a changed
    template is compiled again, but a recompiled translation shows in these parts only after
    the server restarts. Django's `{% cache %}` does the same through a cache server,
    which costs more than rendering these parts. Raises TemplateSyntaxError for arguments."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% constant %} takes no arguments.")
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    return ConstantNode(nodelist)


@register.simple_tag
def card_items(guides) -> SafeString:
    """The items of a list of cards: `<li>card</li>` for each of `guides` (objects with a
    `card`, as cards.ListedGuide or a Publication; a search's result also has a `snippet`,
    shown under its card). Joined here rather than looped over in the template, where each
    card cost four template nodes: on a list page of 20 cards that was a third of its time."""
    items = []
    for guide in guides:
        card = conditional_escape(guide.card)
        snippet = getattr(guide, "snippet", None)
        if snippet:
            snippet = conditional_escape(snippet)
            items.append(f'<li class="result">{card}<p class="snippet">{snippet}</p></li>')
        else:
            items.append(f"<li>{card}</li>")
    return mark_safe("".join(items))  # noqa: S308 - cards and snippets are escaped HTML


@register.simple_tag
def filter_fields(form) -> SafeString:
    """The fields of the guide list's filter form (a bound GuideFilter form), each in a
    `<div class="field">` with its label and, when the reader's value was not valid, its
    error, which the field names as its description (so a screen reader reads it). Built
    here rather than in a template loop, which cost more than the rest of the form."""
    return mark_safe("".join(map(partial(_field_html, form), form.fields)))  # noqa: S308


def _field_html(form, name: str) -> str:
    """One field as `filter_fields` shows it. A plain field (valid, optional, without help
    text) is rendered from its label's markup, kept per language, and its widget alone: what
    Django's BoundField would add to it is nothing, and working that out cost more than the
    rest of the filter form (tests/test_guide_list.py compares both ways)."""
    field = form.fields[name]
    widget = field.widget
    plain = (
        form.is_bound
        and form.prefix is None
        and isinstance(form.auto_id, str)
        and "%s" in form.auto_id
        and name not in form.errors
        and field.label is not None
        and not (field.required or field.disabled or field.help_text or field.localize)
        and not widget.is_hidden
        and "id" not in widget.attrs
        and "aria-describedby" not in widget.attrs
    )
    if not plain:
        return _bound_field_html(form[name])
    auto_id = form.auto_id % name
    key = (name, auto_id, get_language())
    head = _FIELD_HEADS.get(key)
    if head is None:
        head = _FIELD_HEADS[key] = "" + format_html(  # plain str: "+" on SafeString is slow
            '<div class="field"><label for="{}">{}</label>',
            widget.id_for_label(auto_id),
            field.label,
        )
    value = widget.value_from_datadict(form.data, form.files, name)
    return head + widget.render(name, value, {"id": auto_id}, form.renderer) + "</div>"


_FIELD_HEADS: dict[tuple[str, str, str], str] = {}  # (field, id, language) → escaped markup


def _bound_field_html(field) -> str:
    error = ""
    if field.errors:
        # The id Django's widget names in its aria-describedby (BoundField.build_widget_attrs).
        error = format_html(
            '<p class="field-error" id="{}_error">{}</p>', field.auto_id, " ".join(field.errors)
        )
    return format_html(
        '<div class="field{}"><label for="{}">{}</label>{}{}</div>',
        " has-error" if field.errors else "",
        field.id_for_label,
        field.label,
        error,
        field,
    )


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
def guide_list_breadcrumb_data(context) -> str:
    """The guide list's breadcrumbs as structured data (`breadcrumb_data`: Home, Guides). The
    same for every request in a language on one site (scheme and host, as Django accepted
    it), so made once per process for each."""
    request = context["request"]
    key = (get_language(), request.scheme, request.get_host())
    html = _LIST_BREADCRUMBS.get(key)
    if html is None:
        if len(_LIST_BREADCRUMBS) >= 64:  # ALLOWED_HOSTS may name all of a domain's hosts
            _LIST_BREADCRUMBS.clear()
        parts = (_("Home"), reverse("home"), _("Guides"), reverse("procedures:guide_list"))
        html = _LIST_BREADCRUMBS[key] = breadcrumb_data({"request": request}, *parts)
    return html


_LIST_BREADCRUMBS: dict[tuple[str, str, str], str] = {}


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
