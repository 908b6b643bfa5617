from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Guides")

    def ready(self):
        from . import (
            signals,  # noqa: F401 - connects the page cache's invalidation
            texts,
        )
        from .search import documents as search_documents

        texts.connect()
        post_save.connect(
            search_documents.document_for_new_page,
            sender="procedures.PublicationPage",
            dispatch_uid="search-document-for-new-page",
        )
