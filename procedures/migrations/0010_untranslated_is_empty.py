"""One representation of "not translated": the empty string (procedures/translations/texts.py). Rows written
before it may hold NULL (modeltranslation's columns are nullable) or only whitespace."""

from django.db import migrations
from django.db.models import Q

LANGUAGES = ["zh_hans", "zh_hant", "en"]
# The translated fields of each model when this migration was written (procedures/translation.py).
TRANSLATED = {
    "Region": ["name", "summary"],
    "Carrier": ["name", "status_note"],
    "ContactNumber": ["label"],
    "Document": ["name", "description"],
    "Procedure": [
        "title", "summary", "requirement_basis", "eligibility", "processing_time", "fees",
        "official_contacts", "correction_notice",
    ],
    "ProcedureDocument": ["note"],
    "Step": ["title", "body"],
    "Note": ["body"],
    "Faq": ["question", "answer"],
    "Source": ["title"],
    "RegionSource": ["title"],
    "Publication": ["title", "summary", "change_note"],
    "PublicationPage": ["rendered_body", "rendered_card"],
}  # fmt: skip


def blanks_to_empty(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("procedures", model_name)
        for field in fields:
            for code in LANGUAGES:
                name = f"{field}_{code}"
                blank = Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__regex": r"^\s+$"})
                model.objects.filter(blank).update(**{name: ""})


class Migration(migrations.Migration):
    dependencies = [("procedures", "0009_guide_answers")]

    operations = [migrations.RunPython(blanks_to_empty, migrations.RunPython.noop)]
