"""Links built from the current request (language switcher, hreflang, canonical, x-default,
pagination) carry the query the reader sent, whether it came percent-encoded or as raw UTF-8."""

import html
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from kb.pagecache import readers

from .factories import ProcedureFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<(?:a|link)\b[^>]*\bhref="([^"]*\?[^"]*)"')
# Characters a raw query cannot carry as text (they delimit or encode the query itself).
RESERVED = "&=#+% "
text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20)


def raw_get(client, path: str, query: str):
    """GET with the query string as raw UTF-8 bytes, as a WSGI server hands them over (the
    environ holds them decoded as Latin-1)."""
    return client.get(path, QUERY_STRING=query.encode().decode("latin-1"))


def values_in_links(page: str, name: str) -> list[list[str]]:
    found = []
    for href in LINK.findall(page):
        query = parse_qs(urlsplit(html.unescape(href)).query, keep_blank_values=True)
        if name in query:
            found.append(query[name])
    return found


@pytest.fixture(autouse=True)
def _note_is_read_by_a_page(monkeypatch):
    # `note` stands for any parameter a page reads (a filter, the search): parameters no page
    # reads are dropped before rendering (kb/pagecache/readers.py), so links would not carry
    # them at all.
    monkeypatch.setattr(readers, "_query_parameters", readers._query_parameters | {"note"})


@pytest.fixture
def two_pages(settings):
    settings.KB_GUIDES_PER_PAGE = 1
    ProcedureFactory.create_batch(2)


def test_a_raw_utf8_search_keeps_its_words_in_every_link(client, two_pages):
    page = raw_get(client, "/zh-hans/guides/", "q=实名&page=1").content.decode()
    links = values_in_links(page, "q")
    # switcher (3), canonical, hreflang (3), x-default
    assert len(links) >= 8
    assert all(values == ["实名"] for values in links), links
    switched = client.get(
        next(html.unescape(href) for href in LINK.findall(page) if href.startswith("/en/guides/"))
    )
    assert 'value="实名"' in switched.content.decode()


@pytest.mark.parametrize("send", ["raw", "percent"])
@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(words=text)
def test_every_link_from_the_request_carries_the_query_as_typed(client, two_pages, send, words):
    if send == "raw":
        words = "".join(c for c in words if c not in RESERVED) or "x"
        response = raw_get(client, "/en/guides/", f"note={words}")
    else:
        response = client.get(f"/en/guides/?note={quote(words, safe='')}")
    assert response.status_code == 200
    links = values_in_links(response.content.decode(), "note")
    # switcher (3), canonical, hreflang (3), x-default, next page
    assert len(links) >= 9
    assert all(values == [words] for values in links), links


def test_a_raw_query_and_its_mojibake_are_different_pages(client, two_pages):
    raw = raw_get(client, "/en/guides/", "q=实名").content.decode()
    mojibake = "实名".encode().decode("latin-1")
    garbled = client.get(f"/en/guides/?q={quote(mojibake)}").content.decode()
    assert 'value="实名"' in raw
    assert 'value="实名"' not in garbled
