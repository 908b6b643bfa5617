from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from kb import offline, views
from kb.pagecache import tagged
from kb.sitemaps import SITEMAPS
from procedures.api.urls import prefixed
from procedures.publishing import tags

urlpatterns = [
    path("sitemap.xml", tagged(tags.GUIDES)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.health, name="health"),
    path("sw.js", offline.service_worker, name="service_worker"),
]

# Every page a person reads carries its language: /zh-hans/…, /zh-hant/…, /en/…
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline/", offline.saved_guides, name="saved_guides"),
    path("", include("procedures.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", prefixed.urls),
    prefix_default_language=True,
)

if settings.KB_BENCH:
    urlpatterns += [path("_bench/floor/", views.bench_floor, name="bench_floor")]

# Deployment (issue 17): readiness for load balancers, and a 503 when the database is away.
urlpatterns += [path("readyz", views.ready, name="ready")]
handler500 = "kb.errors.server_error"
