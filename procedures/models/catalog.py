"""The catalogue: where a reader is (regions, with their own sources), which operator they deal
with (carriers and their phone numbers) and the documents procedures ask for. Everything else
points here; this module imports no other part of the domain."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
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
