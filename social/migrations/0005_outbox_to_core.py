# The outbox is plumbing now (core.OutboxMessage, same table): social forgets it, state only.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("social", "0004_moderators_group"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboxMessage")],
            database_operations=[],
        ),
    ]
