from django.urls import path

from kb.pagecache import tagged
from procedures.feedback import views as feedback_views
from procedures.public import feeds, finder, views
from procedures.publishing import tags

app_name = "procedures"

urlpatterns = [
    path("guides/", views.guide_list, name="guide_list"),
    path("finder/", finder.finder, name="finder"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide_detail"),
    path(
        "guides/<slug:slug>/feedback/<slug:kind>/",
        feedback_views.guide_feedback,
        name="guide_feedback",
    ),
    path(
        "guides/<slug:slug>/feedback/<slug:kind>/<slug:step>/",
        feedback_views.guide_feedback,
        name="step_feedback",
    ),
    path("carriers/<slug:slug>/", views.carrier_detail, name="carrier_detail"),
    path("regions/<slug:slug>/", views.region_detail, name="region_detail"),
    path("feeds/guides.atom", tagged(tags.GUIDES)(feeds.RecentGuidesFeed()), name="feed"),
    path(
        "feeds/carriers/<slug:slug>.atom",
        tagged(tags.GUIDES)(feeds.CarrierGuidesFeed()),
        name="carrier_feed",
    ),
]
