"""Reads of the social graph: a person's notifications and the follow requests waiting on them."""

from django.db.models import Prefetch, Q

from config.pagination import paginate_keyset
from posts.models import Comment, Post, PostImage
from social.models import Block, Follow, Notification

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


def follow_requests_pending(*, owner, cursor=None, page_size=None):
    """Pending requests to follow `owner`, newest first, each with its requester loaded.

    Requests from suspended accounts or across a block are left out.
    """
    qs = (
        Follow.objects.pending()
        .filter(
            Block.objects.unblocked_q(owner, "follower"),
            following=owner,
            follower__is_active=True,
            follower__suspended_at__isnull=True,
        )
        .select_related("follower")
    )
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)
