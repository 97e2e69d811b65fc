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


def notifications_list(*, user, cursor=None, page_size=None, kinds=None):
    """`user`'s notifications, newest first, with actor, post, comment and the post's first
    image (as `post.cover_images`, a list of at most one) loaded. `kinds` keeps only those."""
    qs = _notifications_for(user)
    if kinds is not None:
        qs = qs.filter(kind__in=kinds)
    qs = qs.select_related("actor", "post", "comment").prefetch_related(
        Prefetch(
            "post__images",
            queryset=PostImage.objects.order_by("position")[:1],
            to_attr="cover_images",
        )
    )
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)


def notifications_unread_count(*, user):
    """How many of the notifications `notifications_list` shows are unread (the badge)."""
    return _notifications_for(user).filter(read_at__isnull=True).count()


def notification_get(*, user, notification_id):
    """One of `user`'s notifications as notifications_list shows it; DoesNotExist otherwise."""
    return (
        _notifications_for(user).select_related("actor", "post", "comment").get(pk=notification_id)
    )


def notification_position(*, user, notification_id):
    """(created_at, id) of `user`'s notification, for paging after it; None if there is none."""
    return (
        Notification.objects.filter(recipient=user, pk=notification_id)
        .values("created_at", "id")
        .first()
    )
