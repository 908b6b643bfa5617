"""Search passages move from one JSON field to a plain-text field per language, one passage per
line, so a results page reads them with its cards in one query without decoding JSON."""

from django.db import migrations, models

LANGUAGES = {"zh-hans": "passages_zh_hans", "zh-hant": "passages_zh_hant", "en": "passages_en"}
BATCH = 500


def _joined(passages) -> str:
    return "\n".join(" ".join(str(passage).split("\n")) for passage in passages or [])


def _rewrite(documents, change, fields: list[str]) -> None:
    """`change(document)` for each of `documents`, saved BATCH at a time."""
    batch = []
    for document in documents.iterator(chunk_size=BATCH):
        change(document)
        batch.append(document)
        if len(batch) == BATCH:
            documents.model.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        documents.model.objects.bulk_update(batch, fields)


def split_json(apps, schema_editor):
    def split(document):
        stored = document.passages if isinstance(document.passages, dict) else {}
        for language, field in LANGUAGES.items():
            setattr(document, field, _joined(stored.get(language)))

    documents = apps.get_model("procedures", "SearchDocument").objects.only("pk", "passages")
    _rewrite(documents, split, list(LANGUAGES.values()))


def join_json(apps, schema_editor):
    def join(document):
        document.passages = {
            language: [line for line in getattr(document, field).split("\n") if line]
            for language, field in LANGUAGES.items()
        }

    _rewrite(apps.get_model("procedures", "SearchDocument").objects.all(), join, ["passages"])


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0017_feedback_device_variants"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="passages_zh_hans",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="passages_zh_hant",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="passages_en",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AlterField(
            model_name="searchdocument",
            name="passages",
            field=models.JSONField(null=True),
        ),
        migrations.RunPython(split_json, join_json),
        migrations.RemoveField(
            model_name="searchdocument",
            name="passages",
        ),
    ]
