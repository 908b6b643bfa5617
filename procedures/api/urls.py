"""The API's two entrances, one set of endpoints: `/api/v1/` answers in the language of the
request's Accept-Language; `/<lang>/api/v1/` in the language of its prefix (and is kept by the
page cache, which only keeps language-prefixed addresses). Each has its schema at
`openapi.json` and readable docs at `docs` (Swagger UI, served from static files: no CDN, no
inline script)."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer

from procedures.api import views

DESCRIPTION = (
    "Read-only access to the live SIM and eSIM guides, regions and carriers. Every text an "
    "editor wrote comes with the language it is really in: `fallback` is true when it stands "
    "in for the language asked for, `machine_converted` when Traditional Chinese was made "
    "from Simplified by machine and nobody reviewed it yet. Clients are limited per address "
    "(429 with Retry-After)."
)


class Renderer(JSONRenderer):
    """JSON with Chinese as UTF-8, not \\u escapes: a third smaller, and readable."""

    json_dumps_params = {"ensure_ascii": False}


def _api(namespace: str) -> NinjaAPI:
    api = NinjaAPI(
        title="SIM & eSIM Guide API",
        version="1",
        description=DESCRIPTION,
        urls_namespace=namespace,
        docs=Swagger(settings={"persistAuthorization": False}),
        renderer=Renderer(),
    )
    api.add_router("", views.guides)
    api.add_router("", views.regions)
    api.add_router("", views.carriers)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        message = str(exc) if exc.args else _("Not found.")
        return api.create_response(request, {"detail": message, "errors": {}}, status=404)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            name = str(error.get("loc", ["", "request"])[-1])
            errors.setdefault(name, []).append(_("This value is not valid."))
        return api.create_response(
            request, {"detail": _("Some parameters are not valid."), "errors": errors}, status=400
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        errors = getattr(exc, "errors", {})
        return api.create_response(
            request, {"detail": str(exc), "errors": errors}, status=exc.status_code
        )

    return api


negotiated = _api("api")
prefixed = _api("api-lang")


def not_found(request, exception=None):
    """An address under /api/v1/ that names no endpoint (negotiated_urls' handler404)."""
    return JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)


def server_error(request):
    return JsonResponse(
        {"detail": _("Something went wrong on our side. Please try again later."), "errors": {}},
        status=500,
    )
