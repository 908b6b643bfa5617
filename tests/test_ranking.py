"""A results page holds the guides a full sort would put there (procedures/search/index.py,
SearchIndex.ranked, picks them without sorting every match), whatever the scores and ties."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from procedures.search.index import Results, SearchIndex, _bits, kth_largest


@st.composite
def rankings(draw):
    size = draw(st.integers(1, 60))
    scores = draw(
        st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.0000001, 2.5]), min_size=size, max_size=size)
    )
    order = draw(st.permutations(range(size)))
    start = draw(st.integers(0, size + 3))
    count = draw(st.integers(1, 25))
    return np.array(scores), np.array(order, np.int32), start, count


@settings(max_examples=300, deadline=None)
@given(rankings())
def test_a_page_holds_what_sorting_every_match_gives(ranking):
    scores, order, start, count = ranking
    index = SearchIndex(size=len(scores), order=order)
    results = Results(bits=_bits(scores > 0), scores=scores, concepts=[])
    matching = np.flatnonzero(scores > 0)
    rounded = np.round(scores[matching], 6)
    everything = matching[np.lexsort((order[matching], -rounded))]
    expected = [int(at) for at in everything[start : start + count]]
    assert index.ranked(results, results.bits, start, count) == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3000), st.integers(1, 40), st.integers(1, 60), st.integers(0, 2**32 - 1))
def test_the_kth_best_score_is_found_among_any_scores(count, k, levels, seed):
    """Scores of `levels` different values (ties galore when few), or all different."""
    random = np.random.default_rng(seed)
    values = random.integers(0, levels, count) * 0.25 if levels < 60 else random.random(count)
    k = min(k, count)
    assert kth_largest(values, k) == np.sort(values)[-k]
