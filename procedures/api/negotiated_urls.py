"""The URLconf of /api/v1/ (set per request by middleware.ApiMiddleware): the API alone, so
LocaleMiddleware takes the language from Accept-Language and leaves 404s as they are."""

from django.urls import path

from procedures.api.urls import negotiated

urlpatterns = [path("api/v1/", negotiated.urls)]
handler404 = "procedures.api.urls.not_found"
handler500 = "procedures.api.urls.server_error"
