"""The Moderators group, with only the permissions moderation needs (see
social/moderation/moderators.py, which lists them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"
# A copy, not an import: a migration must keep meaning what it meant when it was written.
PERMISSIONS = [
    ("social", "moderationaction", "moderate"),
    ("social", "moderationaction", "view_moderationaction"),
    ("social", "report", "view_report"),
    ("social", "bannedimage", "view_bannedimage"),
    ("posts", "post", "view_post"),
    ("posts", "postimage", "view_postimage"),
    ("posts", "comment", "view_comment"),
    ("accounts", "user", "view_user"),
]


def group_create(apps, schema_editor):
    # Permissions are normally made after every migration has run (post_migrate); this one
    # needs them now, on a fresh database too.
    for label in {app for app, _, _ in PERMISSIONS}:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP)
    wanted = [
        Permission.objects.using(schema_editor.connection.alias).get(
            content_type__app_label=app, content_type__model=model, codename=codename
        )
        for app, model, codename in PERMISSIONS
    ]
    group.permissions.set(wanted)


def group_delete(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0001_initial"),
        ("posts", "0001_initial"),
        ("social", "0003_moderation"),
    ]

    operations = [migrations.RunPython(group_create, group_delete)]
