"""Admin actions on the guide list: download the selected guides' texts for translation into
one language, as an XLIFF 2.0 file (one action per language). Importing is `manage.py
importxliff` (it reports conflicts field by field)."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from procedures.exchange.services import ExchangeError, exchange_export
from procedures.exchange.units import LANGUAGES
from procedures.translations.texts import LANGUAGE_CODES


def _export_action(language: str):
    def export(modeladmin, request, queryset):
        try:
            data, count = exchange_export(language=language, guides=list(queryset))
        except ExchangeError as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None
        name = f"guides-{language}-{timezone.localdate().isoformat()}.xlf"
        response = HttpResponse(data, content_type="application/xliff+xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Exported-Texts"] = str(count)
        return response

    export.__name__ = f"export_xliff_{language.replace('-', '_')}"
    return admin.action(
        description=format_lazy(
            _("Export for translation into {language} (XLIFF)"), language=LANGUAGES[language]
        )
    )(export)


EXPORT_ACTIONS = [_export_action(code) for code in LANGUAGE_CODES]
