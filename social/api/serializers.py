"""How follows, blocks, mutes, follow requests, notifications and reports look in JSON.

Output serializers are read-only; the one request body (a report) declares exactly what a
client may set.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from posts.api.serializers import AuthorSerializer, PostPreviewSerializer
from posts.models import Comment
from social.graph.models import Block, Follow, Mute
from social.moderation.appeals import APPEAL_TEXT_MAX
from social.moderation.models import Appeal, ModerationAction, Report
from social.moderation.reports import REPORT_TEXT_MAX
from social.notifications.models import Notification, NotificationOptOut

FOLLOW_STATUSES = (
    ("following", "I follow them."),
    ("requested", "I asked to follow them (a private account) and they haven't answered."),
    ("none", "I don't follow them."),
)
TARGET_TYPES = ("post", "comment", "user")
# Ids beyond a signed 64-bit integer name no row in any database; refuse them as bad input.
ID_MAX = 2**63 - 1


def follow_status(follow):
    """The caller's follow as the API names it; `follow` is a Follow row or None."""
    if follow is None:
        return "none"
    return "following" if follow.status == Follow.Status.ACCEPTED else "requested"


class FollowStateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=FOLLOW_STATUSES, read_only=True)


class FollowerRemovedSerializer(serializers.Serializer):
    removed = serializers.BooleanField(help_text="False when they didn't follow you.")


class BlockStateSerializer(serializers.Serializer):
    is_blocking = serializers.BooleanField(read_only=True, help_text="I block them.")


class MuteStateSerializer(serializers.Serializer):
    is_muting = serializers.BooleanField(read_only=True, help_text="I mute them.")


class BlockSerializer(serializers.ModelSerializer):
    """An account I blocked; DELETE /users/<username>/block/ unblocks it."""

    user = AuthorSerializer(source="blocked", read_only=True, help_text="Whom I blocked.")

    class Meta:
        model = Block
        fields = ("user", "created_at")
        read_only_fields = fields


class MuteSerializer(serializers.ModelSerializer):
    """An account I muted; DELETE /users/<username>/mute/ unmutes it."""

    user = AuthorSerializer(source="muted", read_only=True, help_text="Whom I muted.")

    class Meta:
        model = Mute
        fields = ("user", "created_at")
        read_only_fields = fields


class FollowRequestSerializer(serializers.ModelSerializer):
    """A pending request to follow me; its id is what accept and decline take."""

    user = AuthorSerializer(source="follower", read_only=True, help_text="Who asks.")

    class Meta:
        model = Follow
        fields = ("id", "user", "created_at")
        read_only_fields = fields


class NotificationCommentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Comment
        fields = ("id", "text")
        read_only_fields = fields


class ReportNoticeSerializer(serializers.ModelSerializer):
    """Which of my reports a moderation outcome is about: never the reported content."""

    target_type = serializers.CharField(source="target_kind", read_only=True)
    target_owner = serializers.SerializerMethodField(
        help_text="Username of the account reported, or of the author of the post or comment."
    )
    reason_label = serializers.CharField(source="get_reason_display", read_only=True)

    class Meta:
        model = Report
        fields = ("id", "target_type", "target_owner", "reason", "reason_label", "created_at")
        read_only_fields = fields

    def get_target_owner(self, report) -> str:
        if report.post_id:
            return report.post.author.username
        if report.comment_id:
            return report.comment.author.username
        return report.user.username


class ModerationNoticeSerializer(serializers.ModelSerializer):
    """A removal or suspension of my own content or account (notifications reach only the
    author), with the category I am told and where to appeal."""

    target_type = serializers.SerializerMethodField(help_text="post, comment or account.")
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    appeal_url = serializers.SerializerMethodField(help_text="The page to ask for a review.")

    class Meta:
        model = ModerationAction
        fields = (
            "id",
            "target_type",
            "post",
            "comment",
            "category",
            "category_label",
            "appeal_url",
            "created_at",
        )
        read_only_fields = fields

    def get_target_type(self, action) -> str:
        return {"remove_post": "post", "remove_comment": "comment"}.get(action.action, "account")

    def get_appeal_url(self, action) -> str:
        return reverse("social:appeal", args=[action.pk])


class NotificationSerializer(serializers.ModelSerializer):
    """Something someone did that concerns me, with the post and comment it is about."""

    # Expects a row from notifications_list: actor, post and comment joined, and the post's
    # first image as `cover_images`, so a page costs no query per row.
    actor = AuthorSerializer(read_only=True, help_text="Who did it.")
    text = serializers.CharField(
        source="get_kind_display",
        read_only=True,
        help_text='What they did, e.g. "liked your post".',
    )
    post = PostPreviewSerializer(read_only=True, allow_null=True, help_text="The post it is about.")
    comment = NotificationCommentSerializer(
        read_only=True, allow_null=True, help_text="The comment it is about."
    )
    read = serializers.SerializerMethodField(help_text="Marked read (POST /notifications/read/).")
    report = ReportNoticeSerializer(
        read_only=True, allow_null=True, help_text="My report a moderation outcome is about."
    )
    moderation = ModerationNoticeSerializer(
        read_only=True,
        allow_null=True,
        help_text="The removal or suspension of my content or account it is about.",
    )

    class Meta:
        model = Notification
        fields = (
            "id",
            "kind",
            "text",
            "actor",
            "post",
            "comment",
            "read",
            "created_at",
            "report",
            "moderation",
        )
        read_only_fields = fields

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationGroupSerializer(serializers.Serializer):
    """Notifications told as one: all likes of one post, or of one comment; any other
    notification is a group of its own. From notifications_grouped (no query per group)."""

    id = serializers.IntegerField(
        source="notification.pk", read_only=True, help_text="The group's latest notification."
    )
    kind = serializers.ChoiceField(
        source="notification.kind", choices=Notification.Kind.choices, read_only=True
    )
    text = serializers.CharField(
        source="notification.get_kind_display",
        read_only=True,
        help_text='What they did, e.g. "liked your post".',
    )
    actors = AuthorSerializer(
        many=True, read_only=True, help_text="The latest people who did it (at most two)."
    )
    actor_count = serializers.IntegerField(
        read_only=True, help_text="How many people did it: actors and the others."
    )
    post = PostPreviewSerializer(
        source="notification.post", read_only=True, allow_null=True, help_text="The post."
    )
    comment = NotificationCommentSerializer(
        source="notification.comment",
        read_only=True,
        allow_null=True,
        help_text="The comment it is about (the latest, for a comment or a reply).",
    )
    can_follow_back = serializers.SerializerMethodField(
        help_text='On "started following you": I neither follow them nor asked to.'
    )
    read = serializers.SerializerMethodField(help_text="None of it is unread.")
    created_at = serializers.DateTimeField(
        source="latest_at", read_only=True, help_text="When the latest of it happened."
    )

    def get_can_follow_back(self, group) -> bool:
        note = group.notification
        return note.kind == Notification.Kind.FOLLOW and not note.actor_followed

    def get_read(self, group) -> bool:
        return not group.unread


def _setting_field(setting):
    return serializers.BooleanField(required=False, help_text=setting.label)


class NotificationSettingsSerializer(serializers.Serializer):
    """Which kinds of notification I get (true) or turned off (false). Send only what
    changes; a kind turned off is not written, not delivered and not counted as unread."""

    Setting = NotificationOptOut.Setting
    likes = _setting_field(Setting.LIKES)
    comments = _setting_field(Setting.COMMENTS)
    mentions = _setting_field(Setting.MENTIONS)
    follows = _setting_field(Setting.FOLLOWS)
    follow_requests = _setting_field(Setting.FOLLOW_REQUESTS)
    comment_likes = _setting_field(Setting.COMMENT_LIKES)

    def validate(self, data):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["No such notification setting."] for name in unknown}
            )
        return data


class UnreadCountSerializer(serializers.Serializer):
    unread_count = serializers.IntegerField(read_only=True)


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(
        read_only=True, help_text="How many notifications were unread until now."
    )


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 1, "maximum": ID_MAX}, {"type": "string"}],
        "description": "The post's or comment's id, or the account's username.",
    }
)
class ReportTargetField(serializers.CharField):
    """An id or a username; JSON numbers are taken as well as strings."""


class ReportCreateSerializer(serializers.Serializer):
    """What a reporter sends; any other field is ignored."""

    target_type = serializers.ChoiceField(choices=TARGET_TYPES)
    target = ReportTargetField(max_length=150)
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=f"Optional details, at most {REPORT_TEXT_MAX} characters.",
    )

    def validate(self, data):
        kind = data["target_type"]
        if kind in ("post", "comment"):
            data["target"] = self._id(kind, data["target"])
        return data

    def _id(self, kind, value):
        try:
            pk = int(value)
        except ValueError:
            pk = 0
        if not 1 <= pk <= ID_MAX:
            raise serializers.ValidationError({"target": [f"Give the {kind}'s id, a number."]})
        return pk


class ReportSerializer(serializers.ModelSerializer):
    """A report as its reporter sees it."""

    target_type = serializers.ChoiceField(
        choices=TARGET_TYPES, source="target_kind", read_only=True
    )
    target = serializers.SerializerMethodField(
        help_text="The post's or comment's id, or the account's username."
    )

    class Meta:
        model = Report
        fields = ("id", "target_type", "target", "reason", "text", "status", "created_at")
        read_only_fields = fields

    def get_target(self, report) -> str:
        if report.user_id is not None:
            return report.user.username
        return str(report.post_id or report.comment_id)


class AppealSerializer(serializers.ModelSerializer):
    """My appeal of a removal or suspension, and what moderators decided."""

    class Meta:
        model = Appeal
        fields = ("id", "status", "text", "created_at", "decided_at")
        read_only_fields = fields


class AppealCreateSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=APPEAL_TEXT_MAX, help_text="Why moderators should look again."
    )
