"""A guide's history screens: the list of versions, comparing two of them, restoring one
(through the guide's rules, not django-reversion's own revert page) and recovering a deleted
guide."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from procedures import editorial
from procedures.admin.base import can_edit_structure
from procedures.editorial import events, history
from procedures.models import Procedure, Publication, PublicationPage


class HistoryViews:
    """The guide admin's history, compare, restore and recover pages."""

    @staticmethod
    def _described(versions):
        """The versions, each with `event_text`: what happened, in the admin's language."""
        versions = list(versions.select_related("revision__user"))
        for version in versions:
            version.event_text = events.describe(version.revision.get_comment())
        return versions

    def compare_view(self, request, object_id):
        obj = get_object_or_404(Procedure, pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        versions = history.procedure_versions(obj)
        old = versions.filter(pk=request.GET.get("old") or 0).first()
        new = versions.filter(pk=request.GET.get("new") or 0).first()
        if old is None or new is None:
            messages.error(request, _("Choose two versions to compare."))
            return HttpResponseRedirect(
                reverse("admin:procedures_procedure_history", args=[obj.pk])
            )
        if old.revision.date_created > new.revision.date_created:
            old, new = new, old
        context = {
            **self.admin_site.each_context(request),
            "title": _("Changes to “%(title)s”") % {"title": obj},
            "opts": self.model._meta,
            "original": obj,
            "old": old,
            "new": new,
            "differences": history.compare_versions(old, new),
            "can_restore": can_edit_structure(request),
        }
        return TemplateResponse(request, "admin/procedures/procedure/compare.html", context)

    def restore_view(self, request, object_id, version_id):
        obj = self._get_for_change(request, object_id)
        if not can_edit_structure(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision"), pk=version_id
        )
        if request.method == "POST":
            try:
                kept = editorial.procedure_restore(
                    procedure=obj, version=version, user=request.user
                )
            except editorial.WorkflowError as error:
                for problem in error.problems:
                    messages.error(request, problem)
                return HttpResponseRedirect(self._change_url(obj))
            for note in kept:
                messages.warning(request, note)
            messages.success(
                request,
                format_html(
                    _("Restored the version of {}. Publish it to show it to readers."),
                    date_format(
                        timezone.localtime(version.revision.date_created), "DATETIME_FORMAT"
                    ),
                ),
            )
        return HttpResponseRedirect(self._change_url(obj))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """django-reversion's own "revert" page would restore without this admin's rules (who
        may restore, four eyes, addresses): GET shows the guide's comparison with today, POST
        restores through editorial.procedure_restore."""
        obj = self._get_for_change(request, object_id)
        if request.method == "POST":
            return self.restore_view(request, object_id, version_id)
        latest = history.procedure_versions(obj).first()
        url = reverse("admin:procedures_procedure_compare", args=[obj.pk])
        return HttpResponseRedirect(f"{url}?old={version_id}&new={latest.pk if latest else 0}")

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted guide brought back is a draft (its publications went with it) changed by
        whoever recovered it (four eyes)."""
        if not can_edit_structure(request):
            raise PermissionDenied
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            version = get_object_or_404(Version, pk=version_id)
            procedure = Procedure.objects.filter(pk=version.object_id).first()
            if procedure is not None:
                editorial.procedure_mark_edited(
                    procedure=procedure, user=request.user, status=Procedure.Status.DRAFT
                )
        return response

    def get_deleted_objects(self, objs, request):
        """A guide's publications and stored pages are records of the guide that go with it:
        whoever may delete the guide deletes them too (they have no delete permission of their
        own, so the admin would otherwise refuse every deletion of a published guide)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        derived = {str(Publication._meta.verbose_name), str(PublicationPage._meta.verbose_name)}
        return deleted, counts, perms_needed - derived, protected

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(Procedure, pk=object_id)
        extra_context = {
            **(extra_context or {}),
            "versions": self._described(history.procedure_versions(obj)),
            "can_restore": can_edit_structure(request),
        }
        return super().history_view(request, object_id, extra_context)
