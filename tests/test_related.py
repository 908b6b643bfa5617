"""Related guides on a guide page: same kind for the same operator or region first, read only
when the page is rendered (a page served from the page cache costs no query), at a fixed cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures import publishing
from procedures.models import Procedure
from procedures.public.related import RELATED_LIMIT

from .factories import CarrierFactory, ProcedureFactory, RegionFactory

pytestmark = pytest.mark.django_db

KIND = Procedure.Kind


def related_titles(client, guide) -> list[str]:
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    if 'id="related-heading"' not in html:
        return []
    related = html.split('id="related-heading"', 1)[1]
    return [title for title in _titles() if f">{title}<" in related]


def _titles():
    return Procedure.objects.values_list("title_en", flat=True)


@pytest.fixture
def region_guides():
    """Two operators in one region, one in another, with guides of several kinds."""
    region, elsewhere = RegionFactory(), RegionFactory()
    first, second = CarrierFactory(region=region), CarrierFactory(region=region)
    far = CarrierFactory(region=elsewhere)
    make = ProcedureFactory
    return {
        "guide": make(carrier=first, kind=KIND.REAL_NAME, title_en="Register with First"),
        "same_carrier": make(carrier=first, kind=KIND.REAL_NAME, title_en="Register again"),
        "same_region": make(carrier=second, kind=KIND.REAL_NAME, title_en="Register with Second"),
        "region_wide": make(carrier=None, region=region, kind=KIND.REAL_NAME, title_en="All ops"),
        "other_kind": make(carrier=first, kind=KIND.CANCELLATION, title_en="Cancel with First"),
        "other_region_kind": make(carrier=second, kind=KIND.CANCELLATION, title_en="Cancel Second"),
        "far": make(carrier=far, kind=KIND.REAL_NAME, title_en="Register far away"),
    }


def test_a_guide_page_lists_related_guides_best_first(client, region_guides):
    shown = related_titles(client, region_guides["guide"])
    html = client.get(f"/en/guides/{region_guides['guide'].slug}/").content.decode()
    related = html.split('id="related-heading"', 1)[1]
    # Same carrier and kind, then same region and kind, then the carrier's other kinds.
    assert set(shown) == {
        "Register again",
        "Register with Second",
        "All ops",
        "Cancel with First",
    }
    assert related.index("Register again") < related.index("Register with Second")
    assert related.index("All ops") < related.index("Cancel with First")
    # Never itself, never another region, never another operator's other procedures.
    assert "Register with First" not in related
    assert "Register far away" not in shown and "Cancel Second" not in shown


def test_at_most_a_few_related_guides(client):
    carrier = CarrierFactory()
    guides = ProcedureFactory.create_batch(RELATED_LIMIT + 3, carrier=carrier)
    html = client.get(f"/en/guides/{guides[0].slug}/").content.decode()
    related = html.split('id="related-heading"', 1)[1]
    assert related.count('class="card-title"') == RELATED_LIMIT


def test_a_guide_without_relatives_has_no_related_section(client):
    guide = ProcedureFactory()
    html = client.get(f"/en/guides/{guide.slug}/").content.decode()
    assert 'id="related-heading"' not in html


def test_a_withdrawn_related_guide_leaves_the_cached_page(client, region_guides, admin_user):
    """The page carries the cache tags of the guides it lists: withdrawing one renders it again
    without it (the page cache is on in tests)."""
    guide = region_guides["guide"]
    assert "Register again" in related_titles(client, guide)
    publishing.procedure_unpublish(procedure=region_guides["same_carrier"], user=admin_user)
    assert "Register again" not in related_titles(client, guide)


@pytest.mark.parametrize("siblings", [3, 60])
def test_related_guides_cost_the_same_whatever_the_number_of_guides(client, settings, siblings):
    settings.KB_PAGE_CACHE = False
    carrier = CarrierFactory()
    guides = ProcedureFactory.create_batch(siblings, carrier=carrier)
    url = f"/en/guides/{guides[0].slug}/"
    client.get(url)  # the first page a process renders builds its guide index
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200 and 'id="related-heading"' in response.content.decode()
    # The stored page, and the related guides' cards.
    assert len(captured) == 2, [query["sql"][:80] for query in captured]


def test_a_page_from_the_page_cache_reads_no_related_guides(client, settings):
    carrier = CarrierFactory()
    guides = ProcedureFactory.create_batch(3, carrier=carrier)
    url = f"/en/guides/{guides[0].slug}/"
    first = client.get(url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url)
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    assert 'id="related-heading"' in again.content.decode()
    # At most the cache tags' versions; no guide is read.
    read = [query["sql"] for query in captured]
    assert not [sql for sql in read if "procedures_" in sql], read
