from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Guides")

    def ready(self):
        from kb import readers
        from procedures import (
            filters,
            signals,  # noqa: F401 - connects the page cache's invalidation
            texts,
        )
        from procedures.search import documents as search_documents

        texts.connect()
        # The guide list's filters, search and page number make different pages; nothing else.
        readers.register_query_parameters(*filters.GuideFilter.base_filters, "page")
        post_save.connect(
            search_documents.document_for_new_page,
            sender="procedures.PublicationPage",
            dispatch_uid="search-document-for-new-page",
        )
