"""The public guide filters: what readers can choose, validated and shown as a form. Choices for
regions, carriers and documents are handed in by the selector (already loaded), so validating
and rendering the form costs no query. The guide index (listing.py) applies the chosen values."""

import copy
import html
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kb.languages import html_lang
from procedures.models import Channel, Procedure, Publication, SimType
from procedures.translations.reading import Text, field_text, seen_marked

MAX_QUERY_LENGTH = 100


def _marked(label) -> Text | None:
    """The label (a carrier's, region's or document's name) when it is shown in another
    language than the page's, else None."""
    return label if isinstance(label, Text) and label.is_marked else None


def _lang(label) -> str:
    """` lang="…"` for an option or group whose label is shown in another language."""
    marked = _marked(label)
    return format_html(' lang="{}"', html_lang(marked.language)) if marked else ""


@dataclass(frozen=True)
class Option:
    value: str
    plain: str  # '<option value="…" lang="…">label', escaped: the count and "</option>" follow
    selected: str  # the same, chosen: '<option value="…" selected lang="…">label'
    marked: object  # the label when shown in another language (counted in the page's notice)


@dataclass(frozen=True)
class OptionGroup:
    head: str  # '<optgroup label="…" lang="…">', or "" for options outside any group
    label: object
    options: list[Option]


def attributes(attrs: dict) -> str:
    """HTML attributes as Django's flatatt() writes them (name="value" pairs sorted by name,
    then the true boolean ones, False and None left out, values escaped unless marked safe),
    without its per-value formatting: a list page writes eight of these."""
    pairs, flags = [], []
    for name, value in attrs.items():
        if isinstance(value, bool):
            if value:
                flags.append(name)
        elif value is not None:
            pairs.append((name, value))
    return "".join(
        [f' {html.escape(name)}="{_escaped(value)}"' for name, value in sorted(pairs)]
        + [f" {html.escape(name)}" for name in sorted(flags)]
    )


def _escaped(value) -> str:
    """Django's conditional_escape(), without its check for lazy text on every call: HTML as
    it is (marked safe), anything else escaped."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def option_markup(choices) -> list[OptionGroup]:
    """A field's choices as escaped pieces of <option> markup, made once per language and guide
    index (FilterChoices.markup), so that showing a list page only joins strings."""

    def option(value, label) -> Option:
        # Plain str, not SafeString: a page joins these with "+", which SafeString does in
        # Python (about a microsecond an option).
        head = "" + format_html('<option value="{}"', value)
        tail = "" + format_html("{}>{}", _lang(label), label)
        return Option(str(value), head + tail, head + " selected" + tail, _marked(label))

    groups = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            head = format_html('<optgroup label="{}"{}>', value, _lang(value))
            groups.append(OptionGroup(head, value, [option(*choice) for choice in label]))
        else:
            groups.append(OptionGroup("", None, [option(value, label)]))
    return groups


class CountedSelect(forms.Select):
    """A <select> whose options say how many guides each would give ("Macau (3)"), leaving out
    those that give none unless chosen. Rendered in Python from markup made once per language
    (`markup`; Django renders every <option> through a template, which cost more than the rest
    of the list page together); `counts` are set per request. Without counts, every option is
    shown without one."""

    markup: list[OptionGroup] | None = None
    counts: dict | None = None

    def __deepcopy__(self, memo):
        # As ChoiceWidget's (own attributes), sharing the choices, never changed in place.
        copied = object.__new__(type(self))
        copied.__dict__ = self.__dict__.copy()
        copied.attrs = self.attrs.copy()
        memo[id(self)] = copied
        return copied

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = "" if value is None else str(value)
        counts = self.counts
        parts = [f'<select name="{html.escape(name)}"{attributes(attrs)}>']
        for group in self.markup if self.markup is not None else option_markup(self.choices):
            shown = []
            for option in group.options:
                value = option.value
                count = None if counts is None or value == "" else counts.get(value, 0)
                if value == chosen:
                    shown_option = option.selected
                elif count == 0:
                    continue
                else:
                    shown_option = option.plain
                if option.marked is not None:  # counted in the page's translation notice
                    seen_marked(option.marked)
                shown.append(
                    f"{shown_option}</option>"
                    if count is None
                    else f"{shown_option} ({count})</option>"
                )
            if shown and group.head:
                if _marked(group.label):  # counted in the page's translation notice
                    seen_marked(group.label)
                shown = [group.head, *shown, "</optgroup>"]
            parts += shown
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every text escaped by format_html


class SearchInput(forms.SearchInput):
    """Django's `<input type="search">`, rendered in Python: Django renders an input through
    three templates, which cost as much as the rest of the filter form."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        value = self.format_value(value)
        shown = f' value="{_escaped(value)}"' if value is not None else ""
        tag = f'<input type="search" name="{html.escape(name)}"{shown}{attributes(attrs)}>'
        return mark_safe(tag)  # noqa: S308 - every value escaped


class OptionField(django_filters.fields.ChoiceField):
    """A filter's choice field whose copies share its choices. Django copies every field of a
    form for each form, choices deeply (lazy labels and all: half the cost of a list page's
    filters); these are only ever replaced on a form's own field (GuideFilter.__init__),
    never changed in place, so the copy need not own them."""

    def __deepcopy__(self, memo):
        # What forms.Field.__deepcopy__ does (own widget, validators, error messages), with
        # the instance copied by its __dict__: copy.copy() goes through __reduce_ex__, which
        # was most of the cost of a form's fields.
        result = object.__new__(type(self))
        result.__dict__ = self.__dict__.copy()
        memo[id(self)] = result
        result.widget = copy.deepcopy(self.widget, memo)
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class OptionFilter(django_filters.ChoiceFilter):
    """A ChoiceFilter with an OptionField, copied cheaply: django-filter copies every filter
    for each FilterSet, and these hold nothing a request changes but the `model` and
    `parent` it sets again on the copy."""

    field_class = OptionField

    def __deepcopy__(self, memo):
        copied = object.__new__(type(self))  # by __dict__: copy.copy() costs several times more
        copied.__dict__ = self.__dict__.copy()
        copied.extra = dict(self.extra)
        return copied


class GuideFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        max_length=MAX_QUERY_LENGTH,
        widget=SearchInput,
    )
    region = OptionFilter(label=_("Region"), empty_label=_("All regions"), widget=CountedSelect)
    carrier = OptionFilter(
        label=_("Carrier"),
        empty_label=_("All carriers"),
        widget=CountedSelect,
    )
    kind = OptionFilter(
        label=_("Procedure"),
        choices=Procedure.Kind.choices,
        empty_label=_("All procedures"),
        widget=CountedSelect,
    )
    sim = OptionFilter(
        label=_("SIM type"),
        choices=SimType.choices,
        empty_label=_("All SIM types"),
        widget=CountedSelect,
    )
    channel = OptionFilter(
        label=_("Where"),
        choices=Channel.choices,
        empty_label=_("Anywhere"),
        widget=CountedSelect,
    )
    document = OptionFilter(
        label=_("Document"),
        empty_label=_("Any document"),
        widget=CountedSelect,
    )

    class Meta:
        model = Publication
        fields = ["q", "region", "carrier", "kind", "sim", "channel", "document"]

    _form_class = None

    def get_form_class(self):
        """The form class, built once per process (django-filter builds one per request, which
        was a tenth of a list page's cost). Its fields depend on the filters only; the options
        of regions, carriers and documents are set on each form's own copies (`__init__`)."""
        if type(self)._form_class is None:
            type(self)._form_class = super().get_form_class()
        return type(self)._form_class

    def __init__(self, data=None, *, choices: "FilterChoices", **kwargs):
        super().__init__(data, **kwargs)
        self.carrier_ids = choices.carrier_ids
        self.region_ids = choices.region_ids
        self.document_slugs = choices.document_slugs
        fields = self.form.fields
        # django-filter adds the "All …" option itself.
        fields["region"].choices = choices.region
        fields["carrier"].choices = choices.carrier
        fields["document"].choices = choices.document
        for name, form_field in fields.items():
            if isinstance(form_field.widget, CountedSelect):
                if name not in choices.markup:  # once per language and guide index
                    choices.markup[name] = option_markup(form_field.choices)
                form_field.widget.markup = choices.markup[name]

    def show_counts(self, facets: dict[str, dict]) -> None:
        """Show on each filter how many guides each option gives (`facets`: filter → option
        value → count), leaving out options that give none unless chosen."""
        for name, counts in facets.items():
            self.form.fields[name].widget.counts = counts


@dataclass(frozen=True)
class FilterChoices:
    """The options of the region, carrier and document filters in one language, and the ids
    the guide index knows them by. Built once per guide index and language (selectors.py)."""

    carrier_ids: dict[str, int]  # carrier slug → id
    region_ids: dict[str, int]  # region slug → id
    document_slugs: list[str]
    region: list[tuple[str, Text]]  # (slug, name)
    carrier: list[tuple[Text, list[tuple[str, Text]]]]  # (region name, [(slug, name)])
    document: list[tuple[str, Text]]
    markup: dict[str, list] = field(default_factory=dict)  # filter → option_markup(), per language


def filter_choices(carriers, documents) -> FilterChoices:
    """The filter options in the active language. Takes the carriers (with their region, in
    display order) and the documents; regions are those that have a carrier."""
    regions = {}
    for carrier in carriers:
        regions.setdefault(carrier.region, []).append((carrier.slug, field_text(carrier, "name")))
    names = {region: field_text(region, "name") for region in regions}
    return FilterChoices(
        carrier_ids={carrier.slug: carrier.pk for carrier in carriers},
        region_ids={carrier.region.slug: carrier.region_id for carrier in carriers},
        document_slugs=[document.slug for document in documents],
        region=[(region.slug, names[region]) for region in regions],
        carrier=[(names[region], options) for region, options in regions.items()],
        document=[(document.slug, field_text(document, "name")) for document in documents],
    )
