"""What every API request goes through before the page cache sees it: the address without a
language prefix is routed to its own URLconf (api/negotiated_urls.py: the language then comes
from Accept-Language, and a 404 stays a 404 instead of LocaleMiddleware's redirect to a
prefixed address); a limit on requests per client address (429 with Retry-After, counted
by django-ratelimit in the cache), and how long clients may reuse an answer (Cache-Control;
the ETag comes from ConditionalGetMiddleware and the page cache, as for the pages).

The count lives in the default cache: shared between processes and hosts with Redis; with the
local-memory cache each server process counts on its own (the limit is then per process).
"""

import json
import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.urls import set_urlconf
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django_ratelimit.core import _SIMPLE_KEYS, get_usage

API_PATH = re.compile(r"^/(?:(?P<language>[a-z]{2}(?:-[a-z]+)?)/)?api/")
GROUP = "kb-api"
NEGOTIATED_URLCONF = "procedures.api.negotiated_urls"


def _client(group: str, request) -> str:
    """The client's address as django-ratelimit reads it (IPv6 by /64 network), or one shared
    key for requests that come without an address (a misconfigured proxy): never an error."""
    try:
        return _SIMPLE_KEYS["ip"](request)
    except ImproperlyConfigured:
        return "unknown"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = API_PATH.match(request.path_info)
        if match is None:
            return self.get_response(request)
        if match["language"] is None:
            request.urlconf = NEGOTIATED_URLCONF
            try:
                return self._answer(request, match)
            finally:
                # Django resets it when the response is closed; code running before that in
                # this thread (a test, a WSGI server's next step) must not reverse with it.
                set_urlconf(None)
        return self._answer(request, match)

    def _answer(self, request, match):
        if request.method != "OPTIONS":  # CORS preflights are answered before this
            usage = get_usage(
                request, group=GROUP, key=_client, rate=settings.KB_API_RATE, increment=True
            )
            if usage is not None and usage["should_limit"]:
                return self._too_many(request, match["language"], usage["time_left"])
        response = self.get_response(request)
        # The language is in every request (prefix or Accept-Language): no cookie to remember it.
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        if request.method in ("GET", "HEAD") and response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=settings.KB_API_MAX_AGE)
        return response

    @staticmethod
    def _too_many(request, prefix: str | None, retry_after: int) -> HttpResponse:
        language = (
            prefix
            if prefix in dict(settings.LANGUAGES)
            else translation.get_language_from_request(request)
        )
        with translation.override(language):
            body = {
                "detail": _(
                    "Too many requests from your address. Try again in %(seconds)s seconds."
                )
                % {"seconds": retry_after},
                "errors": {},
            }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False), status=429, content_type="application/json"
        )
        response["Retry-After"] = str(retry_after)
        response["Content-Language"] = language
        return response
