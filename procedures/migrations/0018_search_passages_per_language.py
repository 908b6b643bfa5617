"""Search passages move from one JSON field to a plain-text field per language, one passage per
line, so a results page reads them with its cards in one query without decoding JSON."""

from django.db import migrations, models

LANGUAGES = {"zh-hans": "passages_zh_hans", "zh-hant": "passages_zh_hant", "en": "passages_en"}
BATCH = 500


def _joined(passages) -> str:
    return "\n".join(" ".join(str(passage).split("\n")) for passage in passages or [])


def split_json(apps, schema_editor):
    SearchDocument = apps.get_model("procedures", "SearchDocument")
    batch = []
    for document in SearchDocument.objects.only("pk", "passages").iterator(chunk_size=BATCH):
        stored = document.passages if isinstance(document.passages, dict) else {}
        for language, field in LANGUAGES.items():
            setattr(document, field, _joined(stored.get(language)))
        batch.append(document)
        if len(batch) == BATCH:
            SearchDocument.objects.bulk_update(batch, list(LANGUAGES.values()))
            batch = []
    if batch:
        SearchDocument.objects.bulk_update(batch, list(LANGUAGES.values()))


def join_json(apps, schema_editor):
    SearchDocument = apps.get_model("procedures", "SearchDocument")
    batch = []
    for document in SearchDocument.objects.iterator(chunk_size=BATCH):
        document.passages = {
            language: [line for line in getattr(document, field).split("\n") if line]
            for language, field in LANGUAGES.items()
        }
        batch.append(document)
        if len(batch) == BATCH:
            SearchDocument.objects.bulk_update(batch, ["passages"])
            batch = []
    if batch:
        SearchDocument.objects.bulk_update(batch, ["passages"])


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
