"""The translation dashboard: every guide × language with what it still needs, filtered by
language, status and region (by default only what needs work)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from procedures.models import Procedure, Region, TranslationStatus
from procedures.translations import status as translation_status


class DashboardView:
    """The guide admin's translations page."""

    def translations_view(self, request):
        """Every guide × language with what it still needs. By default only the guides that need
        work; filters: language, status (missing, stale, machine) and region (GET, shareable)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        languages = dict(settings.LANGUAGES)
        chosen_language = (
            request.GET.get("language") if request.GET.get("language") in languages else ""
        )
        chosen_status = request.GET.get("status", "")
        if chosen_status not in translation_status.NEEDS_WORK:
            chosen_status = ""
        regions = list(Region.objects.order_by("position", "pk"))
        chosen_region = request.GET.get("region", "")
        show_all = request.GET.get("show") == "all"
        needs = translation_status.needs_by_procedure()
        procedures = Procedure.objects.select_related("carrier", "region").order_by("slug")
        if chosen_region:
            procedures = procedures.filter(region__slug=chosen_region)
        shown_languages = [(code, name) for code, name in settings.LANGUAGES
                           if not chosen_language or code == chosen_language]  # fmt: skip
        rows = []
        totals = {
            code: dict.fromkeys(translation_status.NEEDS_WORK, 0) for code, _n in shown_languages
        }
        for procedure in procedures:
            cells = []
            for code, _name in shown_languages:
                counts = needs.get(procedure.pk, {}).get(code, {})
                if chosen_status:
                    counts = (
                        {chosen_status: counts[chosen_status]} if chosen_status in counts else {}
                    )
                for status, count in counts.items():
                    totals[code][status] += count
                cells.append({"code": code, "counts": counts, "total": sum(counts.values())})
            if show_all or any(cell["total"] for cell in cells):
                rows.append({"procedure": procedure, "cells": cells})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Translations"),
            "opts": self.model._meta,
            "rows": rows,
            "languages": shown_languages,
            "all_languages": settings.LANGUAGES,
            "statuses": [
                (status, TranslationStatus(status).label)
                for status in translation_status.NEEDS_WORK
                if not chosen_status or status == chosen_status
            ],
            "all_statuses": [
                (status, TranslationStatus(status).label)
                for status in translation_status.NEEDS_WORK
            ],
            "regions": regions,
            "chosen": {
                "language": chosen_language,
                "status": chosen_status,
                "region": chosen_region,
                "show": "all" if show_all else "needs",
            },
            "totals": totals,
        }
        return TemplateResponse(request, "admin/procedures/procedure/translations.html", context)
