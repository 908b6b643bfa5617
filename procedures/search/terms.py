"""The search-terms log: what readers search for and do not find, for editors (issue 14).

Counts only, per day, language and query: no address, user, session, time of day or anything
else about who searched. Queries that look like personal data (six digits or more — a phone,
ID or passport number — or an email address) are not kept at all.

Counting must not slow the results page, and cached pages never reach the view: the view marks
its response with how many guides the query found (RESULTS_HEADER), the page cache keeps that
mark with the page, and SearchTermsMiddleware (outside the page cache) counts every search,
served from the cache or not, removes the mark, and adds the count to an in-process tally
written to the database at most every KB_SEARCH_TERMS_FLUSH_SECONDS.
"""

import atexit
import contextlib
import datetime
import re
import threading
import time
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language_from_path

from procedures.search.models import SearchTerm

RESULTS_HEADER = "X-KB-Search-Results"
MAX_LENGTH = 100
REPORT_DAYS = 30
PERSONAL = re.compile(r"@|(?:\d[\s-]*){6,}")

_lock = threading.Lock()
_tally: Counter = Counter()  # (day, language, query, found nothing) → searches
_last_flush = time.monotonic()


def clean(query: str) -> str | None:
    """The query as it is logged (lower case, spaces collapsed), or None when it is empty or
    looks like personal data."""
    query = " ".join(query.split()).lower()[:MAX_LENGTH]
    if not query or PERSONAL.search(query):
        return None
    return query


def record(*, query: str, language: str, found: int) -> None:
    """Count one search of `query` in `language` that found `found` guides."""
    query = clean(query)
    if query is None:
        return
    with _lock:
        _tally[(timezone.localdate(), language, query, found == 0)] += 1
    if time.monotonic() - _last_flush >= settings.KB_SEARCH_TERMS_FLUSH_SECONDS:
        flush()


def flush() -> None:
    """Write the tally to the database (adds to each day's counts)."""
    global _last_flush
    with _lock:
        pending = dict(_tally)
        _tally.clear()
        _last_flush = time.monotonic()
    totals: Counter = Counter()
    zeros: Counter = Counter()
    for (day, language, query, nothing), count in pending.items():
        totals[(day, language, query)] += count
        if nothing:
            zeros[(day, language, query)] += count
    for key, count in totals.items():
        day, language, query = key
        _add(day, language, query, count, zeros[key])


def _add(day, language, query, searches, zero) -> None:
    rows = SearchTerm.objects.filter(day=day, language=language, query=query)
    if rows.update(searches=F("searches") + searches, zero_results=F("zero_results") + zero):
        return
    try:
        with transaction.atomic():
            SearchTerm.objects.create(
                day=day, language=language, query=query, searches=searches, zero_results=zero
            )
    except IntegrityError:  # another process created it meanwhile
        rows.update(searches=F("searches") + searches, zero_results=F("zero_results") + zero)


def forget() -> None:
    """Drop this process's unwritten counts and start the flush clock again (tests start each
    from an empty database, as `listing.forget` does for the guide index)."""
    global _last_flush
    with _lock:
        _tally.clear()
        _last_flush = time.monotonic()


def _flush_at_exit() -> None:
    # A process may end after its database went away (a test run, a stopped server): the
    # counts are lost then, quietly; they are statistics, never content.
    if _tally:
        with contextlib.suppress(DatabaseError):
            flush()


atexit.register(_flush_at_exit)


class SearchTermsMiddleware:
    """Counts searches on the guide list, cached or not (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        found = response.get(RESULTS_HEADER)
        if found is not None:
            del response[RESULTS_HEADER]
        if found is not None and request.method == "GET":
            language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
            record(query=request.GET.get("q", ""), language=language, found=int(found))
        return response


def report(*, days: int = REPORT_DAYS, limit: int = 20) -> dict[str, dict[str, list]]:
    """Per language: the most searched queries and the queries that found nothing most often,
    over the last `days` days: {"en": {"top": [(query, searches, zero)], "zero": […]}}."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = (
        SearchTerm.objects.filter(day__gte=since)
        .values("language", "query")
        .annotate(total=Sum("searches"), nothing=Sum("zero_results"))
    )
    found: dict[str, dict[str, list]] = {}
    for code, _name in settings.LANGUAGES:
        mine = rows.filter(language=code)
        found[code] = {
            "top": list(
                mine.order_by("-total", "query").values_list("query", "total", "nothing")[:limit]
            ),
            "zero": list(
                mine.filter(~Q(nothing=0))
                .order_by("-nothing", "query")
                .values_list("query", "total", "nothing")[:limit]
            ),
        }
    return found


def search_url(language: str, query: str) -> str:
    """The address of the results page for `query` in `language`."""
    with translation.override(language):
        return reverse("procedures:guide_list") + "?" + urlencode({"q": query})
