"""The public guide filters: what readers can choose, validated and shown as a form. Choices for
regions, carriers and documents are handed in by the selector (already loaded), so validating
and rendering the form costs no query. The guide index (listing.py) applies the chosen values."""

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kb.languages import html_lang
from procedures.models import Channel, Procedure, Publication, SimType
from procedures.translations.reading import Text, field_text, seen_marked

MAX_QUERY_LENGTH = 100


def _lang(label) -> str:
    """` lang="…"` for an option or group whose label (a carrier's, region's or document's
    name) is shown in another language than the page's, counted in the page's notice."""
    if isinstance(label, Text) and label.is_marked:
        seen_marked(label)
        return format_html(' lang="{}"', html_lang(label.language))
    return ""


class FastSelect(forms.Select):
    """A <select> rendered in Python. Django renders every <option> through a template, which
    cost more than the rest of the guide list page together; the HTML is the same."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value])}
        parts = [format_html('<select name="{}"{}>', name, flatatt(attrs))]
        for group, options, _index in self.optgroups(name, [value] if value else []):
            if group:
                parts.append(format_html('<optgroup label="{}"{}>', group, _lang(group)))
            for option in options:
                selected = " selected" if str(option["value"]) in chosen else ""
                parts.append(
                    format_html(
                        '<option value="{}"{}{}>{}</option>',
                        option["value"],
                        selected,
                        _lang(option["label"]),
                        option["label"],
                    )
                )
            if group:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped by format_html


class GuideFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), empty_label=_("All regions"), widget=FastSelect
    )
    carrier = django_filters.ChoiceFilter(
        label=_("Carrier"),
        empty_label=_("All carriers"),
        widget=FastSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Procedure"),
        choices=Procedure.Kind.choices,
        empty_label=_("All procedures"),
        widget=FastSelect,
    )
    sim = django_filters.ChoiceFilter(
        label=_("SIM type"),
        choices=SimType.choices,
        empty_label=_("All SIM types"),
        widget=FastSelect,
    )
    channel = django_filters.ChoiceFilter(
        label=_("Where"),
        choices=Channel.choices,
        empty_label=_("Anywhere"),
        widget=FastSelect,
    )
    document = django_filters.ChoiceFilter(
        label=_("Document"),
        empty_label=_("Any document"),
        widget=FastSelect,
    )

    class Meta:
        model = Publication
        fields = ["q", "region", "carrier", "kind", "sim", "channel", "document"]

    def __init__(self, data=None, *, carriers, documents, **kwargs):
        super().__init__(data, **kwargs)
        self.carrier_ids = {carrier.slug: carrier.pk for carrier in carriers}
        self.region_ids = {carrier.region.slug: carrier.region_id for carrier in carriers}
        self.document_slugs = [document.slug for document in documents]
        regions = {}
        for carrier in carriers:
            regions.setdefault(carrier.region, []).append(
                (carrier.slug, field_text(carrier, "name"))
            )
        fields = self.form.fields
        # django-filter adds the "All …" option itself.
        names = {region: field_text(region, "name") for region in regions}
        fields["region"].choices = [(region.slug, names[region]) for region in regions]
        fields["carrier"].choices = [
            (names[region], options) for region, options in regions.items()
        ]
        fields["document"].choices = [
            (document.slug, field_text(document, "name")) for document in documents
        ]
