"""The guide list: filters that combine, counts on every option, shareable URLs, pagination,
and bad input that never breaks the page."""

import re

import pytest
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils import translation
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from procedures.models import Procedure
from procedures.public import selectors
from procedures.public.filters import attributes
from procedures.templatetags import reader_tags

from .factories import (
    CarrierFactory,
    DocumentFactory,
    ProcedureDocumentFactory,
    ProcedureFactory,
    RegionFactory,
    StepFactory,
    publish,
)
from .reading import cards

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    return {title for _slug, title in cards(response)}


@pytest.fixture
def catalogue():
    macau = RegionFactory(slug="macau", name_en="Macao")
    hong_kong = RegionFactory(slug="hong-kong", name_en="Hong Kong")
    ctm = CarrierFactory(slug="ctm", region=macau, name_en="CTM")
    three = CarrierFactory(slug="three-macau", region=macau, name_en="3 Macau")
    cmhk = CarrierFactory(slug="cmhk", region=hong_kong, name_en="CMHK")
    passport = DocumentFactory(slug="passport", name_en="Passport")

    ctm_register = ProcedureFactory(carrier=ctm, title_en="CTM register", for_esim=True)
    ctm_cancel = ProcedureFactory(
        carrier=ctm, title_en="CTM cancel", kind=Procedure.Kind.CANCELLATION, for_esim=False,
        for_physical_sim=True,
    )  # fmt: skip
    three_register = ProcedureFactory(carrier=three, title_en="3 register", for_esim=True)
    cmhk_register = ProcedureFactory(carrier=cmhk, title_en="CMHK register", for_esim=False)
    ProcedureFactory(carrier=ctm, title_en="CTM draft", status=Procedure.Status.DRAFT)

    StepFactory(procedure=ctm_register, channel="store")
    StepFactory(procedure=ctm_register, channel="website")
    StepFactory(procedure=ctm_cancel, channel="store")
    StepFactory(procedure=three_register, channel="website")
    ProcedureDocumentFactory(procedure=ctm_register, document=passport)
    ProcedureDocumentFactory(procedure=cmhk_register, document=passport)
    for guide in (ctm_register, ctm_cancel, three_register, cmhk_register):
        publish(guide)
    return locals()


def test_lists_published_guides_only(client, catalogue):
    response = client.get("/en/guides/")
    assert titles(response) == {"CTM register", "CTM cancel", "3 register", "CMHK register"}
    assert "4 guides found" in response.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("region=macau", {"CTM register", "CTM cancel", "3 register"}),
        ("carrier=ctm", {"CTM register", "CTM cancel"}),
        ("kind=cancellation", {"CTM cancel"}),
        ("sim=esim", {"CTM register", "3 register"}),
        ("sim=physical", {"CTM cancel"}),
        ("channel=store", {"CTM register", "CTM cancel"}),
        ("document=passport", {"CTM register", "CMHK register"}),
        ("q=cmhk", {"CMHK register"}),
        ("q=CTM register", {"CTM register"}),
        ("region=macau&sim=esim&channel=website", {"CTM register", "3 register"}),
        ("region=hong-kong&kind=cancellation", set()),
    ],
)
def test_filters_combine(client, catalogue, query, expected):
    assert titles(client.get(f"/en/guides/?{query}")) == expected


def test_search_finds_text_in_any_language(client, catalogue):
    guide = catalogue["cmhk_register"]
    guide.title_zh_hant = "中國移動香港實名登記"
    guide.save()
    publish(guide)
    # The others say "register" in English only, a synonym: found, but below.
    found = cards(client.get("/en/guides/?q=實名登記"))
    assert found[0][1] == "CMHK register"


def test_each_option_shows_how_many_guides_it_gives(client, catalogue):
    html = client.get("/en/guides/?region=macau").content.decode()
    # Region counts leave the region filter out, so the alternatives stay visible.
    assert '<option value="macau" selected>Macao (3)</option>' in html
    assert '<option value="hong-kong">Hong Kong (1)</option>' in html
    # Other filters count within Macau.
    assert '<option value="ctm">CTM (2)</option>' in html
    assert '<option value="three-macau">3 Macau (1)</option>' in html
    assert '<option value="real-name">Real-name registration (2)</option>' in html
    assert '<option value="store">In a store (2)</option>' in html
    assert '<option value="passport">Passport (1)</option>' in html
    # An option that would give nothing is not offered.
    assert 'value="cmhk"' not in html


def test_options_follow_renamed_carriers_and_new_documents_at_once(client, catalogue):
    """The options are read once per guide index (not per page); every change to carriers,
    regions or documents makes a new one, in every language."""
    assert '<option value="ctm">CTM (2)</option>' in client.get("/en/guides/").content.decode()
    ctm = catalogue["ctm"]
    ctm.name_en = "CTM Macau"
    ctm.save()
    catalogue["macau"].name_en = "Macau SAR"
    catalogue["macau"].save()
    DocumentFactory(slug="resident-id", name_en="Resident ID")
    html = client.get("/en/guides/").content.decode()
    assert '<option value="ctm">CTM Macau (2)</option>' in html
    assert '<optgroup label="Macau SAR">' in html
    # A document no live guide asks for gives no guide: not offered, but valid when typed.
    assert 'value="resident-id"' not in html
    html = client.get("/en/guides/?document=resident-id").content.decode()
    assert '<option value="resident-id" selected>Resident ID (0)</option>' in html
    assert "0 guides found" in html


def test_carriers_are_grouped_by_region(client, catalogue):
    html = client.get("/en/guides/").content.decode()
    assert '<optgroup label="Macao">' in html and '<optgroup label="Hong Kong">' in html


def test_unknown_filter_value_shows_the_error_and_keeps_the_other_filters(client, catalogue):
    response = client.get("/en/guides/?region=atlantis&carrier=ctm")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some filters could not be used and were ignored" in html
    assert "Select a valid choice. atlantis is not one of the available choices." in html
    assert titles(response) == {"CTM register", "CTM cancel"}


def test_a_refused_filter_is_described_by_its_error(client, catalogue):
    # A screen reader on the select reads why its value was refused: the element the select
    # names in aria-describedby exists and holds the error.
    html = client.get("/en/guides/?region=atlantis").content.decode()
    select = re.search(r'<select name="region"[^>]*>', html).group()
    described_by = re.search(r'aria-describedby="([^"]+)"', select).group(1)
    assert 'aria-invalid="true"' in select
    error = re.search(rf'<p class="field-error" id="{described_by}">(.*?)</p>', html)
    assert error is not None, described_by
    assert "atlantis is not one of the available choices" in error.group(1)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "region=macau&carrier=ctm&kind=real-name&sim=esim&channel=online&document=passport",
        "q=%3Cb%3E%22x%22%26y&region=atlantis&sim=none",
        "carrier=three-macau&q=%E5%AE%9E%E5%90%8D",
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_filter_fields_show_what_djangos_bound_fields_show(catalogue, language, query):
    """Plain fields are rendered without Django's BoundField (reader_tags._field_html): the
    markup must be what the BoundField would give, values, selected options, counts, errors
    and escaping included."""
    with translation.override(language):
        form = selectors.guide_list(params=QueryDict(query)).form
        fast = reader_tags.filter_fields(form)
        slow = "".join(reader_tags._bound_field_html(form[name]) for name in form.fields)
    assert fast == slow
    assert fast.count('<div class="field') == 7


@pytest.mark.parametrize(
    "language, message",
    [
        ("zh-hans", "选择一个有效的选项。 atlantis 不在可用的选项中。"),
        ("zh-hant", "請選擇有效的選項, atlantis 不是一個可用的選項。"),
    ],
)
def test_filter_errors_are_translated(client, catalogue, language, message):
    html = client.get(f"/{language}/guides/?region=atlantis").content.decode()
    assert message in html


def test_overlong_search_is_refused_politely(client, catalogue):
    response = client.get("/en/guides/?q=" + "x" * 500)
    assert response.status_code == 200
    assert "Ensure this value has at most 100 characters" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["kind=", "region=&carrier=", "sim=%00", "document=../../etc", "channel=<script>", "q=%25%5F"],
)
def test_odd_input_never_breaks_the_page(client, catalogue, query):
    response = client.get(f"/en/guides/?{query}")
    assert response.status_code == 200
    assert (
        "<script>"
        not in response.content.decode().split('id="results-heading"')[0].split("</header>")[1]
    )


def test_pagination_keeps_the_filters(client, settings, catalogue):
    settings.KB_GUIDES_PER_PAGE = 2
    first = client.get("/en/guides/?region=macau")
    assert len(first.context["result"].page.object_list) == 2
    assert 'href="?region=macau&amp;page=2"' in first.content.decode()
    second = client.get("/en/guides/?region=macau&page=2")
    assert len(second.context["result"].page.object_list) == 1
    assert titles(first) | titles(second) == {"CTM register", "CTM cancel", "3 register"}


def test_too_large_page_number_gives_the_last_page(client, settings, catalogue):
    settings.KB_GUIDES_PER_PAGE = 2
    response = client.get("/en/guides/?page=999")
    assert response.status_code == 200
    assert response.context["result"].page.number == 2


@pytest.mark.parametrize("page", ["abc", "0", "-1", "1e9", "99999999999999999999999"])
def test_nonsense_page_numbers_give_404_or_the_last_page(client, catalogue, page):
    response = client.get(f"/en/guides/?page={page}")
    assert response.status_code in (200, 404)
    if response.status_code == 404:
        assert "Page not found" in response.content.decode()


def test_empty_result_offers_a_way_out(client, catalogue):
    html = client.get("/en/guides/?region=hong-kong&kind=cancellation").content.decode()
    assert "No guide matches all these filters" in html
    assert 'href="/en/guides/">Clear all filters' in html


def test_a_carrier_includes_the_guides_for_every_operator_of_its_region(client, catalogue):
    """Macao + CTM showed only CTM's own guides: the Macau-wide real-name and cancellation
    guides (region set, no carrier) apply to CTM customers too."""
    macau = catalogue["macau"]
    ProcedureFactory(carrier=None, region=macau, title_en="Macau rules")
    ProcedureFactory(carrier=None, region=catalogue["hong_kong"], title_en="HK rules")
    ProcedureFactory(carrier=None, region=None, title_en="eSIM basics")

    expected = {"CTM register", "CTM cancel", "Macau rules"}
    assert titles(client.get("/en/guides/?region=macau&carrier=ctm")) == expected
    assert titles(client.get("/en/guides/?carrier=ctm")) == expected
    assert "3 guides found" in client.get("/en/guides/?carrier=ctm").content.decode()
    listing = client.get("/en/guides/?region=macau").content.decode()
    assert '<option value="ctm">CTM (3)</option>' in listing
    assert '<option value="three-macau">3 Macau (2)</option>' in listing
    assert '<option value="cmhk">CMHK (2)</option>' in client.get("/en/guides/").content.decode()

    carrier_page = client.get("/en/carriers/ctm/").content.decode()
    assert "Macau rules" in carrier_page and "HK rules" not in carrier_page
    assert "3 guides" in client.get("/en/").content.decode()
    feed = client.get("/en/feeds/carriers/ctm.atom").content.decode()
    assert "Macau rules" in feed and "HK rules" not in feed


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["id", "name", "aria-invalid", "data-x", "required", "disabled"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.text(max_size=8),
            st.text(max_size=8).map(mark_safe),
        ),
    )
)
def test_filter_attributes_are_written_as_djangos_flatatt_writes_them(attrs):
    assert attributes(attrs) == flatatt(attrs)
