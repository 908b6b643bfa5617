from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Guides")

    def ready(self):
        from kb import pagecache
        from kb.pagecache import readers
        from procedures import signals  # noqa: F401 - connects the page cache's invalidation
        from procedures.models import Publication
        from procedures.public import filters
        from procedures.search import documents as search_documents
        from procedures.translations import texts

        texts.connect()
        # The page cache must not outlive a scheduled publication; it asks us when the next is.
        pagecache.next_go_live_from(lambda: Publication.objects.next_go_live())
        # The guide list's filters, search and page number make different pages; nothing else.
        readers.register_query_parameters(*filters.GuideFilter.base_filters, "page")
        post_save.connect(
            search_documents.document_for_new_page,
            sender="procedures.PublicationPage",
            dispatch_uid="search-document-for-new-page",
        )
