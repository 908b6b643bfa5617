"""The publishing screen of a guide and its workflow buttons (submit, publish, unpublish,
archive), and the read-only record of publications."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from procedures import editorial, publishing
from procedures.admin.base import can_edit_structure
from procedures.admin.forms import PublishForm
from procedures.models import Procedure, Publication


class PublishingViews:
    """The guide admin's workflow: which buttons an editor sees, the publish page, and the
    other workflow steps (POST only)."""

    def _workflow_actions(self, request, obj) -> list[tuple[str, str]]:
        actions = []
        can_publish = request.user.has_perm("procedures.publish_procedure")
        if obj.status in (Procedure.Status.DRAFT, Procedure.Status.ARCHIVED) and can_edit_structure(
            request
        ):
            actions.append(("submit", _("Submit for review")))
        if can_publish and obj.status != Procedure.Status.PUBLISHED:
            # Refused whatever the form says (four eyes): shown disabled, with the reason.
            refusal = editorial.publish_refusal(procedure=obj, user=request.user)
            actions.append(("publish-refused", refusal) if refusal else ("publish", _("Publish…")))
        if can_publish and editorial.live_publication(obj):
            actions.append(("unpublish", _("Unpublish")))
        if can_publish and obj.status != Procedure.Status.ARCHIVED:
            actions.append(("archive", _("Archive")))
        return actions

    def publish_view(self, request, object_id):
        obj = self._get_for_change(request, object_id)
        if not request.user.has_perm("procedures.publish_procedure"):
            raise PermissionDenied
        form = PublishForm(
            request.POST if request.method == "POST" else None,
            initial={"reviewed_version": obj.updated_at.isoformat()},
        )
        problems = editorial.procedure_publish_problems(
            procedure=Procedure.objects.working_copy(obj)
        )
        if refusal := editorial.publish_refusal(procedure=obj, user=request.user):
            problems.insert(0, refusal)  # said before the publisher fills anything in
        if request.method == "POST" and form.is_valid():
            try:
                publication = publishing.procedure_publish(
                    procedure=obj,
                    user=request.user,
                    change_note=form.change_note(),
                    publish_at=form.cleaned_data["publish_at"],
                    reviewed_version=form.cleaned_data["reviewed_version"] or None,
                )
            except editorial.WorkflowError as error:
                problems = error.problems
            else:
                if publication.live_from > timezone.now():
                    message = _("“%(title)s” will be published on %(when)s.") % {
                        "title": obj,
                        "when": date_format(
                            timezone.localtime(publication.live_from), "DATETIME_FORMAT"
                        ),
                    }
                else:
                    message = _("“%(title)s” is published.") % {"title": obj}
                messages.success(request, message)
                return HttpResponseRedirect(self._change_url(obj))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish “%(title)s”") % {"title": obj},
            "opts": self.model._meta,
            "original": obj,
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/procedures/procedure/publish.html", context)

    def workflow_view(self, request, object_id, action):
        obj = self._get_for_change(request, object_id)
        steps = {
            "submit": (editorial.procedure_submit_for_review, _("“%(title)s” awaits review.")),
            "unpublish": (publishing.procedure_unpublish, _("“%(title)s” is off the public site.")),
            "archive": (publishing.procedure_archive, _("“%(title)s” is archived.")),
        }
        if action not in steps or request.method != "POST":
            return HttpResponseRedirect(self._change_url(obj))
        step, success = steps[action]
        try:
            step(procedure=obj, user=request.user)
        except editorial.WorkflowError as error:
            for problem in error.problems:
                messages.error(request, problem)
        else:
            messages.success(request, success % {"title": obj})
        return HttpResponseRedirect(self._change_url(obj))


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    """Read-only record of what was published, when and by whom."""

    list_display = ["title", "slug", "live_from", "live_until", "published_by", "change_note"]
    list_filter = ["kind", "region"]
    search_fields = ["slug", "title_zh_hans", "title_en"]
    date_hierarchy = "live_from"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
