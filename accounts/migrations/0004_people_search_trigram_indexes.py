"""People search on PostgreSQL (accounts.selectors.user_search): the pg_trgm extension and GIN
trigram indexes on usernames and display names. On SQLite both steps do nothing: there the
search scans, which is fine at its size.

Two indexes per column: one on UPPER(column::text), the expression Django's icontains compares
on PostgreSQL (found anywhere), and one on the column itself, for pg_trgm's word-similarity
operator (`%>`, typos).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

COLUMNS = ("username", "display_name")


def _postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


def create_indexes(apps, schema_editor):
    if not _postgresql(schema_editor):
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS user_{column}_upper_trgm ON accounts_user "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS user_{column}_trgm ON accounts_user "
            f"USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if not _postgresql(schema_editor):
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS user_{column}_upper_trgm")
        schema_editor.execute(f"DROP INDEX IF EXISTS user_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_merge")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
