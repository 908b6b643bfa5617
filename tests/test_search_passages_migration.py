"""Migration 0018: the search passages kept as JSON become one plain-text field per language,
in order, so results keep their snippets after the deploy without analysing guides again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("procedures", "0017_feedback_device_variants")]
AFTER = [("procedures", "0018_search_passages_per_language")]


@pytest.fixture
def executor():
    executor = MigrationExecutor(connection)
    yield executor
    # Back to the latest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_passages_move_to_one_field_per_language_in_order(executor):
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    publication = old.get_model("procedures", "Publication").objects.create(
        **_publication_fields(old)
    )
    old.get_model("procedures", "SearchDocument").objects.create(
        publication_id=publication.pk,
        analyser=3,
        terms="esim",
        weights="1",
        length=1,
        passages={"en": ["Scan the QR code.", "Restart the phone."], "zh-hans": ["扫描二维码。"]},
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    document = new.get_model("procedures", "SearchDocument").objects.get()
    assert document.passages_en == "Scan the QR code.\nRestart the phone."
    assert document.passages_zh_hans == "扫描二维码。"
    assert document.passages_zh_hant == ""


def _publication_fields(apps) -> dict:
    """The fewest fields a historical Publication needs (its procedure made as well)."""
    procedure = apps.get_model("procedures", "Procedure").objects.create(slug="scan", kind="esim")
    return {
        "procedure_id": procedure.pk,
        "slug": "scan",
        "kind": "esim",
        "live_from": timezone.now(),
        "live_until": timezone.now(),
    }
