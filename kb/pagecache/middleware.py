"""The page cache middleware: serves a stored page while its tags' versions are unchanged, stores
readers' pages with the tags their views gave (see the package docstring)."""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_path

from kb.languages import current_url
from kb.models import CacheTag
from kb.pagecache import readers
from kb.pagecache.invalidation import (
    EVERYTHING,
    NEXT_GO_LIVE,
    check_signal,
    current_versions,
    go_live_passed,
    versions,
    versions_changed,
)

logger = logging.getLogger("kb.cache")

PAGE_TIMEOUT = 60 * 60 * 24


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
        except Exception:
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
                except Exception:
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
                go_live_passed(next_go_live)  # a scheduled publication has started since
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
            # Content never changed yet: version 1, older than any change to come.
            CacheTag.objects.bulk_create(
                [CacheTag(name=name, version=1) for name in missing], ignore_conflicts=True
            )
            versions_changed()  # processes that remember these tags as absent read them again
            current |= versions(missing)
        if any(version > started for version in current.values()):
            return  # content changed while this page was rendered: do not keep it
        entry = {
            "content": response.content,
            "headers": dict(response.items()),
            "tags": {name: current[name] for name in tags},
        }
        cache.set(key, entry, timeout=PAGE_TIMEOUT)
