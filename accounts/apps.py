from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from accounts import signals
        from accounts.oauth import schema  # noqa: F401  (registers the OpenAPI scheme)

        User = self.get_model("User")
        post_save.connect(
            signals.user_saved_or_deleted, sender=User, dispatch_uid="accounts.user_saved"
        )
        post_delete.connect(
            signals.user_saved_or_deleted, sender=User, dispatch_uid="accounts.user_deleted"
        )
        user_logged_in.connect(signals.logged_in, dispatch_uid="accounts.session_record")
        user_logged_out.connect(signals.logged_out, dispatch_uid="accounts.session_forget")
