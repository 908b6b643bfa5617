"""Where each translated text stands (missing, stale, converted by machine, current) per field
and language, and the same states as they were at each saved version."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.models.guides import Procedure


class TranslationStatus(models.TextChoices):
    COMPLETE = "complete", _("Complete")
    MISSING = "missing", _("Missing")
    STALE = "stale", _("Stale")
    MACHINE = "machine", _("Machine-converted, not reviewed")


class FieldTranslation(models.Model):
    """Where one language of one translated field stands.

    The source of a field is the language an editor last changed; every other language records
    a hash of the source text it was translated from, so it turns stale when the source moves
    on (unless the editor marked the change a minor fix). Kept up to date by services on every
    save, so lists, filters and the dashboard read the status directly.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(_("field"), max_length=50)
    language = models.CharField(_("language"), max_length=10)
    # The guide a row belongs to (itself or one of its steps, notes, …), for per-guide views.
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TranslationStatus.choices, db_index=True
    )
    source_language = models.CharField(_("source language"), max_length=10)
    source_hash = models.CharField(max_length=64, blank=True)
    machine_converted = models.BooleanField(_("machine-converted"), default=False)
    source_changed_at = models.DateTimeField(_("source changed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("field translation")
        verbose_name_plural = _("field translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "language"],
                name="unique_field_translation",
            )
        ]
        indexes = [
            models.Index(
                fields=["procedure", "language", "status"], name="translation_procedure_idx"
            )
        ]

    def __str__(self):
        return f"{self.field} [{self.language}]: {self.status}"


class RevisionTranslations(models.Model):
    """Where every translation of a guide stood when a version of it was recorded (one row per
    revision), so that restoring the version restores the truth about its translations too: a
    version that was fully translated is fully translated again, a stale one is stale again."""

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="translations"
    )
    # {procedure id: [{"model", "id", "field", "language", "status", "source_language",
    #                  "source_hash", "machine"}, …]}
    states = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("translation state of a version")
        verbose_name_plural = _("translation states of versions")

    def __str__(self):
        return str(self.revision_id)
