"""Reads of the social graph: notifications, follow requests, whom one may block or report."""

from django.db.models import Prefetch, Q
from django.db.models.functions import Lower

from accounts.models import User
from config.pagination import paginate_keyset
from posts.models import Comment, Post, PostImage, post_visible_q
from social.models import Block, Follow, Notification

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


def block_target_get(*, viewer, username):
    """The account at `username` (any case) that `viewer` may block or unblock.

    Unlike profile_get, an account the viewer blocked is found, so it can be unblocked; one that
    blocked the viewer (and was not blocked back) is User.DoesNotExist, as its profile is.
    """
    blocked_me = Block.objects.filter(blocked=viewer).values("blocker_id")
    blocked_by_me = Block.objects.filter(blocker=viewer).values("blocked_id")
    return (
        User.objects.active()
        .filter(~Q(pk__in=blocked_me) | Q(pk__in=blocked_by_me))
        .alias(username_lower=Lower("username"))
        .get(username_lower=username.lower())
    )


def report_target_get(*, viewer, kind, key):
    """The post (by id), comment (by id) or account (by username) `viewer` wants to report.

    <Model>.DoesNotExist when the viewer can't see it: nobody reports what they were not shown.
    A comment counts as seen only when its post is visible too.
    """
    if kind == "post":
        return Post.objects.visible_to(viewer).get(pk=key)
    if kind == "comment":
        return (
            Comment.objects.visible_to(viewer)
            .filter(post__in=Post.objects.visible_to(viewer).values("pk"))
            .get(pk=key)
        )
    if kind == "user":
        return (
            User.objects.visible_to(viewer)
            .alias(username_lower=Lower("username"))
            .get(username_lower=key.lower())
        )
    raise ValueError(f"Nothing called {kind!r} can be reported.")
