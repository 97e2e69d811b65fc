"""Reads of notifications: the list and the unread badge."""

from django.db.models import Prefetch, Q

from core.pagination import paginate_keyset
from posts.models import Comment, PostImage, post_visible_q
from social.graph.models import Block
from social.notifications.models import Notification

NEWEST_FIRST = (("created_at", "desc"), ("id", "desc"))


def _notifications_for(user):
    """`user`'s notifications minus those from blocked-either-way or suspended actors and those
    about a post or comment `user` may not see now (removed, its author suspended, gone private
    or across a block). The rows stay, so what becomes visible again brings them back."""
    return Notification.objects.filter(
        Block.objects.unblocked_q(user, "actor"),
        # Through the notification's own join to its post: no subquery of every visible post.
        Q(post__isnull=True) | post_visible_q(user, prefix="post__"),
        Q(comment__isnull=True) | Q(comment__in=Comment.objects.visible_to(user).values("pk")),
        recipient=user,
        actor__is_active=True,
        actor__suspended_at__isnull=True,
    )


def notifications_list(*, user, cursor=None, page_size=None):
    """`user`'s notifications, newest first, with actor, post, comment and the post's first
    image (as `post.cover_images`, a list of at most one) loaded."""
    qs = (
        _notifications_for(user)
        .select_related(
            "actor",
            "post",
            "comment",
            # Moderation notices: the reporter's report (whose, never its content) and the
            # author's own removed post or comment.
            "report__post__author",
            "report__comment__author",
            "report__user",
            "moderation__post",
            "moderation__comment",
        )
        .prefetch_related(
            Prefetch(
                "post__images",
                queryset=PostImage.objects.order_by("position")[:1],
                to_attr="cover_images",
            )
        )
    )
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)


def notifications_unread_count(*, user):
    """How many of the notifications `notifications_list` shows are unread (the badge)."""
    return _notifications_for(user).filter(read_at__isnull=True).count()
