"""exportkb / importkb: the whole knowledge base to one file and back, losing nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from procedures.importing import transfer
from procedures.models import Carrier, Document, ImportedState, Procedure, Publication, Region

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _empty_the_knowledge_base():
    Procedure.objects.all().delete()
    Carrier.objects.all().delete()
    Region.objects.all().delete()
    Document.objects.all().delete()
    ImportedState.objects.all().delete()


def test_export_then_import_into_an_empty_site_gives_every_row_and_field_back(
    demo, client, tmp_path
):
    editor = UserFactory(username="editor-who-published")
    Publication.objects.filter(pk=Publication.objects.live().first().pk).update(published_by=editor)
    path = tmp_path / "kb.jsonl"
    call_command("exportkb", str(path), verbosity=0)
    before = path.read_text(encoding="utf-8").splitlines()
    head = json.loads(before[0])
    assert head["counts"]["procedures.procedure"] == Procedure.objects.count() > 10
    assert head["counts"]["procedures.fieldtranslation"] > 100
    assert head["counts"]["procedures.publicationpage"] > 0
    live = Publication.objects.live().order_by("slug").first()

    _empty_the_knowledge_base()
    editor.delete()
    assert client.get(f"/en/guides/{live.slug}/").status_code == 404
    call_command("importkb", str(path), verbosity=0)

    again = tmp_path / "again.jsonl"
    call_command("exportkb", str(again), verbosity=0)
    after = again.read_text(encoding="utf-8").splitlines()
    assert json.loads(after[0])["counts"] == head["counts"]
    assert after[1:] == before[1:]  # every field of every row, ids and references included
    page = client.get(f"/en/guides/{live.slug}/")
    assert page.status_code == 200 and live.title_en in page.content.decode()
    assert "editor-who-published" in json.loads(after[0])["users"]


def test_importing_into_a_site_with_guides_is_refused_with_a_reason(demo, tmp_path):
    path = tmp_path / "kb.jsonl"
    call_command("exportkb", str(path), verbosity=0)
    with pytest.raises(CommandError, match="already holds a knowledge base"):
        call_command("importkb", str(path), verbosity=0)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "empty or not an export"),
        ('{"format": "something else"}\n', "not an export of this knowledge base"),
        ('{"format": "sim-esim-kb", "version": 99}\n', "version 99"),
        (
            '{"format": "sim-esim-kb", "version": 1, "counts": {}}\n{"model": "auth.user"}\n',
            "unknown kind of row",
        ),
        (
            '{"format": "sim-esim-kb", "version": 1, "counts": {}}\n'
            '{"model": "procedures.step", "pk": 1, "fields": {"procedure": 999}}\n',
            "refers to rows it does not hold",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_says_why_and_writes_nothing(tmp_path, content, reason):
    _empty_the_knowledge_base()  # other tests of this module may have loaded the demo
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=reason):
        call_command("importkb", str(path), verbosity=0)
    assert not Procedure.objects.exists() and not Region.objects.exists()


def test_export_to_standard_output_is_the_same_file(demo, tmp_path):
    out = io.StringIO()
    call_command("exportkb", "-", stdout=out)
    path = tmp_path / "kb.jsonl"
    call_command("exportkb", str(path), verbosity=0)
    rows = out.getvalue().splitlines()[1:]
    assert rows and rows == path.read_text(encoding="utf-8").splitlines()[1:]
    assert transfer.read_header(iter(out.getvalue().splitlines()))["version"] == transfer.VERSION
