"""Catalogue rows (regions and their sources, carriers and their numbers, documents) go live the
moment they are saved: they have no working copy and no publication of their own, and every live
guide that shows them changes at once. So only publishers, the people who review guides before
readers see them, change them; editors and translators see them (and pick them in guides)."""

from django.db import migrations

CATALOGUE = ["region", "regionsource", "carrier", "contactnumber", "document"]
EDITOR_LOSES = [f"{action}_{model}" for action in ("add", "change", "delete") for model in CATALOGUE]


def catalogue_for_publishers(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="procedures", codename__in=EDITOR_LOSES
            )
        )
    publisher = Group.objects.filter(name="Publisher").first()
    if publisher is not None:
        publisher.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="procedures",
                codename__in=[f"delete_{model}" for model in CATALOGUE],
            )
        )


def editors_edit_the_catalogue_again(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor = Group.objects.filter(name="Editor").first()
    if editor is not None:
        editor.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="procedures",
                codename__in=[c for c in EDITOR_LOSES if not c.startswith("delete_")]
                + ["delete_contactnumber", "delete_regionsource"],
            )
        )


class Migration(migrations.Migration):
    dependencies = [("procedures", "0013_procedure_edits")]

    operations = [migrations.RunPython(catalogue_for_publishers, editors_edit_the_catalogue_again)]
