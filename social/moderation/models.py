"""Reports, the moderators' audit log, appeals and banned images."""

from django.conf import settings
from django.db import models
from django.db.models import Q


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
        UPHOLD_APPEAL = "uphold_appeal", "Upheld on appeal"
        REVERSE_APPEAL = "reverse_appeal", "Reversed on appeal"

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
    # The appeal a decision on an appeal (UPHOLD_APPEAL, REVERSE_APPEAL) is about.
    appeal = models.ForeignKey(
        "Appeal", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    # Kept as text too, so the log still says what was acted on after the target is deleted.
    target_repr = models.CharField(max_length=200)
    reason = models.TextField(max_length=1000)
    # What the author is told (removals, suspensions): a category, never the reason above,
    # which stays with the moderators.
    category = models.CharField(max_length=16, choices=Report.Reason.choices, blank=True)
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


class Appeal(models.Model):
    """An author asking moderators to look again at a removal or suspension (one per action).

    Written by the author; decided once by a moderator, who upholds the action or reverses it
    (which restores through the moderation services). Each decision also writes an audit row
    (ModerationAction UPHOLD_APPEAL / REVERSE_APPEAL, `appeal` set), as reports' do.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        UPHELD = "upheld", "Upheld (the decision stands)"
        REVERSED = "reversed", "Reversed (restored)"

    action = models.OneToOneField(
        ModerationAction, on_delete=models.CASCADE, related_name="appeal_made"
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    text = models.TextField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appeals_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="appeal_queue_idx")]

    def __str__(self):
        return f"Appeal #{self.pk} ({self.status})"


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
