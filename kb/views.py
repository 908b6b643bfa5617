import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from kb.pagecache import tag
from procedures.public import selectors
from procedures.publishing import tags
from procedures.publishing.rendering import render_page


def home(request):
    tag(request, tags.GUIDES)
    return render_page(request, "home.html", selectors.home_page())


@never_cache
def health(request):
    """Liveness, for load balancers and uptime checks: this process answers requests. It asks
    nothing of the database or the cache, so it answers at once whatever they do (issue 17)."""
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    """Readiness: this process can serve pages now. 200 when the database answers (within its
    timeouts, kb/postgresql), every migration is applied and the cache answers; otherwise 503
    with what is wrong, named without any address, user or secret:
    `{"status": "error", "database": "unreachable", "cache": "ok", "migrations": "ok"}`."""
    checks = {"database": "ok", "migrations": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_applied():
            checks["migrations"] = "pending"
    except DatabaseError:
        checks["database"] = checks["migrations"] = "unreachable"
    probe = f"kb:ready:{secrets.token_hex(4)}"
    # The Redis backend answers None instead of raising when Redis is away (kb/cache_backends).
    cache.set(probe, 1, timeout=5)
    if cache.get(probe) != 1:
        checks["cache"] = "unreachable"
    cache.delete(probe)
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


_migrated = False


def _migrations_applied() -> bool:
    """Once every migration this code knows is applied it stays so: checked until then only."""
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


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
