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


class Notification(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", "liked your post"
        COMMENT = "comment", "commented on your post"
        MENTION = "mention", "mentioned you"
        FOLLOW = "follow", "started following you"
        FOLLOW_REQUEST = "follow_request", "asked to follow you"
        FOLLOW_ACCEPTED = "follow_accepted", "accepted your follow request"
        # About the recipient's own report; the actor is the recipient, the moderator unnamed.
        REPORT_RESOLVED = "report_resolved", "Our moderators acted on your report. Thank you."
        REPORT_DISMISSED = "report_dismissed", "Our moderators reviewed your report and left it up."

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications_caused"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.CASCADE)
    comment = models.ForeignKey("posts.Comment", null=True, blank=True, on_delete=models.CASCADE)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["actor", "kind"], name="notification_actor_idx"),
        ]

    def __str__(self):
        return f"{self.actor_id} {self.kind} → {self.recipient_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        NUDITY = "nudity", "Nudity or sexual content"
        HARASSMENT = "harassment", "Harassment or bullying"
        VIOLENCE = "violence", "Violence"
        HATE = "hate", "Hate speech"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved (action taken)"
        DISMISSED = "dismissed", "Dismissed"

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.CASCADE)
    comment = models.ForeignKey("posts.Comment", null=True, blank=True, on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reports_received",
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    text = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_handled",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the "we received your report" email went out; claimed before sending, so a task
    # delivered twice sends it once.
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    # When the moderators' digest listed it; claimed like receipt_sent_at.
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(post__isnull=False, comment__isnull=True, user__isnull=True)
                    | Q(post__isnull=True, comment__isnull=False, user__isnull=True)
                    | Q(post__isnull=True, comment__isnull=True, user__isnull=False)
                ),
                name="report_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(status="open", post__isnull=False),
                name="report_one_open_per_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="open", comment__isnull=False),
                name="report_one_open_per_comment",
            ),
            models.UniqueConstraint(
                fields=["reporter", "user"],
                condition=Q(status="open", user__isnull=False),
                name="report_one_open_per_user",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_queue_idx"),
            models.Index(
                fields=["created_at"],
                condition=Q(digested_at__isnull=True),
                name="report_undigested_idx",
            ),
        ]

    def __str__(self):
        return f"Report #{self.pk} ({self.reason}, {self.status})"

    @property
    def target_kind(self):
        if self.post_id:
            return "post"
        if self.comment_id:
            return "comment"
        return "user"

    @property
    def target(self):
        return self.post or self.comment or self.user


class ModerationAction(models.Model):
    """The audit log: one row for every moderator action, never edited."""

    class Action(models.TextChoices):
        REMOVE_POST = "remove_post", "Removed post"
        RESTORE_POST = "restore_post", "Restored post"
        REMOVE_COMMENT = "remove_comment", "Removed comment"
        RESTORE_COMMENT = "restore_comment", "Restored comment"
        SUSPEND_USER = "suspend_user", "Suspended account"
        UNSUSPEND_USER = "unsuspend_user", "Restored account"
        DISMISS_REPORT = "dismiss_report", "Dismissed report"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.SET_NULL)
    comment = models.ForeignKey("posts.Comment", null=True, blank=True, on_delete=models.SET_NULL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_history",
    )
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL)
    # Kept as text too, so the log still says what was acted on after the target is deleted.
    target_repr = models.CharField(max_length=200)
    reason = models.TextField(max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["-created_at"], name="moderation_recent_idx"),
            models.Index(fields=["moderator", "-created_at"], name="moderation_by_mod_idx"),
            models.Index(fields=["user", "-created_at"], name="moderation_by_user_idx"),
        ]
        # What the Moderators group may do beyond viewing: act through social.moderation.
        permissions = [
            ("moderate", "Can remove and restore content, suspend accounts and dismiss reports")
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.target_repr}"


class BannedImage(models.Model):
    """The perceptual hash of an image moderators removed: uploads near it are refused.

    A removed image gets several rows: its whole frame and slightly cropped views of it, so a
    cropped copy still lands near one of them (social/moderation/banned_images.py).
    """

    image = models.ForeignKey(
        "posts.PostImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept when the post is deleted later: the ban outlives its source.
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Which part of the image was hashed: "" the whole frame, else e.g. "95x95@0,50".
    view = models.CharField(max_length=16, blank=True)
    phash = models.BigIntegerField()
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["image", "view"], name="banned_image_unique_view")
        ]

    def __str__(self):
        return f"Banned image {self.image_id} {self.view or 'whole'}"


class OutboxMessage(models.Model):
    """A task a write queued, kept until a worker has done it (the transactional outbox).

    Written in the same transaction as the write, so committed work is never lost when the
    broker is down: `outbox_redeliver` sends whatever is still here. See social/outbox.py.
    """

    # The task's import path, e.g. "social.tasks.notifications_deliver", and its ids.
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the redeliver job may send it next; each delivery pushes it further out.
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["next_attempt_at"], name="outbox_due_idx")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)} (attempt {self.attempts})"
