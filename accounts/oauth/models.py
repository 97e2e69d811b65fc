"""What Mastodon's app registration knows about an app beyond DOT's Application: its website and
the scopes it registered (it may later ask for these or fewer). Imported by accounts.models so
Django finds it."""

from django.db import models


class AppRegistration(models.Model):
    application = models.OneToOneField(
        "oauth2_provider.Application",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="registration",
    )
    website = models.URLField(max_length=2000, blank=True)
    scopes = models.TextField(help_text="Space-separated scopes the app may ask for.")

    class Meta:
        app_label = "accounts"

    def __str__(self):
        return f"{self.application_id} ({self.scopes})"
