"""The public guide filters. Choices for regions, carriers and documents are handed in by the
selector (already loaded), so validating and rendering the form costs no query."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from .models import Channel, Procedure, ProcedureDocument, SimType, Step

SIM_TYPE_FIELDS = {
    SimType.ESIM: "for_esim",
    SimType.PHYSICAL: "for_physical_sim",
    SimType.DATA_ONLY: "for_data_only_sim",
}

SEARCHED_FIELDS = ("title", "summary", "carrier__name")
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
        label=_("Carrier"), field_name="carrier__slug", empty_label=_("All carriers")
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
        model = Procedure
        fields = ["q", "region", "carrier", "kind", "sim", "channel", "document"]

    def __init__(self, data=None, *, carriers, documents, **kwargs):
        super().__init__(data, **kwargs)
        self.document_ids = {document.slug: document.pk for document in documents}
        fields = self.form.fields
        regions = {}
        for carrier in carriers:
            regions.setdefault(carrier.region, []).append((carrier.slug, carrier.name))
        # django-filter adds the "All …" option itself.
        fields["region"].choices = [(region.slug, region.name) for region in regions]
        fields["carrier"].choices = [(region.name, options) for region, options in regions.items()]
        fields["document"].choices = [(document.slug, document.name) for document in documents]

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words:
            match = Q()
            for field in SEARCHED_FIELDS:
                for language in ("zh-hans", "zh-hant", "en"):
                    match |= Q(**{f"{build_localized_fieldname(field, language)}__icontains": word})
            queryset = queryset.filter(match)
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__slug=value)

    def filter_sim(self, queryset, name, value):
        return queryset.filter(**{SIM_TYPE_FIELDS[value]: True})

    def filter_channel(self, queryset, name, value):
        return queryset.filter(Exists(Step.objects.filter(procedure=OuterRef("pk"), channel=value)))

    def filter_document(self, queryset, name, value):
        return queryset.filter(
            Exists(
                ProcedureDocument.objects.filter(
                    procedure=OuterRef("pk"), document_id=self.document_ids[value]
                )
            )
        )
