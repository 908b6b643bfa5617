"""The public guide filters, over live publications. Choices for regions, carriers and documents
are handed in by the selector (already loaded), so validating and rendering the form costs no
query, and filtering needs no join."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Procedure, Publication, SimType

SIM_TYPE_FIELDS = {
    SimType.ESIM: "for_esim",
    SimType.PHYSICAL: "for_physical_sim",
    SimType.DATA_ONLY: "for_data_only_sim",
}
MAX_QUERY_LENGTH = 100


class GuideFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), method="filter_region", empty_label=_("All regions")
    )
    carrier = django_filters.ChoiceFilter(
        label=_("Carrier"), method="filter_carrier", empty_label=_("All carriers")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Procedure"), choices=Procedure.Kind.choices, empty_label=_("All procedures")
    )
    sim = django_filters.ChoiceFilter(
        label=_("SIM type"),
        choices=SimType.choices,
        method="filter_sim",
        empty_label=_("All SIM types"),
    )
    channel = django_filters.ChoiceFilter(
        label=_("Where"),
        choices=Channel.choices,
        method="filter_channel",
        empty_label=_("Anywhere"),
    )
    document = django_filters.ChoiceFilter(
        label=_("Document"), method="filter_document", empty_label=_("Any document")
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
            regions.setdefault(carrier.region, []).append((carrier.slug, carrier.name))
        fields = self.form.fields
        # django-filter adds the "All …" option itself.
        fields["region"].choices = [(region.slug, region.name) for region in regions]
        fields["carrier"].choices = [(region.name, options) for region, options in regions.items()]
        fields["document"].choices = [(document.slug, document.name) for document in documents]

    def filter_text(self, queryset, name, value):
        # search_text holds titles, summaries and carrier names in every language, lower case.
        for word in value.lower().split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(region_id=self.region_ids[value])

    def filter_carrier(self, queryset, name, value):
        return queryset.filter(carrier_id=self.carrier_ids[value])

    def filter_sim(self, queryset, name, value):
        return queryset.filter(**{SIM_TYPE_FIELDS[value]: True})

    def filter_channel(self, queryset, name, value):
        return queryset.filter(channels__contains=f"|{value}|")

    def filter_document(self, queryset, name, value):
        return queryset.filter(document_slugs__contains=f"|{value}|")
