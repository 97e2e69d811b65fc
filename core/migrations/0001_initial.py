# The outbox moves from social to core with its table as it is: state only, no SQL.

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("social", "0004_moderators_group"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("task", models.CharField(max_length=200)),
                        ("args", models.JSONField(default=list)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("next_attempt_at", models.DateTimeField()),
                        ("attempts", models.PositiveSmallIntegerField(default=1)),
                    ],
                    options={
                        "db_table": "social_outboxmessage",
                        "indexes": [models.Index(fields=["next_attempt_at"], name="outbox_due_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
