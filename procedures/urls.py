from django.urls import path

from kb.cache import tagged

from . import feeds, finder, views

app_name = "procedures"

urlpatterns = [
    path("guides/", views.guide_list, name="guide_list"),
    path("finder/", finder.finder, name="finder"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path("carriers/<slug:slug>/", views.carrier_detail, name="carrier_detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("feeds/guides.atom", tagged("guides")(feeds.RecentGuidesFeed()), name="feed"),
    path(
        "feeds/carriers/<slug:slug>.atom",
        tagged("guides")(feeds.CarrierGuidesFeed()),
        name="carrier_feed",
    ),
]
