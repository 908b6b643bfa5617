from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Guides")

    def ready(self):
        from kb import readers

        from . import (
            filters,
            signals,  # noqa: F401 - connects the page cache's invalidation
            texts,
        )

        texts.connect()
        # The guide list's filters, search and page number make different pages; nothing else.
        readers.register_query_parameters(*filters.GuideFilter.base_filters, "page")
