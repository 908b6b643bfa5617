"""The reader features' pages are valid HTML in every language (html-validate, as the rest of
the public site in tests/test_valid_html.py)."""

import pytest

from .conftest import LANGUAGES
from .test_valid_html import html_validate, require_checker

pytestmark = pytest.mark.django_db

PAGES = [
    "/{lang}/finder/",
    "/{lang}/finder/?region=macau",
    "/{lang}/finder/?region=macau&carrier=ctm",
    "/{lang}/finder/?region=macau&carrier=ctm&kind=real-name",
    "/{lang}/finder/?region=macau&carrier=ctm&kind=real-name&document=passport",
    "/{lang}/finder/?region=macau&carrier=any&kind=number-check",
    "/{lang}/finder/?region=atlantis",
    "/{lang}/offline/",
    "/{lang}/guides/macau-real-name-registration/feedback/helpful/",
    "/{lang}/guides/macau-real-name-registration/feedback/problem/",
    "/{lang}/guides/macau-real-name-registration/feedback/problem/store-1/",
]


def test_reader_feature_pages_are_valid_html(client, demo, tmp_path):
    require_checker()
    files = []
    for language in LANGUAGES:
        for number, page in enumerate(PAGES):
            url = page.format(lang=language)
            response = client.get(url)
            assert response.status_code in (200, 400), url
            path = tmp_path / f"{language}-{number}.html"
            path.write_bytes(response.content)
            files.append(path)
    errors = html_validate(files, tmp_path / "report.json")
    assert errors == [], "\n".join(errors[:50])
