"""The guide list's translation actions: fill one Chinese script from the other with OpenCC
(after a preview of each text, current and proposed, where the editor unticks what to keep) and
mark machine-converted texts as reviewed."""

from django.conf import settings
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from procedures import editorial
from procedures.translations import status as translation_status


class ConversionActions:
    """Actions of the guide list that fill or review translations."""

    def _convert(self, request, queryset, target):
        try:
            return self._convert_or_refuse(request, queryset, target)
        except editorial.WorkflowError as error:
            for problem in error.problems:
                self.message_user(request, problem, messages.ERROR)
            return None

    def _convert_or_refuse(self, request, queryset, target):
        """First a preview of every text the conversion would write (current and proposed,
        a person's reviewed translations unticked); then only the ticked texts are written."""
        language = dict(settings.LANGUAGES)[target]
        if request.POST.get("convert_confirmed") != "yes":
            previews = []
            for procedure in queryset:
                proposals = editorial.procedure_convert(
                    procedure=procedure, target=target, user=request.user, preview=True
                ).proposals
                if proposals:
                    previews.append((procedure, proposals))
            if not previews:
                self.message_user(
                    request,
                    _("Nothing to fill: the %(language)s texts of these guides are up to date.")
                    % {"language": language},
                    messages.INFO,
                )
                return None
            return TemplateResponse(
                request,
                "admin/procedures/procedure/confirm_conversion.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Fill %(language)s with OpenCC?") % {"language": language},
                    "opts": self.model._meta,
                    "previews": previews,
                    "queryset": queryset,
                    "action": request.POST.get("action"),
                    "language": language,
                    "target": target,
                    "media": self.media,
                },
            )
        ticked = set(request.POST.getlist("convert"))
        converted = 0
        for procedure in queryset:
            prefix = f"{procedure.pk}/"
            only = {key.removeprefix(prefix) for key in ticked if key.startswith(prefix)}
            if not only:
                continue
            if editorial.procedure_convert(
                procedure=procedure, target=target, user=request.user, only=only
            ).filled:
                converted += 1
        if not converted:
            self.message_user(request, _("No text was ticked: nothing was changed."), messages.INFO)
            return None
        self.message_user(
            request,
            ngettext(
                "Filled the ticked %(language)s texts of %(count)s guide with OpenCC. They are "
                "marked machine-converted until someone reviews them.",
                "Filled the ticked %(language)s texts of %(count)s guides with OpenCC. They are "
                "marked machine-converted until someone reviews them.",
                converted,
            )
            % {"language": language, "count": converted},
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
