"""Which requests are readers' requests, as the page cache and front caches see them.

Readers' pages are the same for everyone, so they are cached (kb/pagecache/) and front caches
(nginx, a CDN) may keep them. Three things decide what a cached page is (issue 17):

- Its query: only the parameters some page reads make a different page. Anything else
  (`?utm_source=…`, `?fbclid=…`) is dropped before the page is rendered and from the cache key,
  so visitors cannot make the cache grow by adding parameters.
- Who asks: only a valid session of an active staff member skips the cache (previews, the
  editors' own view); a made-up or expired session cookie is treated as no session.
- How long others may keep it: `Cache-Control` with a short `s-maxage` and
  `stale-while-revalidate` (front caches revalidate with the ETag, answered from the page
  cache), `stale-if-error` so a front cache keeps serving when the site is down.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.db import DatabaseError
from django.http import QueryDict
from django.utils.cache import patch_cache_control

# Pages without a language prefix that are cached like the others.
PAGES_WITHOUT_LANGUAGE = frozenset({"/sitemap.xml"})

_query_parameters: set[str] = set()


def register_query_parameters(*names: str) -> None:
    """Declare query parameters some public page reads (called by apps at start-up)."""
    _query_parameters.update(names)


def normalise(request) -> None:
    """Drop the query parameters no page reads from `request.GET` (and the query string), so
    the page rendered and its cache key are the same whatever else a link carried."""
    if not request.GET or all(name in _query_parameters for name in request.GET):
        return
    kept = QueryDict(mutable=True)
    for name in request.GET:
        if name in _query_parameters:
            kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def is_staff_session(request) -> bool:
    """True when the request carries the session of an active staff member. Any other session
    cookie (made up, expired, a reader's) is removed from the request: the page is then rendered
    and cached as for everyone. Costs a session lookup only when a session cookie is sent."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key is None:
        return False
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(key)
    try:
        staff = get_user(request).is_staff
    except DatabaseError:
        staff = False  # the database is away: readers' cached pages are still served
    del request.session  # SessionMiddleware sets the request's session as usual
    if not staff:
        del request.COOKIES[settings.SESSION_COOKIE_NAME]
    return staff


def allow_front_cache(response) -> None:
    """Let front caches keep this reader's page for `KB_FRONT_CACHE_SECONDS` (browsers always
    revalidate with the ETag), see RFC 9111 5.2.2.10 and RFC 5861."""
    if response.has_header("Cache-Control"):
        return
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=settings.KB_FRONT_CACHE_SECONDS,
        stale_while_revalidate=settings.KB_FRONT_CACHE_STALE_SECONDS,
        stale_if_error=settings.KB_FRONT_CACHE_STALE_IF_ERROR_SECONDS,
    )
