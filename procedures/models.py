"""The domain: where a reader is, which operator they deal with, and what they have to do.

Text a reader sees is translated per field with django-modeltranslation (see translation.py):
`title` is read in the active language, `title_zh_hans`, `title_zh_hant` and `title_en` hold the
three versions.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class Ordered(models.Model):
    """A row that editors put in order within its parent (drag and drop in the admin)."""

    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]


class Region(Ordered):
    """A jurisdiction with its own SIM rules: Macau, Hong Kong, Mainland China, …"""

    code = models.CharField(
        _("code"), max_length=8, unique=True, help_text=_("Short code, e.g. MO, HK, CN, PH, US.")
    )
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    summary = models.TextField(
        _("rules in brief"),
        blank=True,
        help_text=_("A few lines on the law, card limits and who may register (Markdown)."),
    )

    class ChineseVariant(models.TextChoices):
        HONG_KONG = "hk", _("Hong Kong and Macau usage")
        TAIWAN = "tw", _("Taiwan usage")

    chinese_variant = models.CharField(
        _("Traditional Chinese usage"),
        max_length=2,
        choices=ChineseVariant.choices,
        default=ChineseVariant.HONG_KONG,
        help_text=_("Which words automatic Simplified ↔ Traditional conversion uses here."),
    )

    class Meta(Ordered.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("procedures:region_detail", kwargs={"slug": self.slug})


class Carrier(Ordered):
    """A mobile operator. Closed operators stay listed, marked closed, so old advice can be
    answered ("SmarTone Macau closed in 2024")."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="carriers", verbose_name=_("region")
    )
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(
        _("official name"), max_length=200, help_text=_("The operator's official name.")
    )
    website = models.URLField(_("official website"), blank=True)
    is_active = models.BooleanField(
        _("in service"), default=True, help_text=_("Untick when the operator has closed.")
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status_note = models.TextField(
        _("status note"),
        blank=True,
        help_text=_("For a closed operator: what happened to its customers."),
    )

    class Meta(Ordered.Meta):
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(closed_on__isnull=False),
                name="closed_carrier_has_closing_date",
                violation_error_message=_("A carrier that is not in service needs a closing date."),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("procedures:carrier_detail", kwargs={"slug": self.slug})


class ContactNumber(Ordered):
    """A customer-service number of a carrier, shown as a tappable link."""

    carrier = models.ForeignKey(
        Carrier, on_delete=models.CASCADE, related_name="contact_numbers", verbose_name=_("carrier")
    )
    number = models.CharField(
        _("number"), max_length=40, help_text=_("As dialled, e.g. +853 1000 or 611.")
    )
    label = models.CharField(
        _("label"), max_length=200, blank=True, help_text=_("E.g. Customer service, from abroad.")
    )

    class Meta(Ordered.Meta):
        verbose_name = _("customer service number")
        verbose_name_plural = _("customer service numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "position"], name="unique_contact_number_position"
            )
        ]

    def __str__(self):
        return self.number

    @property
    def tel_href(self):
        return "tel:" + "".join(c for c in self.number if c.isdigit() or c == "+")


class Document(Ordered):
    """Something a reader must bring or upload: a passport, an ID card, the SIM itself, …"""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta(Ordered.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self):
        return self.name


class SimType(models.TextChoices):
    ESIM = "esim", _("eSIM")
    PHYSICAL = "physical", _("Physical SIM")
    DATA_ONLY = "data-only", _("Data-only SIM")


class Channel(models.TextChoices):
    """Where a reader carries out the steps."""

    APP = "app", _("In the operator's app")
    WEBSITE = "website", _("On the website")
    STORE = "store", _("In a store")
    PHONE = "phone", _("By phone")
    PURCHASE = "purchase", _("When buying the SIM")
    DEVICE = "device", _("On your phone")


DEFAULT_REVIEW_INTERVAL_DAYS = 180


class ProcedureQuerySet(models.QuerySet):
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


FAR_FUTURE = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


class PublicationQuerySet(models.QuerySet):
    def live(self, *, at: datetime.datetime | None = None):
        """What readers see now: publications that have started and not been replaced."""
        at = at or timezone.now()
        return self.filter(live_from__lte=at, live_until__gt=at)


class Publication(models.Model):
    """A published version of a guide, as readers see it.

    Publishing copies the editors' working copy into a new Publication (the page content as a
    snapshot, plus the columns the public lists filter on), so editors can keep working on the
    next version without readers seeing it. Exactly one publication of a guide is live at any
    time: a newer one starts when `live_from` comes (scheduled publishing needs no cron), and
    ends the previous one at that moment. Past publications stay, for "What changed".
    """

    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.CASCADE,
        related_name="publications",
        verbose_name=_("procedure"),
    )
    slug = models.SlugField(_("slug"), max_length=120)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        related_name="publications",
        verbose_name=_("region"),
    )
    carrier = models.ForeignKey(
        Carrier,
        on_delete=models.PROTECT,
        null=True,
        related_name="publications",
        verbose_name=_("carrier"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Procedure.Kind.choices)
    requirement = models.CharField(
        _("is it required?"), max_length=20, choices=Procedure.Requirement.choices
    )
    for_esim = models.BooleanField(default=False)
    for_physical_sim = models.BooleanField(default=False)
    for_data_only_sim = models.BooleanField(default=False)
    is_featured = models.BooleanField(default=False)
    # "|app|store|" and "|passport|hkid|": filterable without joins.
    channels = models.CharField(max_length=200, blank=True)
    document_slugs = models.TextField(blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    search_text = models.TextField(blank=True)
    last_verified_on = models.DateField(null=True)
    review_due_on = models.DateField(null=True)
    change_note = models.CharField(_("change note"), max_length=300, blank=True)
    # Which code rendered the stored page and card (procedures/rendering.py).
    rendered_stamp = models.CharField(max_length=32, blank=True)
    # Languages the guide is really written in ("zh-hans en"): the others show fallbacks or
    # machine conversions, and are kept out of hreflang and the sitemap.
    languages = models.CharField(max_length=50, blank=True)
    live_from = models.DateTimeField(_("live from"), db_index=True)
    live_until = models.DateTimeField(_("live until"), default=FAR_FUTURE, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-is_featured", "slug"]
        indexes = [
            models.Index(fields=["slug", "live_until"], name="publication_slug_idx"),
            models.Index(fields=["live_until", "live_from"], name="publication_live_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("procedures:guide_detail", kwargs={"slug": self.slug})

    @property
    def sim_types(self):
        return Procedure.sim_types.fget(self)

    @property
    def is_review_due(self) -> bool:
        return Procedure.is_review_due.fget(self)

    @property
    def language_codes(self) -> list[str]:
        return self.languages.split()

    @property
    def card(self):
        """This guide's card in lists, in the reader's language (load `page` with it)."""
        from .rendering import render_card, render_stamp
        from .snapshots import seen_marked_in

        if self.rendered_stamp == render_stamp() and self.page.rendered_card:
            # Its marked texts count in the notice of the page it is shown on.
            seen_marked_in(self.page.rendered_card)
            return mark_safe(self.page.rendered_card)  # noqa: S308 - rendered from a template
        return mark_safe(render_card(self))  # noqa: S308


class PublicationPage(models.Model):
    """The heavy part of a publication, in its own table so that scanning the publications for
    lists and counts never reads it: the page content as data, and the page body and list card
    as rendered per language when publishing."""

    publication = models.OneToOneField(
        Publication, on_delete=models.CASCADE, primary_key=True, related_name="page"
    )
    # Small before large: a database reading a card need not step over a page body.
    rendered_card = models.TextField(blank=True)
    rendered_body = models.TextField(blank=True)
    content = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("published page")
        verbose_name_plural = _("published pages")

    def __str__(self):
        return str(self.publication)


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


class SourceLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    ZH_HANT = "zh-hant", "繁體中文"
    EN = "en", "English"
    PT = "pt", "Português"
    FIL = "fil", "Filipino"


class BaseSource(Ordered):
    """An official page facts come from: a law, a regulator's notice, an operator's help page."""

    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("address"), max_length=500)
    language = models.CharField(
        _("language of the source"),
        max_length=10,
        choices=SourceLanguage.choices,
        default=SourceLanguage.EN,
    )

    class Meta(Ordered.Meta):
        abstract = True
        verbose_name = _("official source")
        verbose_name_plural = _("official sources")

    def __str__(self):
        return self.title


class Source(BaseSource):
    """An official page a guide's facts come from."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="sources", verbose_name=_("procedure")
    )

    class Meta(BaseSource.Meta):
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="unique_source_position")
        ]


class RegionSource(BaseSource):
    """An official page a region's rules come from."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="sources", verbose_name=_("region")
    )

    class Meta(BaseSource.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["region", "position"], name="unique_region_source_position"
            )
        ]


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


class GuideRedirect(models.Model):
    """An address a guide answered on before: its slug before a change, or the slug of a guide
    merged into it. Readers and search engines following an old link are sent on for good (301)."""

    old_slug = models.SlugField(_("old address"), max_length=120, unique=True)
    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("procedure")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")

    def __str__(self):
        return self.old_slug


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


from .feedback.models import Feedback  # noqa: E402, F401 - readers' feedback
from .search.models import SearchDocument, SearchTerm  # noqa: E402, F401 - search's own tables
