"""What readers get when a part of the site fails.

A database that is stopped, unreachable or too slow to answer is not a bug in a page: readers
get a translated "temporarily unavailable" page with status 503 and `Retry-After`, which load
balancers and front caches understand (serve a stale copy, try again later), instead of the
500 page. The site recovers by itself: the next request opens a new connection.
"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.shortcuts import render
from django.utils import translation
from django.views import defaults

# RFC 9110, 10.2.3: how long a client should wait before asking again (seconds).
RETRY_AFTER = 10


def database_unavailable(error: BaseException | None) -> bool:
    """True for errors that mean "the database cannot be reached or did not answer in time"
    (connection refused or closed, connect or statement timeout), not for a wrong query."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    # A statement cancelled by the server's statement_timeout (SQLSTATE 57014).
    cause = getattr(error, "__cause__", None)
    return isinstance(error, DatabaseError) and getattr(cause, "sqlstate", None) == "57014"


def temporarily_unavailable(request):
    """The translated 503 page, in the language of the requested path (middleware that sets the
    language may not have run when the database failed)."""
    language = translation.get_language_from_path(request.path_info)
    with translation.override(language or translation.get_language()):
        response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    """handler500: the 503 page when the database is unavailable, otherwise the 500 page."""
    if database_unavailable(sys.exc_info()[1]):
        return temporarily_unavailable(request)
    return defaults.server_error(request, template_name)
