"""Guides as editors write them: a procedure and its ordered rows (steps per channel, notes,
FAQs, required documents, sources). What readers see is a publication of one (publishing.py)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models.catalog import (
    BaseSource,
    Carrier,
    Channel,
    Document,
    Ordered,
    Region,
    SimType,
)

DEFAULT_REVIEW_INTERVAL_DAYS = 180


class ProcedureQuerySet(models.QuerySet):
    def working_copy(self, procedure: "Procedure | int") -> "Procedure":
        """The editors' version of a guide (a Procedure or its pk), with every row its page shows
        loaded: steps, notes, FAQs, sources, checklist documents, carrier, region and numbers.
        Raises Procedure.DoesNotExist when it is gone."""
        return (
            self.select_related("carrier__region", "region")
            .prefetch_related(
                "steps",
                "notes",
                "faqs",
                "sources",
                models.Prefetch(
                    "procedure_documents",
                    queryset=ProcedureDocument.objects.select_related("document"),
                ),
                "carrier__contact_numbers",
            )
            .get(pk=getattr(procedure, "pk", procedure))
        )

    def published(self):
        return self.filter(status=Procedure.Status.PUBLISHED)

    def review_due(self, *, today: datetime.date | None = None):
        """Guides never verified, or whose last verification is older than their interval."""
        today = today or timezone.localdate()
        return self.filter(Q(review_due_on__lt=today) | Q(review_due_on__isnull=True))


class Procedure(models.Model):
    """A guide: one thing a reader does with one carrier's SIM (or with any SIM, when
    `carrier` is empty), with the steps for each channel it can be done through."""

    class Kind(models.TextChoices):
        REAL_NAME = "real-name", _("Real-name registration")
        ACTIVATION = "activation", _("Activation")
        CANCELLATION = "cancellation", _("Cancellation")
        NUMBER_TRANSFER = "number-transfer", _("Keeping your number")
        LOST_CARD = "lost-card", _("Lost or stolen card")
        NUMBER_CHECK = "number-check", _("Checking numbers in your name")
        ESIM_DEVICE = "esim-device", _("eSIM on your phone")

    class Requirement(models.TextChoices):
        REQUIRED = "required", _("Required by law")
        CONDITIONAL = "conditional", _("Required in some cases")
        NOT_REQUIRED = "not-required", _("Not required")

    class Status(models.TextChoices):
        """Where the editors' working copy stands. Readers see the live Publication, which a
        draft or a review does not change."""

        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in-review", _("In review")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(
        _("slug"),
        unique=True,
        max_length=120,
        help_text=_("The address of the guide, the same in every language."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="procedures",
        null=True,
        blank=True,
        verbose_name=_("region"),
        help_text=_(
            "Filled in from the carrier. Set it alone for a rule of a whole region; leave both "
            "empty for a guide that applies everywhere, such as eSIM basics."
        ),
    )
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.PROTECT,
        related_name="procedures",
        null=True,
        blank=True,
        verbose_name=_("carrier"),
        help_text=_("Leave empty for a guide that applies to every operator."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    for_esim = models.BooleanField(_("applies to eSIM"), default=False)
    for_physical_sim = models.BooleanField(_("applies to physical SIM"), default=False)
    for_data_only_sim = models.BooleanField(_("applies to data-only SIM"), default=False)
    requirement = models.CharField(
        _("is it required?"),
        max_length=20,
        choices=Requirement.choices,
        default=Requirement.REQUIRED,
    )
    requirement_basis = models.CharField(
        _("why (legal basis)"),
        max_length=300,
        blank=True,
        help_text=_("In a few words, e.g. Macau Law 13/2019, art. 24."),
    )
    requirement_basis_url = models.URLField(_("link to the legal basis"), blank=True)

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences: is this my case?"))
    eligibility = models.CharField(
        _("who can do it"),
        max_length=300,
        blank=True,
        help_text=_("E.g. residents and visitors; minors with a parent or guardian."),
    )
    processing_time = models.CharField(_("processing time"), max_length=200, blank=True)
    fees = models.CharField(_("fees"), max_length=200, blank=True)
    official_contacts = models.TextField(
        _("official contacts"),
        blank=True,
        help_text=_(
            "Who to ask when something goes wrong: the operator's or the regulator's hotline, "
            "shop or page (Markdown). Shown with the carrier's own numbers."
        ),
    )
    correction_notice = models.TextField(
        _("correction notice"),
        blank=True,
        help_text=_(
            "What common advice gets wrong, e.g. CTT is Macau's regulator, not an operator "
            "(Markdown)."
        ),
    )

    documents = models.ManyToManyField(
        Document,
        through="ProcedureDocument",
        related_name="procedures",
        blank=True,
        verbose_name=_("required documents"),
    )
    last_verified_on = models.DateField(_("last verified on"), null=True, blank=True)
    review_interval_days = models.PositiveSmallIntegerField(
        _("review every (days)"),
        default=DEFAULT_REVIEW_INTERVAL_DAYS,
        help_text=_("After this many days without a new verification the guide is due a review."),
    )
    # Derived from the two fields above on save, so "review due" is an indexed date comparison.
    review_due_on = models.DateField(_("review due on"), null=True, editable=False, db_index=True)
    verified_by = models.CharField(
        _("verified by"),
        max_length=100,
        blank=True,
        help_text=_("Who checked the guide against its sources."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Shown on the home page.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["-is_featured", "slug"]
        permissions = [
            ("publish_procedure", _("Can publish, unpublish and archive guides")),
            ("translate_procedure", _("Can edit the translations of guides")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.review_due_on = (
            self.last_verified_on + datetime.timedelta(days=self.review_interval_days)
            if self.last_verified_on
            else None
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "review_due_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("procedures:guide_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.carrier_id:
            if self.region_id is None:
                self.region_id = self.carrier.region_id
            elif self.region_id != self.carrier.region_id:
                raise ValidationError(
                    {
                        "region": _("The region must be the carrier's region: %(region)s.")
                        % {"region": self.carrier.region}
                    }
                )

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_review_due(self) -> bool:
        return self.review_due_on is None or self.review_due_on < timezone.localdate()

    @property
    def sim_types(self):
        flags = {
            SimType.ESIM: self.for_esim,
            SimType.PHYSICAL: self.for_physical_sim,
            SimType.DATA_ONLY: self.for_data_only_sim,
        }
        return [sim_type for sim_type, applies in flags.items() if applies]

    def steps_by_channel(self):
        """[(channel, [steps…]), …] in the order the channels first appear.

        Steps are numbered within their channel by the template; reads the prefetched steps.
        """
        groups: dict[str, list[Step]] = {}
        for step in self.steps.all():
            groups.setdefault(step.channel, []).append(step)
        return [(Channel(channel), steps) for channel, steps in groups.items()]

    def notes_of_kind(self):
        groups: dict[str, list[Note]] = {kind: [] for kind in Note.Kind.values}
        for note in self.notes.all():
            groups[note.kind].append(note)
        return groups


class ProcedureDocument(Ordered):
    """A document on a procedure's checklist, with what exactly is asked of it."""

    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        related_name="procedure_documents",
        verbose_name=_("procedure"),
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        related_name="procedure_documents",
        verbose_name=_("document"),
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("E.g. original and a copy.")
    )

    class Meta(Ordered.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "document"],
                name="unique_procedure_document",
                violation_error_message=_("This document is already on the checklist."),
            ),
            models.UniqueConstraint(
                fields=["procedure", "position"], name="unique_procedure_document_position"
            ),
        ]

    def __str__(self):
        return str(self.document)


class Step(Ordered):
    """One numbered step of a procedure, done through one channel."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="steps", verbose_name=_("procedure")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    title = models.CharField(
        _("title"), max_length=200, help_text=_("Short and imperative: Upload your ID.")
    )
    body = models.TextField(
        _("details"),
        blank=True,
        help_text=_(
            "Markdown. Where phones differ, one section each: {for iphone}…{/for}, also android, "
            "samsung, pixel, other (several with commas: {for samsung, pixel}); readers see "
            "their phone's."
        ),
    )

    class Meta(Ordered.Meta):
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="unique_step_position")
        ]
        indexes = [models.Index(fields=["channel", "procedure"], name="step_channel_idx")]

    def __str__(self):
        return self.title


class Note(Ordered):
    """Advice around the steps: what to do before, what to check after, what to watch out for."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before you start")
        AFTER = "after", _("After you finish")
        WARNING = "warning", _("Watch out")
        TIP = "tip", _("Tip")
        TROUBLE = "trouble", _("If something goes wrong")

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="notes", verbose_name=_("procedure")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.TextField(_("text"), help_text=_("Markdown."))

    class Meta(Ordered.Meta):
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="unique_note_position")
        ]

    def __str__(self):
        return self.get_kind_display()


class Faq(Ordered):
    """A common question about a procedure, with its answer."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="faqs", verbose_name=_("procedure")
    )
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), help_text=_("Markdown."))

    class Meta(Ordered.Meta):
        verbose_name = _("question and answer")
        verbose_name_plural = _("questions and answers")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="unique_faq_position")
        ]

    def __str__(self):
        return self.question


class Source(BaseSource):
    """An official page a guide's facts come from."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="sources", verbose_name=_("procedure")
    )

    class Meta(BaseSource.Meta):
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="unique_source_position")
        ]
