"""Tag versions: what changed since a page was stored, told across processes by a change
signal file, and the next go-live time (see the package docstring)."""

import logging
import os
import secrets
import threading
import time
from functools import partial, wraps
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from kb.models import CacheTag

logger = logging.getLogger("kb.cache")

EVERYTHING = "all"  # every cached page carries it: bumped when a scheduled publication starts
NEXT_GO_LIVE = "next-go-live"  # a tag row whose version is the next go-live time (ns), or 0


def tag(request, *tags: str) -> None:
    """Declare what content a response shows (called by views); with no tags, a page that is
    the same for every reader and changes only with the site (a deploy)."""
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
    versions_changed()


def _write_versions(tags) -> None:
    now = time.time_ns()
    CacheTag.objects.bulk_create(
        [CacheTag(name=name, version=now) for name in tags],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["version"],
    )


def versions_changed() -> None:
    """Versions were written: other processes read them again once they are committed."""
    if connection.in_atomic_block:
        forget_versions()
        transaction.on_commit(_send_signal)
    else:
        _send_signal()


def schedule_go_live(when) -> None:
    """A publication will go live at `when`: pages must not outlive that moment. Recorded at
    once and again after the caller's commit (see `go_live_passed`)."""
    moment = int(when.timestamp() * 1e9)
    _lower_next_go_live(moment)
    if connection.in_atomic_block:
        transaction.on_commit(partial(_lower_next_go_live, moment))


def _lower_next_go_live(moment: int) -> None:
    """Make `moment` the next go-live time unless an earlier one is waiting (including one that
    has passed and not been handled yet: the next request handles it)."""
    CacheTag.objects.bulk_create([CacheTag(name=NEXT_GO_LIVE, version=0)], ignore_conflicts=True)
    CacheTag.objects.filter(name=NEXT_GO_LIVE).filter(Q(version=0) | Q(version__gt=moment)).update(
        version=moment
    )
    versions_changed()


def go_live_passed(seen: int) -> None:
    """The next go-live time `seen` has passed: every page may show what went live. The time is
    cleared (unless another request did it first), then the next one is looked up afterwards, so
    a publication scheduled while this ran is not missed."""
    bump(EVERYTHING)
    CacheTag.objects.filter(name=NEXT_GO_LIVE, version=seen).update(version=0)
    upcoming = _upcoming()
    if upcoming:
        _lower_next_go_live(upcoming)
    else:
        versions_changed()


# How the next go-live time is found, told by the domain at start (`next_go_live_from`): the
# cache knows nothing of what goes live.
_next_go_live = None


def next_go_live_from(lookup) -> None:
    """Tell the cache how to find the next time content goes live: `lookup()` returns an aware
    datetime, or None when nothing is scheduled. Called once, when the app that publishes is
    ready (the cache imports no domain code)."""
    global _next_go_live
    _next_go_live = lookup


def _upcoming() -> int:
    """The next time content goes live (ns since the epoch), or 0."""
    upcoming = _next_go_live() if _next_go_live else None
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
