"""The one table the Mastodon client API keeps of its own: each reader's timeline markers."""

from django.conf import settings
from django.db import models


class Marker(models.Model):
    """Where `user` stopped reading a timeline ("home" or "notifications"), as apps save it."""

    class Timeline(models.TextChoices):
        HOME = "home"
        NOTIFICATIONS = "notifications"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mastodon_markers"
    )
    timeline = models.CharField(max_length=16, choices=Timeline.choices)
    last_read_id = models.CharField(max_length=40)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "timeline"], name="marker_user_timeline_unique")
        ]

    def __str__(self):
        return f"{self.user_id} read {self.timeline} up to {self.last_read_id}"
