from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.translation import get_language_from_path


class RememberLanguageMiddleware:
    """Remember the language a reader last chose, so `/` sends them back to it.

    The language lives in every URL (`/en/…`); the cookie is only written when the reader reaches
    a page in a language other than the one remembered, so ordinary pages send no cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = get_language_from_path(request.path_info)
        if (
            language
            and response.status_code == 200
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
        ):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class ReadOnlyPagesMiddleware:
    """Readers' pages answer GET and HEAD; OPTIONS and other methods are answered as Django's
    class-based `View` answers them (RFC 9110, 9.3.7): OPTIONS with the allowed methods in
    `Allow` and no body, anything else (TRACE, POST…) with 405 and `Allow`. Without this a
    function view answered OPTIONS and TRACE with the whole page (issue 17)."""

    ALLOWED = ("GET", "HEAD", "OPTIONS")
    PAGES = frozenset({"home", "sitemap", "robots_txt", "health", "ready"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match.namespace != "procedures" and match.url_name not in self.PAGES:
            return None
        if request.method == "POST" and getattr(view_func, "accepts_post", False):
            return None  # a form readers send (feedback), CSRF-protected by its view
        if request.method == "OPTIONS":
            response = HttpResponse()
            response.headers["Allow"] = ", ".join(self.ALLOWED)
            response.headers["Content-Length"] = "0"
            return response
        return HttpResponseNotAllowed(self.ALLOWED)
