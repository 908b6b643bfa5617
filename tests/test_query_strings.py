"""Links that change one parameter of the page's query (pagination, removing the search) keep
every other parameter as the reader sent it (kb_tags.query_with), for any query string."""

from urllib.parse import urlencode

from django.http import QueryDict
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.templatetags.kb_tags import query_with

keys = st.sampled_from(["q", "page", "region", "sim", "实名", "a b", "x&y"])
values = st.text(max_size=6)
queries = st.lists(st.tuples(keys, values), max_size=6)
changes = st.dictionaries(
    st.sampled_from(["q", "page", "sim"]), st.none() | values | st.integers(1, 99)
)


def reference(query: QueryDict, changed: dict) -> str:
    """What the link held before: a copy of the query, changed, encoded by Django."""
    copied = query.copy()
    for key, value in changed.items():
        if value is None:
            copied.pop(key, None)
        else:
            copied[key] = value
    encoded = copied.urlencode()
    return "?" + encoded if encoded else "?"


@settings(max_examples=300, deadline=None)
@given(queries, changes)
def test_a_changed_link_keeps_the_rest_of_the_query(pairs, changed):
    request = RequestFactory().get("/en/guides/?" + urlencode(pairs))
    assert query_with({"request": request}, **changed) == reference(request.GET, changed)
