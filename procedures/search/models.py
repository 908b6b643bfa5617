"""What search keeps in the database: each live guide's text analysed once, when it is first
indexed (so a process builds its index from short term lists, never from the pages), and the
search-terms log editors read in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """A publication's text as search terms, with the passages its result snippet is cut from.

    `terms` lists its distinct terms (space-separated) and `weights` their weighted counts in
    the same order (a title word counts more than a step's, see documents.FIELD_WEIGHTS): plain
    text, which a process reads for 10,000 guides much faster than JSON. `analyser` is the
    version of the analysis that made it, so a change to the analysis re-analyses every guide
    (documents.ANALYSER_VERSION)."""

    publication = models.OneToOneField(
        "procedures.Publication",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    analyser = models.PositiveSmallIntegerField()
    terms = models.TextField()
    weights = models.TextField()
    length = models.FloatField()
    words = models.TextField(blank=True)  # Latin words as written, for typo correction
    # Per language, the passages a result's snippet is cut from ("summary", "step title: body",
    # FAQs, notes), one per line (documents.join_passages): plain text, which a results page
    # reads with its cards in one query, without decoding JSON.
    passages_zh_hans = models.TextField(blank=True, default="")
    passages_zh_hant = models.TextField(blank=True, default="")
    passages_en = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self):
        return str(self.publication_id)


class SearchTerm(models.Model):
    """How often readers searched for one query on one day in one language, and how many of
    those searches found nothing. Counts only: no address, user, session or time of day."""

    day = models.DateField(_("day"))
    language = models.CharField(_("language"), max_length=10)
    query = models.CharField(_("query"), max_length=100)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches without results"), default=0)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language", "query"], name="unique_search_term_per_day"
            )
        ]
        indexes = [models.Index(fields=["day", "language"])]

    def __str__(self):
        return self.query
