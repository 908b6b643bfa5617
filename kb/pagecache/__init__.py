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
parameters no page reads dropped (readers.py); staff previews, the admin and a valid staff
session are always rendered fresh, any other session cookie is ignored. When the database is
unreachable a stored page is served as it is rather than an error (issue 17). The middleware
runs before the security, CSP and conditional-GET middleware: a page is stored with the headers
they add, and a hit is answered (200, or 304 for a matching ETag or date) without running them
again.
"""

from kb.pagecache.invalidation import (
    EVERYTHING,
    bump,
    check_signal,
    current_versions,
    forget_versions,
    next_go_live_from,
    schedule_go_live,
    tag,
    tagged,
    versions,
)

__all__ = [
    "EVERYTHING", "bump", "check_signal", "current_versions", "forget_versions",
    "next_go_live_from", "schedule_go_live", "tag", "tagged", "versions",
]  # fmt: skip
