"""The guide finder: three questions (and a fourth for real-name registration) lead a reader to
the live guide for their case, with what to bring; bad answers are asked again, never a 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures.models import Procedure
from procedures.public.finder import find

from .conftest import LANGUAGES
from .factories import (
    CarrierFactory,
    DocumentFactory,
    ProcedureDocumentFactory,
    ProcedureFactory,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two operators in one region, a region-wide rule, a guide for any phone, and a draft."""
    ctm = CarrierFactory(slug="ctm")
    three = CarrierFactory(slug="three", region=ctm.region)
    region = ctm.region
    region.slug = "macau"
    region.save()
    other = CarrierFactory(slug="elsewhere")
    passport = DocumentFactory(slug="passport")
    resident_id = DocumentFactory(slug="resident-id")
    own = ProcedureFactory(slug="ctm-real-name", carrier=ctm, kind=Procedure.Kind.REAL_NAME)
    ProcedureDocumentFactory(procedure=own, document=passport)
    ProcedureDocumentFactory(procedure=own, document=resident_id)
    publish(own)
    rules = ProcedureFactory(
        slug="macau-rules", carrier=None, region=region, kind=Procedure.Kind.REAL_NAME
    )
    ProcedureDocumentFactory(procedure=rules, document=passport)
    publish(rules)
    anywhere = ProcedureFactory(
        slug="esim-basics", carrier=None, region=None, kind=Procedure.Kind.ESIM_DEVICE
    )
    publish(anywhere)
    draft = ProcedureFactory(
        slug="three-cancel",
        carrier=three,
        kind=Procedure.Kind.CANCELLATION,
        status=Procedure.Status.DRAFT,
    )
    return {"ctm": ctm, "three": three, "other": other, "region": region, "draft": draft}


def slugs(result) -> list[str]:
    return [match.guide.slug for match in result.matches]


def test_questions_come_one_after_another(world):
    assert find({}).question == "region"
    assert find({"region": "macau"}).question == "carrier"
    assert {c.slug for c in find({"region": "macau"}).choices} == {"ctm", "three"}
    assert find({"region": "macau", "carrier": "ctm"}).question == "kind"
    asked = find({"region": "macau", "carrier": "ctm", "kind": "real-name"})
    assert asked.question == "document"
    assert {d.slug for d in asked.choices} == {"passport", "resident-id"}


def test_the_operator_s_own_guide_comes_first_with_its_checklist(world):
    result = find(
        {"region": "macau", "carrier": "ctm", "kind": "real-name", "document": "passport"}
    )
    assert result.question is None
    assert slugs(result) == ["ctm-real-name", "macau-rules"]
    assert [d.slug for d in result.matches[0].documents] == ["passport", "resident-id"]
    assert result.document.slug == "passport"
    assert not result.document_not_listed


def test_a_document_no_guide_lists_still_shows_the_guides_and_says_so(world):
    result = find({"region": "macau", "carrier": "three", "kind": "real-name", "document": "other"})
    assert slugs(result) == ["macau-rules"]  # the region's rule applies to every operator
    assert result.document_not_listed
    result = find(
        {"region": "macau", "carrier": "ctm", "kind": "real-name", "document": "resident-id"}
    )
    assert slugs(result) == ["ctm-real-name"]


def test_guides_for_any_phone_are_found_from_any_region(world):
    result = find({"region": "macau", "carrier": "any", "kind": "esim-device"})
    assert slugs(result) == ["esim-basics"]
    assert result.matches[0].scope == "any"


def test_drafts_are_never_found_and_no_guide_is_not_a_dead_end(client, world):
    result = find({"region": "macau", "carrier": "three", "kind": "cancellation"})
    assert result.question is None and result.matches == []
    response = client.get("/en/finder/?region=macau&carrier=three&kind=cancellation")
    html = response.content.decode()
    assert response.status_code == 200
    assert "No guide for this yet" in html
    assert world["three"].get_absolute_url().replace("/zh-hans/", "/en/") in html
    assert "three-cancel" not in html


@pytest.mark.parametrize(
    "query",
    [
        "region=atlantis",
        "region=macau&carrier=elsewhere",  # another region's operator
        "region=macau&carrier=ctm&kind=teleport",
        "region=macau&carrier=ctm&kind=real-name&document=%00%FF",
        "region=" + "x" * 5000,
        "region=macau&region=atlantis&carrier[]=1",
    ],
)
def test_unknown_answers_are_asked_again_with_a_message(client, world, query):
    response = client.get("/en/finder/?" + query)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert 'class="finder-question"' in html
    if response.status_code == 400:
        assert "There is a problem" in html
        assert "Choose one from the list" in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_finder_speaks_the_reader_s_language(client, world, language):
    marks = {
        "zh-hans": ("你在哪里", "简 指南"),
        "zh-hant": ("你在哪裏", "繁 指南"),
        "en": ("Where are you", "EN Guide"),
    }
    question, title = marks[language]
    first = client.get(f"/{language}/finder/").content.decode()
    assert question in first
    url = f"/{language}/finder/?region=macau&carrier=ctm&kind=real-name&document=passport"
    answer = client.get(url).content.decode()
    assert title in answer
    assert f"/{language}/guides/ctm-real-name/" in answer


def test_the_home_page_links_to_the_finder(client, world):
    assert 'href="/en/finder/"' in client.get("/en/").content.decode()


def test_the_finder_costs_the_same_with_few_or_many_guides(client, world, settings):
    settings.KB_PAGE_CACHE = False
    url = "/en/finder/?region=macau&carrier=ctm&kind=real-name&document=passport"
    client.get(url)  # builds this process's guide index
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(30):
        guide = ProcedureFactory(slug=f"more-{number}", carrier=world["ctm"])
        publish(guide)
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many) <= 4  # regions, carriers, documents, the guides found
