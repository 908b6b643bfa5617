"""The guide list's translation actions: fill one Chinese script from the other with OpenCC
(with a confirmation before replacing reviewed work) and mark machine-converted texts as
reviewed."""

from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .. import services, translation_status


class ConversionActions:
    """Actions of the guide list that fill or review translations."""

    def _convert(self, request, queryset, target):
        try:
            return self._convert_or_refuse(request, queryset, target)
        except services.WorkflowError as error:
            for problem in error.problems:
                self.message_user(request, problem, messages.ERROR)
            return None

    def _convert_or_refuse(self, request, queryset, target):
        replace = request.POST.get("replace_reviewed") == "yes"
        if not replace:
            held = {
                procedure: services.procedure_convert(
                    procedure=procedure, target=target, user=request.user, replace_reviewed=False
                ).held_back
                for procedure in queryset
            }
            held = {procedure: labels for procedure, labels in held.items() if labels}
            if held:
                return TemplateResponse(
                    request,
                    "admin/procedures/procedure/confirm_conversion.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": _("Replace reviewed translations?"),
                        "opts": self.model._meta,
                        "held": held,
                        "queryset": queryset,
                        "action": request.POST.get("action"),
                        "language": dict(settings.LANGUAGES)[target],
                    },
                )
            filled = "done"
        else:
            for procedure in queryset:
                services.procedure_convert(
                    procedure=procedure, target=target, user=request.user, replace_reviewed=True
                )
            filled = "done"
        if filled:
            count = queryset.count()
            self.message_user(
                request,
                ngettext(
                    "Filled the missing and outdated %(language)s texts of %(count)s guide "
                    "with OpenCC. They are marked machine-converted until someone reviews them.",
                    "Filled the missing and outdated %(language)s texts of %(count)s guides "
                    "with OpenCC. They are marked machine-converted until someone reviews them.",
                    count,
                )
                % {"language": dict(settings.LANGUAGES)[target], "count": count},
                messages.SUCCESS,
            )
        return None

    @admin.action(
        description=_("Fill Traditional Chinese from Simplified (OpenCC)"),
        permissions=["change"],
    )
    def fill_traditional(self, request, queryset):
        return self._convert(request, queryset, "zh-hant")

    @admin.action(
        description=_("Fill Simplified Chinese from Traditional (OpenCC)"),
        permissions=["change"],
    )
    def fill_simplified(self, request, queryset):
        return self._convert(request, queryset, "zh-hans")

    @admin.action(
        description=_("Mark machine-converted Traditional Chinese as reviewed"),
        permissions=["change"],
    )
    def mark_traditional_reviewed(self, request, queryset):
        count = sum(
            translation_status.mark_reviewed(procedure=procedure, language="zh-hant")
            for procedure in queryset
        )
        self.message_user(
            request, _("%(count)s texts marked as reviewed.") % {"count": count}, messages.SUCCESS
        )
