"""Logs for production: one JSON object per line, every line of a request carrying its id.

nginx gives each request an id (or keeps the load balancer's) and passes it as `X-Request-ID`;
the web node takes it, makes one of its own when there is none, puts it on every log record
written while the request runs, answers with it, and ends with one line per request:
`{"message": "request", "request_id": "…", "method": "GET", "path": "/en/guides/",
"status": 200, "duration_ms": 3.2, "language": "en", "cache": "hit", …}`.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.translation import get_language_from_path

from kb.client_ip import client_ip

request_id: ContextVar[str] = ContextVar("request_id", default="")
logger = logging.getLogger("kb.requests")

# What nginx's $request_id looks like, or a load balancer's UUID: anything else is replaced,
# so a client cannot write arbitrary text into the logs.
SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class RequestLogMiddleware:
    """Outermost middleware: the request id, and one log line per request with its duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        current = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = current
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "language": get_language_from_path(request.path_info) or "",
                    "cache": response.get("X-Page-Cache", "miss"),
                    "client": client_ip(request),
                },
            )
            return response
        finally:
            request_id.reset(token)
