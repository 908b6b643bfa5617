"""What readers see: a publication freezes a guide at a moment (its content as data, its page
rendered per language), live from one time until another; redirects keep old guide addresses
working."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from procedures.models.catalog import Carrier, Region
from procedures.models.guides import Procedure

FAR_FUTURE = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)


class PublicationQuerySet(models.QuerySet):
    def live(self, *, at: datetime.datetime | None = None):
        """What readers see now: publications that have started and not been replaced."""
        at = at or timezone.now()
        return self.filter(live_from__lte=at, live_until__gt=at)

    def next_go_live(self, *, after: datetime.datetime | None = None) -> datetime.datetime | None:
        """When the next scheduled publication goes live (an aware datetime), or None. One
        small query; the page cache and the guide index both wait for it."""
        after = after or timezone.now()
        return (
            self.filter(live_from__gt=after, live_until__gt=models.F("live_from"))
            .order_by("live_from")
            .values_list("live_from", flat=True)
            .first()
        )


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
    # Which code rendered the stored page and card (procedures/publishing/rendering.py).
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
