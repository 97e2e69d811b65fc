from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class SocialConfig(AppConfig):
    name = "social"

    def ready(self):
        from social.moderation.banned_images import sqlite_functions_register
        from social.moderation.moderators import moderators_group_ensure

        # SQLite learns the bit count that banned-image matching asks the database for.
        connection_created.connect(
            sqlite_functions_register, dispatch_uid="social.sqlite_functions_register"
        )
        # After social's permissions exist (they are made on the same signal, by auth, whose
        # app comes first), so a flushed database gets its Moderators group back.
        post_migrate.connect(
            moderators_group_ensure, sender=self, dispatch_uid="social.moderators_group_ensure"
        )
