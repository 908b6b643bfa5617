"""Reading editors' translated texts the one way the project agrees on.

"Not translated" is stored as the empty string. django-modeltranslation makes every translation
column nullable (and a nullable column's default is NULL), so a row made by an ORM call, a shell,
an import or a cleared form could hold NULL, blank or whitespace where another holds "". Every
write goes through `normalise_blank_texts` (a pre_save hook) and every read through `text_in`, so
publish checks, translation status, search, snapshots, history and feeds agree on what "missing"
means.
"""

import re

from django.conf import settings
from django.db import models
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

LANGUAGE_CODES: list[str] = [code for code, _name in settings.LANGUAGES]


def translated_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The names of a model's translated fields ("title", "summary", …)."""
    return translator.get_options_for_model(model).fields


def column(field: str, code: str) -> str:
    """The column holding one language of a field: ("title", "zh-hans") → "title_zh_hans"."""
    return build_localized_fieldname(field, code)


def text_in(obj: models.Model, field: str, code: str) -> str:
    """One language of a translated field as a string: "" when it is not translated (NULL,
    empty or only whitespace), else the text as typed."""
    value = getattr(obj, column(field, code))
    if value is None or not str(value).strip():
        return ""
    return value


# Control characters nobody types on purpose, which XML (feeds, exchange files) cannot carry.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def normalise_blank_texts(sender, instance: models.Model, **kwargs) -> None:
    """pre_save: store every untranslated text of `instance` as "" (never NULL or blanks), and
    no text with control characters (pasted or imported by accident)."""
    for field in translated_fields(type(instance)):
        for code in LANGUAGE_CODES:
            name = column(field, code)
            value = getattr(instance, name)
            if isinstance(value, str) and _CONTROL.search(value):
                value = _CONTROL.sub("", value)
                setattr(instance, name, value)
            if value is None or (isinstance(value, str) and not value.strip()):
                setattr(instance, name, "")


def connect() -> None:
    """Normalise texts before every save of every translated model (called from AppConfig)."""
    from django.db.models.signals import pre_save

    for model in translator.get_registered_models():
        pre_save.connect(
            normalise_blank_texts, sender=model, dispatch_uid=f"blank-texts-{model.__name__}"
        )


LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]  # the default language first
