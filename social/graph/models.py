"""The social graph: follows (with requests for private accounts), blocks and mutes.

Rows are pairs of user ids; nothing here knows what a post is.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class FollowQuerySet(models.QuerySet):
    def accepted(self):
        return self.filter(status=Follow.Status.ACCEPTED)

    def pending(self):
        return self.filter(status=Follow.Status.PENDING)

    def following_ids(self, user):
        """Subquery: ids of the accounts `user` follows (accepted)."""
        return self.accepted().filter(follower=user).values("following_id")


class Follow(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Requested"
        ACCEPTED = "accepted", "Following"

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following_set"
    )
    following = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follower_set"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACCEPTED)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = FollowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "following"], name="follow_unique_pair"),
            models.CheckConstraint(condition=~Q(follower=F("following")), name="follow_not_self"),
        ]
        indexes = [
            models.Index(fields=["follower", "status", "-created_at"], name="follow_follower_idx"),
            models.Index(
                fields=["following", "status", "-created_at"], name="follow_following_idx"
            ),
        ]

    def __str__(self):
        return f"{self.follower_id} → {self.following_id} ({self.status})"


class BlockQuerySet(models.QuerySet):
    def unblocked_q(self, user, field):
        """A Q keeping rows whose user `field` has no block with `user` in either direction."""
        return ~Q(**{f"{field}__in": self.filter(blocker=user).values("blocked_id")}) & ~Q(
            **{f"{field}__in": self.filter(blocked=user).values("blocker_id")}
        )

    def between(self, a, b):
        """Blocks in either direction between `a` and `b`."""
        return self.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a))


class Block(models.Model):
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="block_blocked_idx")]

    def __str__(self):
        return f"{self.blocker_id} blocks {self.blocked_id}"


class Mute(models.Model):
    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes_made"
    )
    muted = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="mute_unique_pair"),
            models.CheckConstraint(condition=~Q(muter=F("muted")), name="mute_not_self"),
        ]

    def __str__(self):
        return f"{self.muter_id} mutes {self.muted_id}"
