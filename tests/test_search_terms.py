"""The search-terms report: editors see what readers search for and do not find, per language,
as counts only (issue 14)."""

import datetime
from urllib.parse import quote

import pytest
import time_machine
from django.contrib.auth.models import Group

from procedures.models import SearchTerm
from procedures.search import terms

from .factories import ProcedureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _counted_at_once(settings):
    settings.KB_SEARCH_TERMS_FLUSH_SECONDS = 0
    terms._tally.clear()


def search(client, language, query, **params):
    response = client.get(f"/{language}/guides/", {"q": query, **params})
    assert response.status_code == 200
    assert terms.RESULTS_HEADER not in response  # never sent to readers
    return response


def test_searches_are_counted_per_query_and_language_cached_or_not(client):
    ProcedureFactory(title_en="Cancel an eSIM", title_zh_hans="注销 eSIM")
    for _ in range(3):
        search(client, "en", "eSIM")  # the second and third come from the page cache
    search(client, "en", "  ESIM ")
    search(client, "zh-hans", "注销")
    assert {
        (row.language, row.query, row.searches, row.zero_results)
        for row in SearchTerm.objects.all()
    } == {
        ("en", "esim", 4, 0),
        ("zh-hans", "注销", 1, 0),
    }


def test_queries_that_found_nothing_are_counted_as_such(client):
    ProcedureFactory(title_en="Cancel an eSIM")
    search(client, "en", "pocket router")
    search(client, "en", "pocket router")
    search(client, "en", "esim", region="nowhere")  # a bad filter, but the query found guides
    row = SearchTerm.objects.get(query="pocket router")
    assert (row.searches, row.zero_results) == (2, 2)
    assert SearchTerm.objects.get(query="esim").zero_results == 0


def test_no_personal_data_is_kept(client):
    ProcedureFactory(title_en="Cancel an eSIM")
    client.get("/en/guides/", {"q": "esim"}, REMOTE_ADDR="203.0.113.9")
    search(client, "en", "+853 6612 3456")
    search(client, "en", "someone@example.com")
    search(client, "en", "passport E12345678")
    assert list(SearchTerm.objects.values_list("query", flat=True)) == ["esim"]
    columns = {field.name for field in SearchTerm._meta.get_fields()}
    assert columns == {"id", "day", "language", "query", "searches", "zero_results"}


def test_editors_see_top_and_zero_result_queries_of_the_last_30_days(client):
    with time_machine.travel(datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC)):
        ProcedureFactory(title_en="Cancel an eSIM")
        for _ in range(9):
            search(client, "en", "ancient query")  # older than 30 days: left out
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC)):
        search(client, "en", "hotspot router")
    with time_machine.travel(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC)):
        for _ in range(3):
            search(client, "en", "esim")
        search(client, "en", "hotspot router")
        search(client, "zh-hant", "熱點蛋")
        editor = UserFactory(is_staff=True)
        editor.groups.add(Group.objects.get(name="Editor"))
        client.force_login(editor)
        html = client.get("/en/admin/procedures/searchterm/").content.decode()
    assert "What readers search for" in html
    assert "ancient query" not in html
    english = html.split('<h2 lang="en">')[1]
    zero, top = english.split("Most searched")
    assert (
        '<a href="/en/guides/?q=hotspot+router" lang="en">hotspot router</a></td><td>2</td>' in zero
    )
    assert "esim" not in zero
    assert '<a href="/en/guides/?q=esim" lang="en">esim</a></td><td>3</td><td>0</td>' in top
    traditional = html.split('<h2 lang="zh-hant">')[1].split("<h2")[0]
    assert f"/zh-hant/guides/?q={quote('熱點蛋')}" in traditional
