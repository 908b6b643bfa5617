"""The interface is fully translated: no empty or fuzzy entry in any catalogue, and every
language really shows its own text."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


def test_the_three_catalogues_exist():
    assert {path.parts[-3] for path in CATALOGUES} == {"zh_Hans", "zh_Hant", "en"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy}"


@pytest.mark.parametrize(
    "language, expected",
    [("zh-hans", "找不到页面"), ("zh-hant", "找不到頁面"), ("en", "Page not found")],
)
def test_each_language_speaks_its_own_words(language, expected):
    with translation.override(language):
        assert translation.gettext("Page not found") == expected


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.parts[-3])
def test_translations_keep_every_placeholder(path):
    """A translation that drops "%(region)s" would hide the region from readers."""
    for entry in polib.pofile(str(path)):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        expected = set(PLACEHOLDER.findall(entry.msgid))
        for text in translations:
            assert set(PLACEHOLDER.findall(text)) == expected, (entry.msgid, text)
