"""Bookkeeping of the editorial workflow: who changed a guide since its last publication (for
the four-eyes rule) and what the demo import last wrote (so it never overwrites editors)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models.guides import Procedure


class ImportedState(models.Model):
    """What an import last wrote to one object (a region, carrier, document or guide, with its
    rows), as a fingerprint. An object whose fingerprint no longer matches was changed since by
    someone else, and the next import leaves it alone unless forced."""

    model = models.CharField(max_length=50)
    key = models.CharField(max_length=120)  # the object's slug in the import's files
    object_id = models.PositiveBigIntegerField(null=True)  # finds it again if renamed or deleted
    fingerprint = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported state")
        verbose_name_plural = _("imported states")
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="unique_imported_state")
        ]

    def __str__(self):
        return f"{self.model} {self.key}"


class ProcedureEdit(models.Model):
    """Someone changed a guide's content (a save that changed something, a restore, a machine
    conversion). Publishing asks who changed it since its last publication: a publisher may not
    publish content they changed themselves (four eyes), however many saves came after."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="edits", verbose_name=_("procedure")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("change to a guide")
        verbose_name_plural = _("changes to guides")

    def __str__(self):
        return f"{self.procedure_id} {self.user_id} {self.at:%Y-%m-%d %H:%M}"
