from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheTag(models.Model):
    """The version of a piece of content that cached pages show (kb/pagecache/).

    Kept in the database, not in the cache itself, so every server process sees a change at
    once, whatever cache backend each one uses.
    """

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    version = models.BigIntegerField(_("version"))

    class Meta:
        verbose_name = _("cache tag")
        verbose_name_plural = _("cache tags")

    def __str__(self):
        return f"{self.name}@{self.version}"
