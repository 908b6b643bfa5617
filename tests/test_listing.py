"""The in-memory guide index behind the lists: the same answers as the database, kept fresh."""

import datetime

import pytest
import time_machine

from procedures import publishing
from procedures.public import listing

from .factories import ProcedureFactory, full_guide
from .reading import cards

pytestmark = pytest.mark.django_db


def titles(client, query):
    response = client.get(f"/en/guides/?{query}")
    return {title for _slug, title in cards(response)}


@pytest.fixture
def no_page_cache(settings):
    settings.KB_PAGE_CACHE = False


def test_words_are_found_in_part_and_in_any_script(client, no_page_cache):
    ProcedureFactory(title_en="Passport registration", title_zh_hans="护照实名登记")
    ProcedureFactory(title_en="Cancel a line", title_zh_hans="注销号码")
    assert titles(client, "q=pass") == {"Passport registration"}
    assert titles(client, "q=REGISTR") == {"Passport registration"}
    assert titles(client, "q=实名") == {"Passport registration"}
    assert titles(client, "q=护") == {"Passport registration"}
    assert titles(client, "q=实名登记") == {"Passport registration"}
    # Words in another order still find it (the phrase ranks first: tests/test_search.py).
    assert titles(client, "q=登记实名") == {"Passport registration"}
    assert titles(client, "q=cancel 号码") == {"Cancel a line"}
    assert titles(client, "q=nothing-like-this") == set()


def test_the_index_follows_publishing_in_any_process(client, no_page_cache):
    first = ProcedureFactory(title_en="First")
    assert titles(client, "") == {"First"}
    # Another process published a guide: the database changed and the tag was bumped there.
    ProcedureFactory(title_en="Second")
    assert titles(client, "") == {"First", "Second"}
    publishing.procedure_unpublish(procedure=first, user=None)
    assert titles(client, "") == {"Second"}


def test_a_scheduled_guide_joins_the_lists_when_its_time_comes(client, no_page_cache):
    start = datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        ProcedureFactory(title_en="Already live")
        later = full_guide(title_en="Coming soon", status="draft")
        publishing.procedure_publish(
            procedure=later, publish_at=start + datetime.timedelta(hours=1)
        )
        assert titles(client, "") == {"Already live"}
    with time_machine.travel(start + datetime.timedelta(hours=1, seconds=1), tick=False):
        assert titles(client, "") == {"Already live", "Coming soon"}


def test_counting_does_not_read_the_guides(client, no_page_cache, django_assert_max_num_queries):
    for number in range(30):
        ProcedureFactory(title_en=f"Guide {number}")
    client.get("/en/guides/?q=guide")  # builds the list and search indexes once
    with django_assert_max_num_queries(5):
        # versions of what lists show, carriers, documents, the page's 20 cards, their snippets
        client.get("/en/guides/?sim=esim&q=guide&page=2")
    assert listing.guide_index().everything.bit_count() == 30


MEMORY_CEILING = 2 * 1024 * 1024  # bytes a process may keep for remembered search words


def test_endless_new_search_words_cannot_grow_a_process(client, no_page_cache):
    """Every distinct word a reader types was kept until the next publish: 100,000 words cost
    9.4 MB. What the index remembers now has a ceiling, and searches still find guides."""
    import gc
    import tracemalloc

    ProcedureFactory(title_en="Passport registration", title_zh_hans="护照实名登记")
    index = listing.guide_index()
    # More words than any cache of the search keeps (procedures/search/analysis.py: 4,096).
    words = [chr(0x4E00 + i // 150) + chr(0x4E00 + i % 150) + str(i) for i in range(6_000)]
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for word in words:
        index.matching(word)
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < MEMORY_CEILING, f"{grown / 1e6:.1f} MB kept for 6,000 search words"
    assert titles(client, "q=实名") == {"Passport registration"}


def test_a_starting_worker_has_built_its_indexes_before_the_first_search(
    client, no_page_cache, monkeypatch
):
    """gunicorn.conf.py builds the indexes as a worker starts (listing.warm_up): the first
    reader's search does not wait for them."""
    full_guide(slug="macau-esim", title_en="Macau eSIM")
    listing.forget()
    listing.warm_up()

    def built_again(rows):
        raise AssertionError("the search index was built in a reader's request")

    monkeypatch.setattr(listing.SearchIndex, "build", built_again)
    response = client.get("/en/guides/?q=esim")
    assert ("macau-esim", "Macau eSIM") in cards(response)


def test_a_worker_starts_even_when_the_database_cannot_answer(monkeypatch, caplog):
    def unavailable():
        raise ConnectionError("database down")

    monkeypatch.setattr(listing, "guide_index", unavailable)
    listing.warm_up()  # no exception: the worker goes on starting
    assert "first request builds them" in caplog.text
