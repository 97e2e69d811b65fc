"""The Moderators group may view appeals (they decide them through the admin's actions, with
the `moderate` permission they already hold)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"


def permission_add(apps, schema_editor):
    using = schema_editor.connection.alias
    config = apps.get_app_config("social")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0, using=using)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.using(using).filter(name=GROUP).first()
    if group is not None:
        group.permissions.add(
            Permission.objects.using(using).get(
                content_type__app_label="social",
                content_type__model="appeal",
                codename="view_appeal",
            )
        )


def permission_remove(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(codename="view_appeal"))


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0006_moderation_notices_and_appeals"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(permission_add, permission_remove)]
