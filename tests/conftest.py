import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Test-only speedups, and a fresh language for each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


LANGUAGES = ["zh-hans", "zh-hant", "en"]
LANGUAGE_MARKS = {"zh-hans": "简", "zh-hant": "繁", "en": "EN"}
