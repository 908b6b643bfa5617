"""Search as readers use it (issue 14), against the demo content: the right guide in the top 3,
in any language and script, with typos and synonyms; and the results page around it."""

import re
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pytest
import yaml

from procedures.models import Publication
from procedures.public import listing
from procedures.search.analysis import analyse
from procedures.search.documents import join_passages
from procedures.search.index import SearchIndex
from procedures.search.snippets import snippet

from .reading import cards

pytestmark = pytest.mark.django_db

QUESTIONS = yaml.safe_load((Path(__file__).parent / "data" / "search_questions.yaml").read_text())
RIGHT_IN_TOP_3 = 0.9  # issue 14: at least 90 % of the questions


@pytest.fixture
def no_page_cache(settings):
    settings.KB_PAGE_CACHE = False


def ranked(client, language: str, query: str) -> list[str]:
    response = client.get(f"/{language}/guides/?q={quote(query)}")
    assert response.status_code == 200
    return [slug for slug, _title in cards(response)]


def test_the_question_set_covers_what_issue_14_asks():
    assert len(QUESTIONS) >= 40
    assert {question["lang"] for question in QUESTIONS} == {"zh-hans", "zh-hant", "en"}


def test_readers_questions_find_the_guide_they_need_in_the_top_3(client, demo, no_page_cache):
    misses = []
    for question in QUESTIONS:
        top = ranked(client, question["lang"], question["q"])[:3]
        if not set(top) & set(question["want"]):
            misses.append(f"{question['lang']} {question['q']!r}: {top}")
    right = 1 - len(misses) / len(QUESTIONS)
    print(f"\nRight guide in the top 3: {right:.1%} of {len(QUESTIONS)} questions")
    assert right >= RIGHT_IN_TOP_3, "\n".join(misses)


def test_every_title_typed_in_the_other_chinese_script_finds_its_guide_first(
    client, demo, no_page_cache
):
    """A Traditional title searched on the Simplified site finds the guide first, and back."""
    wrong = []
    for guide in Publication.objects.live():
        for typed, site in ((guide.title_zh_hant, "zh-hans"), (guide.title_zh_hans, "zh-hant")):
            found = ranked(client, site, typed[:100])
            if not found or found[0] != guide.slug:
                wrong.append(f"{site} {typed!r}: {found[:3]}")
    assert not wrong, "\n".join(wrong)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_results_say_what_was_searched_and_show_where_it_matched(client, demo, no_page_cache):
    html = page(client, "/en/guides/?q=T-Mobile+real+name")
    assert "<title>Results for “T-Mobile real name”" in html
    assert "<h1>Results for “T-Mobile real name”</h1>" in html
    assert "All guides" not in html.split("</title>")[0]
    found = re.search(r"(\d+) guides? found", html)
    assert found and int(found.group(1)) >= 1
    first = html.split('class="result"')[1]
    assert "<mark>" in first.split("</li>")[0]


def test_snippets_mark_the_readers_words_in_their_script(client, demo, no_page_cache):
    html = page(client, f"/zh-hant/guides/?q={quote('注销')}")  # typed in Simplified
    assert "<mark>註銷</mark>" in html
    html = page(client, f"/zh-hans/guides/?q={quote('註銷')}")  # typed in Traditional
    assert "<mark>注销</mark>" in html


def test_a_snippet_is_found_past_passages_where_the_word_is_only_inside_others():
    """Every "eSIM" holds "sim", which is not the word searched for: those passages mark
    nothing and must not use up the passages looked at."""
    passages = [f"Step {n}: scan the eSIM QR code." for n in range(5)]
    passages.append("Put the SIM card in the tray.")
    html = snippet(join_passages(passages), [frozenset(analyse("SIM"))])
    assert html is not None and "<mark>SIM</mark>" in html


def test_a_snippet_prefers_a_passage_holding_every_part_of_the_query():
    """A part read as several terms (character pairs, both scripts) counts once: passages with
    only "实名登记" do not come before the one that also names Macau."""
    passages = ["实名登记需要带证件。", "实名登记可以在网上办。", "澳门的实名登记在门市办理。"]
    html = snippet(
        join_passages(passages), [frozenset(analyse("实名登记")), frozenset(analyse("澳门"))]
    )
    assert html is not None and "<mark>澳门</mark>" in html


def test_a_snippet_takes_the_first_passage_that_marks_every_part():
    """A word found only inside others ("end" in "attend") does not make a passage hold it:
    the passage that marks both words is the snippet, not the first that holds "passport"."""
    passages = [
        "Attend the desk with your passport.",
        "Attend again; bring your passport.",
        "End the contract with your passport.",
    ]
    parts = [frozenset(analyse("passport")), frozenset(analyse("end"))]
    html = snippet(join_passages(passages), parts)
    assert html is not None and html.startswith("<mark>End</mark> the contract")
    assert "<mark>passport</mark>" in html


def test_a_traditional_page_marks_words_whose_script_depends_on_the_phrase():
    """转台 is 轉台 ("switching operator") in Hong Kong text, where a converter working on the
    query's own words gives 轉檯 ("turntable"): passages are compared in one script, so the
    snippet is still found and marked."""
    passages = ["月費計劃不設上限。", "現有用戶除非轉台，否則毋須重新登記。"]
    html = snippet(join_passages(passages), [frozenset(analyse("转台"))])
    assert html is not None and "<mark>轉台</mark>" in html


def test_a_latin_word_right_after_chinese_is_marked():
    """Chinese pages write "开通eSIM" without a space: the Latin word is still a word."""
    passages = ["本指南说明如何开通eSIM。", "携带护照到门市办理。"]
    html = snippet(join_passages(passages), [frozenset(analyse("eSIM"))])
    assert html is not None and "开通<mark>eSIM</mark>" in html


def test_filter_counts_are_over_the_results(client, demo, no_page_cache):
    html = page(client, "/en/guides/?q=T-Mobile")
    assert re.search(r'<option value="united-states">United States \(\d+\)</option>', html)
    assert '<option value="macau">' not in html  # no Macau guide is about T-Mobile


def test_nothing_found_offers_a_spelling_and_popular_guides_not_filter_advice(
    client, demo, no_page_cache
):
    html = page(client, "/en/guides/?q=registrattionn")
    assert "No guide matches “registrattionn”." in html
    assert "Remove a filter" not in html
    assert 'Did you mean: <a href="?q=registration">registration</a>' in html
    assert html.count('class="card') >= 3  # three popular guides
    assert "Popular guides" in html


def test_nothing_found_with_a_filter_says_to_remove_it(client, demo, no_page_cache):
    html = page(client, "/en/guides/?q=volte&region=philippines")
    assert "No guide matches “volte”. Remove a filter to see more." in html
    assert 'href="/en/guides/?q=volte"' in html  # the same search without filters


def test_a_whole_phrase_ranks_above_its_words_apart(client, demo, no_page_cache):
    exact = ranked(client, "zh-hans", "携号转网")
    assert exact[0] == "mainland-number-portability"


def test_typos_and_other_names_find_the_same_guides(client, demo, no_page_cache):
    assert ranked(client, "en", "tmobile")[:6] == ranked(client, "en", "T-Mobile")[:6]
    for name in ("Macao", "Macau", "澳門", "澳门"):
        assert all(slug.startswith("macau-") for slug in ranked(client, "en", name)[:5]), name
    found = cards(client.get("/en/guides/?q=regstration"))
    assert all("regist" in title.lower() for _slug, title in found[:3])


# The demo's 47 guides hold ~34,000 postings (8 bytes each in numpy), ~11,000 distinct terms
# and ~3,000 Latin words with their one-deletion variants for typos: ~4.6 MB in all.
INDEX_CEILING = 6 * 2**20


def test_common_terms_kept_dense_score_as_their_postings_would(demo):
    """Terms held by more than half of the guides are kept as rows (index.py): every query
    finds the same guides in the same order, with the same scores, as with postings only."""
    rows = listing.guide_index().search_rows
    dense, postings = SearchIndex.build(rows), SearchIndex.build(rows, dense=False)
    assert dense.dense_rows  # the demo content has such terms
    queries = [question["q"] for question in QUESTIONS] + ["实名登记 证件", "esim sim 注销"]
    for query in queries:
        found, reference = dense.search(query), postings.search(query)
        assert found.bits == reference.bits, query
        assert np.allclose(found.scores, reference.scores, rtol=1e-6), query
        everything = found.bits
        assert dense.ranked(found, everything, 0, 20) == postings.ranked(
            reference, everything, 0, 20
        ), query


def test_the_index_memory_is_bounded_by_what_the_guides_hold(demo):
    """A process keeps one search index: its size follows the guides' distinct terms (at
    10,000 synthetic guides about 25 MB, README), not the searches readers make."""
    import gc
    import tracemalloc

    from procedures.public import listing
    from procedures.search.index import SearchIndex

    rows = listing.guide_index().search_rows
    SearchIndex.build(rows)  # analyses and caches what is shared by every build
    gc.collect()
    tracemalloc.start()
    index = SearchIndex.build(rows)
    for query in ["T-Mobile real name", "香港 eSIM", "regstration", "上網卡", "x" * 90]:
        index.search(query)
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    held = len(index.docs) + int(np.count_nonzero(index.dense))
    assert held > 10_000  # every guide's whole text is in it, common terms as dense rows
    assert size < INDEX_CEILING, f"{size / 2**20:.1f} MB"
