"""The three editorial roles as groups, with the permissions that fit them.

Editor: creates and edits drafts (never publishes). Translator: edits the texts of existing
guides, nothing else. Publisher: what editors do, plus publishing, unpublishing and deleting.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = ["region", "carrier", "contactnumber", "document", "procedure", "proceduredocument",
           "step", "note", "faq", "source", "regionsource"]  # fmt: skip
ROWS = ["contactnumber", "proceduredocument", "step", "note", "faq", "source", "regionsource"]


def codenames(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


ROLES = {
    "Editor": codenames(["view", "add", "change"], CONTENT) + codenames(["delete"], ROWS),
    "Translator": codenames(["view"], CONTENT) + ["translate_procedure"],
    "Publisher": codenames(["view", "add", "change"], CONTENT)
    + codenames(["delete"], ROWS + ["procedure", "carrier", "document"])
    + ["publish_procedure", "view_publication"],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="procedures", codename__in=wanted
        )
        assert permissions.count() == len(wanted), (name, wanted)
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("procedures", "0003_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
