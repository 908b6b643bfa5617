from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from kb.cache import tag
from procedures import selectors
from procedures.rendering import render_page


def home(request):
    tag(request, "guides")
    return render_page(request, "home.html", selectors.home_page())


@never_cache
def health(request):
    """For load balancers and uptime checks: the app runs and its database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def robots_txt(request):
    sitemap_url = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /*/admin/", f"Sitemap: {sitemap_url}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


_FLOOR_BYTES = None


def bench_floor(request):
    """The benchmark's floor: the same bytes as a real page, from memory, through the same
    server and middleware. Only routed when KB_BENCH is on."""
    global _FLOOR_BYTES
    if _FLOOR_BYTES is None:
        from django.conf import settings

        with open(settings.KB_BENCH_FLOOR_FILE, "rb") as page:
            _FLOOR_BYTES = page.read()
    return HttpResponse(_FLOOR_BYTES, content_type="text/html; charset=utf-8")
