# Two branches each added an accounts migration (file-name index, user sessions); they touch
# different things, so the graph simply joins them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_avatar_file_name_index"),
        ("accounts", "0002_user_sessions"),
    ]

    operations = []
