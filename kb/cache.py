"""Caching of whole public pages, invalidated precisely by content tags.

A page is stored with the tags of the content it shows (`guide:12`, `carrier:3`, `region:1`,
`guides` for anything that lists guides) and the version each tag had. Changing content bumps
its tags' versions (`bump()`), so exactly the pages that showed it miss the cache next time; the
others keep being served. Tag versions live in the database (kb.models.CacheTag), so every server
process sees a change at once, even when each keeps its pages in its own memory. A publication
scheduled for later takes effect by itself: the next go-live time is known, and passing it
bumps every page.

So that a cache hit needs no database query, each process remembers the versions it has read
for as long as a change signal stays the same (and at most REMEMBER_VERSIONS_FOR seconds): a
small file (KB_PAGE_CACHE_SIGNAL) that every change rewrites with new content when its
transaction commits. A hit reads the file's few bytes; when they differ, versions are read
again. Servers on several hosts must share the file, or set KB_PAGE_CACHE_SIGNAL to "" to read
versions on every hit (the default with Redis or another shared cache).

Only GET/HEAD requests for language-prefixed pages (and the sitemap) are cached, with the query
parameters no page reads dropped (kb/readers.py); staff previews, the admin and a valid staff
session are always rendered fresh, any other session cookie is ignored. When the database is
unreachable a stored page is served as it is rather than an error (issue 17). The middleware
runs before the security, CSP and conditional-GET middleware: a page is stored with the headers
they add, and a hit is answered (200, or 304 for a matching ETag or date) without running them
again.
"""

import hashlib
import logging
import os
import secrets
import threading
import time
from functools import partial, wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_path

from kb import readers
from kb.languages import current_url

logger = logging.getLogger(__name__)

PAGE_TIMEOUT = 60 * 60 * 24
EVERYTHING = "all"  # every cached page carries it: bumped when a scheduled publication starts
NEXT_GO_LIVE = "next-go-live"  # a tag row whose version is the next go-live time (ns), or 0


def tag(request, *tags: str) -> None:
    """Declare what content a response shows (called by views)."""
    if not hasattr(request, "cache_tags"):
        request.cache_tags = set()
    request.cache_tags.update(tags)


def tagged(*tags: str):
    """A view decorator: the view's responses show content with these tags (feeds, sitemap)."""

    def decorate(view):
        @wraps(view)
        def tagged_view(request, *args, **kwargs):
            tag(request, *tags)
            return view(request, *args, **kwargs)

        return tagged_view

    return decorate


def bump(*tags: str) -> None:
    """Content with these tags changed: pages showing it must be rendered again. Runs in the
    caller's transaction, so other processes see the new versions with the new content."""
    _write_versions(tags)
    if connection.in_atomic_block:
        # A page rendered meanwhile from the data as it was before the commit started after
        # this version: a second one, taken after the commit, is newer than that page. (Commit
        # callbacks run in order: this one before the signal below.)
        transaction.on_commit(partial(_write_versions, tags))
    _versions_changed()


def _write_versions(tags) -> None:
    from kb.models import CacheTag

    now = time.time_ns()
    CacheTag.objects.bulk_create(
        [CacheTag(name=name, version=now) for name in tags],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["version"],
    )


def _versions_changed() -> None:
    """Versions were written: other processes read them again once they are committed."""
    if connection.in_atomic_block:
        forget_versions()
        transaction.on_commit(_send_signal)
    else:
        _send_signal()


def schedule_go_live(when) -> None:
    """A publication will go live at `when`: pages must not outlive that moment. Recorded at
    once and again after the caller's commit (see `_go_live_passed`)."""
    moment = int(when.timestamp() * 1e9)
    _lower_next_go_live(moment)
    if connection.in_atomic_block:
        transaction.on_commit(partial(_lower_next_go_live, moment))


def _lower_next_go_live(moment: int) -> None:
    """Make `moment` the next go-live time unless an earlier one is waiting (including one that
    has passed and not been handled yet: the next request handles it)."""
    from kb.models import CacheTag

    CacheTag.objects.bulk_create([CacheTag(name=NEXT_GO_LIVE, version=0)], ignore_conflicts=True)
    CacheTag.objects.filter(name=NEXT_GO_LIVE).filter(Q(version=0) | Q(version__gt=moment)).update(
        version=moment
    )
    _versions_changed()


def _go_live_passed(seen: int) -> None:
    """The next go-live time `seen` has passed: every page may show what went live. The time is
    cleared (unless another request did it first), then the next one is looked up afterwards, so
    a publication scheduled while this ran is not missed."""
    from kb.models import CacheTag

    bump(EVERYTHING)
    CacheTag.objects.filter(name=NEXT_GO_LIVE, version=seen).update(version=0)
    upcoming = _upcoming()
    if upcoming:
        _lower_next_go_live(upcoming)
    else:
        _versions_changed()


def _upcoming() -> int:
    """The next time a publication goes live (ns), or 0."""
    from procedures.models import Publication

    upcoming = (
        Publication.objects.filter(live_from__gt=timezone.now(), live_until__gt=F("live_from"))
        .order_by("live_from")
        .values_list("live_from", flat=True)
        .first()
    )
    return int(upcoming.timestamp() * 1e9) if upcoming else 0


def versions(names) -> dict[str, int]:
    """Current versions of these tags, from the database in one small query."""
    names = list(names)
    if not names:
        return {}
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, version FROM kb_cachetag WHERE name IN ({placeholders})",  # noqa: S608
            names,
        )
        return dict(cursor.fetchall())


# --- Versions this process has read, and the change signal --------------------------------------


# Even while the signal stays the same, versions are read again after this long: a safety net
# for a signal that could not be written, or servers that do not share it.
REMEMBER_VERSIONS_FOR = 2.0  # seconds


class _KnownVersions:
    """Tag versions read while the change signal was `signal`."""

    def __init__(self, signal):
        self.signal = signal
        self.read_at = time.monotonic()
        self.versions: dict[str, int | None] = {}


_known = _KnownVersions(None)
_signal_broken = False


def _signal_path() -> str:
    return "" if _signal_broken else settings.KB_PAGE_CACHE_SIGNAL


def _read_signal(path: str) -> bytes | None:
    # The content, not the file's times or inode: those can repeat within a clock tick.
    try:
        with open(path, "rb") as signal:
            return signal.read(64)
    except FileNotFoundError:
        return None


def _send_signal() -> None:
    """Replace the signal file with content never written before (readers see old or new)."""
    path = _signal_path()
    if not path:
        return
    draft = f"{path}.{os.getpid()}.{threading.get_ident()}"
    try:
        Path(draft).write_text(f"{time.time_ns()}-{secrets.token_hex(8)}")
        os.replace(draft, path)
    except OSError:
        logger.error("Cannot write the page cache signal %s; pages may be stale.", path)


def check_signal() -> None:
    """At start: make sure the signal file can be written; if not, read versions every time."""
    global _signal_broken
    path = settings.KB_PAGE_CACHE_SIGNAL
    if not path:
        return
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        if not Path(path).exists():
            _send_signal()
        Path(path).touch()
    except OSError:
        _signal_broken = True
        logger.warning("Page cache signal %s cannot be written; versions are read per hit.", path)


def forget_versions() -> None:
    """Forget what this process has read (tests, after rolling back the database)."""
    global _known
    _known = _KnownVersions(None)


def current_versions(names) -> dict[str, int]:
    """Versions of these tags as they are now: from this process's memory while the change
    signal has not moved, otherwise from the database (what was read is kept)."""
    global _known
    path = _signal_path()
    if not path:
        return versions(names)
    signal = _read_signal(path)
    known = _known
    if (
        known.signal != signal
        or signal is None
        or time.monotonic() - known.read_at > REMEMBER_VERSIONS_FOR
    ):
        known = _known = _KnownVersions(signal)
    missing = [name for name in names if name not in known.versions]
    if missing:
        found = versions(missing)
        # Tags that do not exist yet are remembered as such: creating one sends the signal.
        known.versions.update({name: found.get(name) for name in missing})
    return {name: known.versions[name] for name in names if known.versions[name] is not None}


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        check_signal()

    def __call__(self, request):
        if not self._cacheable(request):
            return self.get_response(request)
        readers.normalise(request)
        key = self._key(request)
        try:
            cached = self._fetch(key)
        except Exception:  # noqa: BLE001 - a cache fault must never break a page
            logger.warning("Page cache unavailable; rendering from the database.", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            return get_conditional_response(
                request,
                etag=cached.get("ETag"),
                last_modified=parse_http_date_safe(cached.get("Last-Modified", "")),
                response=cached,
            )
        started = time.time_ns()
        response = self.get_response(request)
        # Only GET: a HEAD response has no ETag (the conditional-GET middleware skips HEAD).
        if (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        ):
            tags = getattr(request, "cache_tags", None)
            if tags is not None:
                readers.allow_front_cache(response)
                try:
                    self._store(key, response, tags | {EVERYTHING}, started)
                except Exception:  # noqa: BLE001
                    logger.warning("Page cache unavailable; page not stored.", exc_info=True)
        return response

    @staticmethod
    def _cacheable(request) -> bool:
        return (
            settings.KB_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and "preview" not in request.GET
            # Plain HTTP must still be redirected to HTTPS by the security middleware.
            and (request.is_secure() or not settings.SECURE_SSL_REDIRECT)
            and "/admin/" not in request.path_info
            and (
                get_language_from_path(request.path_info) is not None
                or request.path_info in readers.PAGES_WITHOUT_LANGUAGE
            )
            # Last: it may cost a query, and only a real staff session skips the cache.
            and not readers.is_staff_session(request)
        )

    @staticmethod
    def _key(request) -> str:
        # The date is part of the key: "review due" notices change at midnight. The host is too
        # (and is checked against ALLOWED_HOSTS here): pages hold absolute hreflang links.
        day = timezone.localdate().isoformat()
        # The query as Django decoded it: raw UTF-8 and its percent-encoded form are one page,
        # and a raw query never shares a key with the percent-encoding of its Latin-1 reading.
        raw = f"{request.scheme}://{request.get_host()}{current_url(request)}|{day}"
        return "kb:page:" + hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def _fetch(key):
        entry = cache.get(key)
        if entry is None:
            return None
        state = "hit"
        try:
            current = current_versions([*entry["tags"], NEXT_GO_LIVE])
            next_go_live = current.pop(NEXT_GO_LIVE, 0)
            if next_go_live and time.time_ns() >= next_go_live:
                _go_live_passed(next_go_live)  # a scheduled publication has started since
                return None
            if any(current.get(name) != seen for name, seen in entry["tags"].items()):
                return None
        except DatabaseError:
            # The database is down or hung (issue 17): the page as last stored is better than
            # an error page. Nothing newer can be published while the database is away.
            logger.warning("Database unavailable; serving a stored page.", exc_info=True)
            state = "stale"
        response = HttpResponse(entry["content"], status=200)
        for header, value in entry["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = state
        return response

    @staticmethod
    def _store(key, response, tags, started: int) -> None:
        current = versions(tags)
        missing = [name for name in tags if name not in current]
        if missing:
            from kb.models import CacheTag

            # Content never changed yet: version 1, older than any change to come.
            CacheTag.objects.bulk_create(
                [CacheTag(name=name, version=1) for name in missing], ignore_conflicts=True
            )
            _versions_changed()  # processes that remember these tags as absent read them again
            current |= versions(missing)
        if any(version > started for version in current.values()):
            return  # content changed while this page was rendered: do not keep it
        entry = {
            "content": response.content,
            "headers": dict(response.items()),
            "tags": {name: current[name] for name in tags},
        }
        cache.set(key, entry, timeout=PAGE_TIMEOUT)
