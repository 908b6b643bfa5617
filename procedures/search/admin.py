"""The search-terms report for editors: what readers searched for over the last 30 days and
what found nothing, per language (procedures/search/terms.py keeps the counts)."""

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from procedures.search import terms
from procedures.search.models import SearchTerm


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    """One read-only screen: the report replaces the list of rows."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = terms.report()
        names = dict(settings.LANGUAGES)
        context = {
            **self.admin_site.each_context(request),
            "title": _("What readers search for"),
            "opts": self.model._meta,
            "days": terms.REPORT_DAYS,
            "languages": [
                {
                    "code": code,
                    "name": names[code],
                    "top": [(q, n, z, terms.search_url(code, q)) for q, n, z in found["top"]],
                    "zero": [(q, n, z, terms.search_url(code, q)) for q, n, z in found["zero"]],
                }
                for code, found in report.items()
            ],
        }
        return TemplateResponse(request, "admin/procedures/searchterm/report.html", context)
