from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SocialConfig(AppConfig):
    name = "social"

    def ready(self):
        from social.moderation.moderators import moderators_group_ensure

        # After social's permissions exist (they are made on the same signal, by auth, whose
        # app comes first), so a flushed database gets its Moderators group back.
        post_migrate.connect(
            moderators_group_ensure, sender=self, dispatch_uid="social.moderators_group_ensure"
        )
