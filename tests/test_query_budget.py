"""Public pages cost a fixed number of SQL queries, whatever the size of a guide or of the
knowledge base."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kb.pagecache import bump
from procedures.models import Procedure, Publication, Step

from .factories import CarrierFactory, full_guide

pytestmark = pytest.mark.django_db

BUDGET = 10


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    """Budgets are about rendering a page from the database, so the page cache is off here."""
    settings.KB_PAGE_CACHE = False


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_guide_page_costs_the_same_with_3_or_40_steps(client):
    small = full_guide(steps_per_channel=3, channels=("website",))
    large = full_guide(steps_per_channel=20, channels=("website", "store"))
    assert Step.objects.filter(procedure=large).count() == 40

    client.get(f"/en/guides/{small.slug}/")  # builds this process's guide index (related guides)
    small_cost = queries_for(client, f"/en/guides/{small.slug}/")
    large_cost = queries_for(client, f"/en/guides/{large.slug}/")
    # The stored page, in one query; its related guides (none here: tests/test_related.py).
    assert small_cost == large_cost == 1


def _bulk_guides(count: int, carriers, start: int = 0) -> None:
    """Many published guides at once (their publications as readers see them)."""
    procedures = Procedure.objects.bulk_create(
        Procedure(
            slug=f"bulk-{i}",
            carrier=carriers[i % len(carriers)],
            region=carriers[i % len(carriers)].region,
            kind=Procedure.Kind.REAL_NAME,
            for_esim=True,
            title_zh_hans=f"指南 {i}",
            title_en=f"Guide {i}",
            summary_zh_hans="摘要",
            status=Procedure.Status.PUBLISHED,
        )
        for i in range(start, start + count)
    )
    since = timezone.now() - datetime.timedelta(days=1)
    Publication.objects.bulk_create(
        Publication(
            procedure=procedure,
            slug=procedure.slug,
            carrier_id=procedure.carrier_id,
            region_id=procedure.region_id,
            kind=procedure.kind,
            requirement=procedure.requirement,
            for_esim=True,
            channels="|website|",
            title_zh_hans=procedure.title_zh_hans,
            title_en=procedure.title_en,
            summary_zh_hans=procedure.summary_zh_hans,
            search_text=f"{procedure.title_en} {procedure.title_zh_hans}".lower(),
            live_from=since,
        )
        for procedure in procedures
    )
    bump("guides")  # as any import that publishes guides


@pytest.mark.parametrize("url", ["/en/guides/", "/en/guides/?region={region}&sim=esim&q=Guide"])
def test_guide_list_costs_the_same_with_5_or_500_guides(client, url):
    carriers = CarrierFactory.create_batch(3)
    url = url.format(region=carriers[0].region.slug)
    _bulk_guides(5, carriers)
    few = queries_for(client, url)
    _bulk_guides(495, carriers, start=5)
    assert Publication.objects.live().count() == 500
    many = queries_for(client, url)
    assert "500 guides found" in client.get("/en/guides/").content.decode()
    assert few == many <= BUDGET


@pytest.mark.parametrize("path", ["/en/", "/en/carriers/{carrier}/", "/en/regions/{region}/"])
def test_other_pages_have_a_fixed_budget(client, path):
    carriers = CarrierFactory.create_batch(2)
    _bulk_guides(5, carriers)
    url = path.format(carrier=carriers[0].slug, region=carriers[0].region.slug)
    few = queries_for(client, url)
    _bulk_guides(200, carriers, start=5)
    assert queries_for(client, url) == few <= BUDGET


def test_list_pages_read_only_their_cards_and_snippets(client):
    """Filter options (carriers, regions, documents) are read once per guide index, not per
    page: a list page reads its stored cards, a search its cards with the passages of their
    snippets, in the same query."""
    guides = [full_guide(title_en=f"Guide {n}") for n in range(3)]
    region = guides[0].region.slug
    for _ in range(2):  # builds this process's guide index, search index and English options
        client.get("/en/guides/")
        client.get("/en/guides/?q=Guide")
    assert queries_for(client, f"/en/guides/?region={region}") == 1
    assert queries_for(client, "/en/guides/?q=step+body&sim=esim") == 1
    html = client.get("/en/guides/?q=step+body&sim=esim").content.decode()
    assert html.count('<p class="snippet">') == 3  # every result's snippet is still there
