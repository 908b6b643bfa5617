from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Guides")

    def ready(self):
        from . import (
            signals,  # noqa: F401 - connects the page cache's invalidation
            texts,
        )

        texts.connect()
