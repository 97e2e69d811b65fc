"""A notification: someone did something that concerns the recipient."""

from django.conf import settings
from django.db import models
from django.db.models import Q


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
        # About the recipient's own content or account (`moderation`: the action); the actor is
        # the recipient, the moderator unnamed.
        POST_REMOVED = "post_removed", "Your post was removed"
        COMMENT_REMOVED = "comment_removed", "Your comment was removed"
        USER_SUSPENDED = "user_suspended", "Your account was suspended"
        APPEAL_UPHELD = "appeal_upheld", "Our moderators looked again and kept their decision"
        APPEAL_REVERSED = "appeal_reversed", "Our moderators looked again and reversed it"
        REPLY = "reply", "replied to your comment"
        COMMENT_LIKE = "comment_like", "liked your comment"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications_caused"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    post = models.ForeignKey("posts.Post", null=True, blank=True, on_delete=models.CASCADE)
    comment = models.ForeignKey("posts.Comment", null=True, blank=True, on_delete=models.CASCADE)
    # Moderation notices: the report a reporter's notice is about, the action an author's is.
    report = models.ForeignKey(
        "social.Report", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    moderation = models.ForeignKey(
        "social.ModerationAction",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
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


class NotificationOptOut(models.Model):
    """A kind of notification `user` turned off (settings): none of it is written for them.

    No row means on, so a new account hears about everything without a row of its own.
    """

    class Setting(models.TextChoices):
        # Each setting covers these notification kinds (NOTIFICATION_SETTING_KINDS below).
        LIKES = "likes", "Likes on your posts"
        COMMENTS = "comments", "Comments on your posts and replies to your comments"
        MENTIONS = "mentions", "Mentions of you"
        FOLLOWS = "follows", "New followers"
        FOLLOW_REQUESTS = "follow_requests", "Follow requests"
        COMMENT_LIKES = "comment_likes", "Likes on your comments"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_opt_outs"
    )
    setting = models.CharField(max_length=32, choices=Setting.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "setting"], name="notification_opt_out_unique")
        ]

    def __str__(self):
        return f"{self.user_id} turned off {self.setting}"


Kind = Notification.Kind
Setting = NotificationOptOut.Setting
# Which setting turns each kind off; kinds not named here (accepted requests, report
# outcomes) are always sent.
NOTIFICATION_SETTING_KINDS = {
    Setting.LIKES: [Kind.LIKE],
    Setting.COMMENTS: [Kind.COMMENT, Kind.REPLY],
    Setting.MENTIONS: [Kind.MENTION],
    Setting.FOLLOWS: [Kind.FOLLOW],
    Setting.FOLLOW_REQUESTS: [Kind.FOLLOW_REQUEST],
    Setting.COMMENT_LIKES: [Kind.COMMENT_LIKE],
}
SETTING_OF_KIND = {
    kind: setting for setting, kinds in NOTIFICATION_SETTING_KINDS.items() for kind in kinds
}
