import sqlite3

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import translation
from reversion.models import Revision

from kb import pagecache as page_cache
from procedures.models import Carrier, Document, ImportedState, Procedure, Region
from procedures.public import listing
from procedures.search import terms as search_terms


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Test-only speedups, and a fresh language for each test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.KB_PAGE_CACHE_SIGNAL = str(tmp_path / "page-cache-signal")
    cache.clear()  # pages are cached in tests as in production; each test starts empty
    page_cache.forget_versions()
    listing.forget()
    search_terms.forget()  # counts written by one test never land in another's queries
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


LANGUAGES = ["zh-hans", "zh-hant", "en"]
LANGUAGE_MARKS = {"zh-hans": "简", "zh-hant": "繁", "en": "EN"}


# The database as it was right after the first `loaddemo` of this test process (SQLite).
_demo_copy: list[sqlite3.Connection] = []


def load_demo() -> None:
    """Put the demo knowledge base in the test database, as `make run` does. On SQLite the first
    load is copied (SQLite's online backup, in memory) and later loads put the copy back in a few
    milliseconds instead of importing and publishing every guide again; on PostgreSQL each load
    imports. Call it with no transaction open and the knowledge base empty."""
    if connection.vendor != "sqlite":
        call_command("loaddemo", verbosity=0)
        return
    connection.ensure_connection()
    if _demo_copy:
        _demo_copy[0].backup(connection.connection)
        return
    call_command("loaddemo", verbosity=0)
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _demo_copy.append(copy)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo knowledge base, loaded once for a test module (each test's own changes are
    rolled back as usual), and removed afterwards so other modules start empty."""
    with django_db_blocker.unblock():
        load_demo()
        yield
        Procedure.objects.all().delete()
        Carrier.objects.all().delete()
        Region.objects.all().delete()
        Document.objects.all().delete()
        Revision.objects.all().delete()
        ImportedState.objects.all().delete()
