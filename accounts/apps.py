from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts.signals import user_saved_or_deleted

        User = self.get_model("User")
        post_save.connect(user_saved_or_deleted, sender=User, dispatch_uid="accounts.user_saved")
        post_delete.connect(
            user_saved_or_deleted, sender=User, dispatch_uid="accounts.user_deleted"
        )
