"""Reads of notifications: the list and the unread badge."""

from django.db.models import Prefetch, Q

from core.pagination import paginate_keyset
from posts.models import Comment, Post, PostImage
from social.graph.models import Block
from social.notifications.models import Notification

NEWEST_FIRST = (("created_at", "desc"), ("id", "desc"))


def _notifications_for(user):
    """`user`'s notifications minus those from blocked-either-way or suspended actors and those
    about removed posts or comments (the rows stay, so restoring the content brings them back)."""
    return Notification.objects.filter(
        Block.objects.unblocked_q(user, "actor"),
        Q(post__isnull=True) | Q(post__in=Post.objects.live().values("pk")),
        # visible_to(None): the rules that hold for every viewer; blocks apply to the actor.
        Q(comment__isnull=True) | Q(comment__in=Comment.objects.visible_to(None).values("pk")),
        recipient=user,
        actor__is_active=True,
        actor__suspended_at__isnull=True,
    )


def notifications_list(*, user, cursor=None, page_size=None):
    """`user`'s notifications, newest first, with actor, post, comment and the post's first
    image (as `post.cover_images`, a list of at most one) loaded."""
    qs = (
        _notifications_for(user)
        .select_related("actor", "post", "comment")
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
