"""Lists of guides with a count on every filter option, at the same cost for 100 guides or
100,000.

Each server process keeps an index of the live guides' filterable facts: one bit per guide (in
display order) for every option of every filter; a search (procedures/search) gives a bitset
of the same positions, with a score for each. Filtering is then AND-ing integers, counting is
`int.bit_count()`, and a page is the n-th run of set bits (or, for a search, the best-scored);
only the page's 20 cards are read from the database. The index is rebuilt from one query
when guides change (the `guides` cache tag, kept in the database, so every process notices)
or when a scheduled publication goes live.
"""

import logging
import math
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from kb.memory import release_free_memory
from kb.pagecache import EVERYTHING, current_versions
from procedures.models import Carrier, Publication, SimType
from procedures.publishing import tags
from procedures.search.index import Results, SearchIndex

SIM_FLAGS = {SimType.ESIM: 4, SimType.PHYSICAL: 5, SimType.DATA_ONLY: 6}


@dataclass
class GuideIndex:
    version: tuple
    valid_until: float
    ids: list[int] = field(default_factory=list)  # publication ids, in display order
    facets: dict[str, dict] = field(default_factory=dict)  # filter → option → bits
    # (publication id, carrier id, region id, is featured, last verified) per position
    search_rows: list[tuple] = field(default_factory=list)
    # Values derived from the live guides or the catalogue (carriers, regions, documents), kept
    # as long as this index: every change to those bumps the `guides` tag (procedures/signals.py)
    # and so builds a new index without them.
    memo: dict = field(default_factory=dict)

    def remember(self, key, make):
        """`make()`, computed once for this index (per key), e.g. the filter choices of a
        language: a list page then reads no carrier or document from the database."""
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = make()
            return value

    @property
    def everything(self) -> int:
        return (1 << len(self.ids)) - 1

    def option(self, name: str, value) -> int:
        return self.facets[name].get(value, 0)

    @cached_property
    def search(self) -> SearchIndex:
        """The full-text index of the same guides (procedures/search), built on first use:
        pages without a query never pay for it."""
        with _search_lock:
            index = SearchIndex.build(self.search_rows)
        release_free_memory()  # the build's temporaries: tens of MB at 10,000 guides
        return index

    def matching(self, query: str) -> int:
        """Guides matching a reader's query (procedures/search/index.py says how)."""
        return self.search_results(query).bits

    def search_results(self, query: str) -> Results:
        return self.search.search(query)

    def page(self, bits: int, number: int, size: int) -> list[int]:
        """The publication ids of page `number` (from 1) of the guides in `bits`."""
        start, ids = (number - 1) * size, []
        for position in _positions(bits):
            if start:
                start -= 1
                continue
            ids.append(self.ids[position])
            if len(ids) == size:
                break
        return ids


def _positions(bits: int):
    while bits:
        lowest = bits & -bits
        yield lowest.bit_length() - 1
        bits ^= lowest


logger = logging.getLogger(__name__)
_lock = threading.Lock()
_search_lock = threading.Lock()
_index: GuideIndex | None = None


def warm_up() -> None:
    """Build this process's guide index and search index now: gunicorn.conf.py calls it as a
    worker starts, so that no reader waits for them in the first list page or search the
    worker serves (about 10 s for search at 10,000 guides; each later change of guides is
    built on the next request, as before). A database or cache that cannot answer yet is
    logged and left to the first request."""
    try:
        guide_index().search  # noqa: B018 - a cached property, built here
    except Exception:  # noqa: BLE001 - whatever failed, the worker still starts and serves
        logger.warning("Guide indexes not built at start-up; the first request builds them.")


def forget() -> None:
    """Drop this process's index (tests start each from an empty database)."""
    global _index
    _index = None


def guide_index() -> GuideIndex:
    """The index of the live guides, rebuilt if guides changed since it was built."""
    global _index
    current = current_versions([tags.GUIDES, EVERYTHING])
    version = (current.get(tags.GUIDES), current.get(EVERYTHING))
    index = _index
    if index is not None and index.version == version and time.time() < index.valid_until:
        return index
    with _lock:
        if _index is None or _index.version != version or time.time() >= _index.valid_until:
            _index = _build(version)
        return _index


def _build(version) -> GuideIndex:
    now = timezone.now()
    upcoming = Publication.objects.next_go_live(after=now)
    index = GuideIndex(version=version, valid_until=upcoming.timestamp() if upcoming else math.inf)
    facets = {name: {} for name in ("region", "carrier", "kind", "sim", "channel", "document")}
    facets["featured"] = {}
    rows = (
        Publication.objects.live(at=now)
        .order_by("-is_featured", "slug")
        .values_list(
            "pk",
            "region_id",
            "carrier_id",
            "kind",
            "for_esim",
            "for_physical_sim",
            "for_data_only_sim",
            "channels",
            "document_slugs",
            "is_featured",
            "last_verified_on",
        )  # fmt: skip
    )

    def add(name, value, bit):
        facets[name][value] = facets[name].get(value, 0) | bit

    for position, row in enumerate(rows):
        bit = 1 << position
        index.ids.append(row[0])
        add("region", row[1], bit)
        add("carrier", row[2], bit)
        add("kind", row[3], bit)
        for sim_type, column in SIM_FLAGS.items():
            if row[column]:
                add("sim", sim_type, bit)
        for channel in row[7].strip("|").split("|") if row[7] else ():
            add("channel", channel, bit)
        for document in row[8].strip("|").split("|") if row[8] else ():
            add("document", document, bit)
        if row[9]:
            add("featured", True, bit)
        index.search_rows.append((row[0], row[2], row[1], row[9], row[10]))
    # A guide for a whole region (region set, carrier empty: Macau's real-name rules) applies to
    # each operator in service there, so filters, counts and carrier pages list it under each;
    # "operator" keeps each carrier's own guides (the region page lists those under it).
    facets["operator"] = dict(facets["carrier"])
    no_carrier = facets["carrier"].get(None, 0)
    region_wide = {
        region_id: bits & no_carrier
        for region_id, bits in facets["region"].items()
        if region_id is not None and bits & no_carrier
    }
    if region_wide:
        in_service = Carrier.objects.filter(is_active=True, region_id__in=list(region_wide))
        for carrier_id, region_id in in_service.values_list("pk", "region_id"):
            add("carrier", carrier_id, region_wide[region_id])
    index.facets = facets
    return index
