"""The forms of the guide screens: the guide's change form (which refuses a save based on an
outdated copy) and the publish form."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from procedures import editorial
from procedures.editorial import history
from procedures.models import Procedure
from procedures.translations.texts import LANGUAGE_CODES


class ProcedureAdminForm(forms.ModelForm):
    """Carries the version the editor started from, so a save based on an outdated copy is
    refused (with what changed meanwhile) instead of overwriting someone else's work."""

    minor_fix = forms.BooleanField(
        label=_("Minor fix"),
        required=False,
        help_text=_(
            "A typo or punctuation fix that does not change the meaning: translations in the "
            "other languages stay up to date."
        ),
    )
    # The time of the last save the editor's copy is based on (every save stamps a new one).
    edit_version = forms.CharField(widget=forms.HiddenInput, required=False)
    edit_base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["edit_version"].initial = self.instance.updated_at.isoformat()
            latest = history.procedure_versions(self.instance).first()
            self.fields["edit_base_revision"].initial = latest.pk if latest else None

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if problem := editorial.slug_problem(procedure=self.instance, slug=slug):
            raise forms.ValidationError(problem)
        return slug

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        started_from = cleaned.get("edit_version")
        # Locked until the save commits (PostgreSQL: the row; SQLite: the database, whose admin
        # transactions start IMMEDIATE, kb/settings.py), so a second save waits, then sees this one.
        current = Procedure.objects.select_for_update().get(pk=self.instance.pk)
        if started_from == current.updated_at.isoformat():
            return cleaned
        # Saving again now is a deliberate choice to overwrite: carry the new version.
        data = self.data.copy()
        data["edit_version"] = current.updated_at.isoformat()
        self.data = data
        if not started_from:
            # A form from an old tab, a script or a browser extension: without the version it was
            # based on, a save could overwrite anyone's work unseen.
            raise forms.ValidationError(
                _(
                    "This form does not say which version of the guide it was based on, so "
                    "saving it could overwrite someone else's work. Nothing was saved; what you "
                    "typed is below. Check it against the guide, then save again to keep it."
                ),
                code="edit_version_missing",
            )
        if started_from != current.updated_at.isoformat():
            self.conflict = self._what_changed(cleaned.get("edit_base_revision"))
            raise forms.ValidationError(
                _(
                    "Someone else saved this guide while you were editing it (%(who)s, %(when)s). "
                    "Nothing you typed was saved; it is all still below. Check their changes, "
                    "then save again to keep yours."
                ),
                code="edit_conflict",
                params={
                    "who": (
                        current.last_edited_by.get_full_name()
                        or current.last_edited_by.get_username()
                        if current.last_edited_by
                        else _("another editor")
                    ),
                    "when": date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT"),
                },
            )
        return cleaned

    def _what_changed(self, base_version_id):
        versions = history.procedure_versions(self.instance)
        latest = versions.first()
        base = versions.filter(pk=base_version_id).first() if base_version_id else None
        if latest is None or base is None or base.pk == latest.pk:
            return []
        return history.compare_versions(base, latest)


class PublishForm(forms.Form):
    # The version of the guide the publisher saw when opening this page: a save after that is
    # not what they reviewed, so publishing is refused (see publishing.procedure_publish).
    reviewed_version = forms.CharField(widget=forms.HiddenInput, required=False)
    change_note_zh_hans = forms.CharField(
        label=_("What changed (简体中文)"), required=False, max_length=300
    )
    change_note_zh_hant = forms.CharField(
        label=_("What changed (繁體中文)"), required=False, max_length=300
    )
    change_note_en = forms.CharField(
        label=_("What changed (English)"), required=False, max_length=300
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=_("Leave empty to publish now. A later time takes effect by itself."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )

    def clean_publish_at(self):
        publish_at = self.cleaned_data["publish_at"]
        if problem := editorial.publish_time_problem(publish_at):
            raise forms.ValidationError(problem)
        return publish_at

    def change_note(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"change_note_{code.replace('-', '_')}"]
            for code in LANGUAGE_CODES
        }
