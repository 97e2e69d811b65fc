"""Likes and saves (idempotent toggles), and the repair of drifted post counters.

Each toggle is one short transaction: the unique constraint on (user, post) decides whether
a row was really created or deleted, and only then does the counter move.
"""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from posts.models import Comment, CommentLike, Like, Post, SavedPost
from posts.services.common import counter_move, post_visible_or_404, write_transaction
from social.notifications.models import Notification
from social.notifications.triggers import notification_enqueue, notification_remove

RECOUNT_BATCH = 1000


def like_add(*, user, post):
    """Like a post `user` can see; a second like is a no-op. True when a like was added.

    Raises Post.DoesNotExist when the post is hidden from `user` (privacy, blocks, removal).
    """
    with write_transaction():
        post_visible_or_404(actor=user, post=post)
        like, created = Like.objects.get_or_create(user=user, post=post)
        if created:
            counter_move(Post, post.pk, "like_count", +1)
            notification_enqueue(kind=Notification.Kind.LIKE, source_ids=[like.pk])
    return created


def like_remove(*, user, post):
    """Take back a like, and its notification; a no-op without one. True when one went."""
    with write_transaction():
        post_visible_or_404(actor=user, post=post)
        deleted, _ = Like.objects.filter(user=user, post=post).delete()
        if deleted:
            counter_move(Post, post.pk, "like_count", -1)
            notification_remove(actor=user, kind=Notification.Kind.LIKE, post=post)
    return bool(deleted)


def save_add(*, user, post):
    """Save a post `user` can see to their collection; idempotent. True when newly saved."""
    with write_transaction():
        post_visible_or_404(actor=user, post=post)
        _, created = SavedPost.objects.get_or_create(user=user, post=post)
    return created


def save_remove(*, user, post):
    """Take a post out of `user`'s saved collection; idempotent. True when one went."""
    with write_transaction():
        post_visible_or_404(actor=user, post=post)
        deleted, _ = SavedPost.objects.filter(user=user, post=post).delete()
    return bool(deleted)


def _count_of(model, *conditions, **filters):
    """A correlated subquery: how many `model` rows point at the outer post."""
    rows = model.objects.filter(*conditions, post=OuterRef("pk"), **filters)
    rows = rows.order_by().values("post")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def _comments_recount(post_ids):
    """Set reply_count and like_count of the comments on `post_ids` to their rows."""
    replies = Comment.objects.filter(parent=OuterRef("pk"), removed_at__isnull=True)
    likes = CommentLike.objects.filter(comment=OuterRef("pk"))
    true_replies = Coalesce(
        Subquery(replies.order_by().values("parent").annotate(n=Count("pk")).values("n")), 0
    )
    true_likes = Coalesce(
        Subquery(likes.order_by().values("comment").annotate(n=Count("pk")).values("n")), 0
    )
    drifted = list(
        Comment.objects.filter(post__in=post_ids)
        .annotate(true_replies=true_replies, true_likes=true_likes)
        .exclude(reply_count=F("true_replies"), like_count=F("true_likes"))
        .values_list("pk", flat=True)
    )
    if drifted:
        Comment.objects.filter(pk__in=drifted).update(
            reply_count=true_replies, like_count=true_likes
        )
    return len(drifted)


def _recount(ids):
    likes = _count_of(Like)
    # The comments anyone may see: a reply counts while its comment is not removed either.
    comments = _count_of(
        Comment,
        Q(parent__isnull=True) | Q(parent__removed_at__isnull=True),
        removed_at__isnull=True,
    )
    with write_transaction():
        _comments_recount(ids)
        drifted = list(
            Post.objects.filter(pk__in=ids)
            .annotate(true_likes=likes, true_comments=comments)
            .exclude(like_count=F("true_likes"), comment_count=F("true_comments"))
            .values_list("pk", flat=True)
        )
        if drifted:
            Post.objects.filter(pk__in=drifted).update(like_count=likes, comment_count=comments)
    return len(drifted)


def _id_batches(post_ids):
    if post_ids is not None:
        post_ids = list(post_ids)
        for start in range(0, len(post_ids), RECOUNT_BATCH):
            yield post_ids[start : start + RECOUNT_BATCH]
        return
    last = 0
    while ids := list(
        Post.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:RECOUNT_BATCH]
    ):
        yield ids
        last = ids[-1]


def post_counters_recount(*, post_ids=None):
    """Set like_count and comment_count (comments not removed) to the rows they count, and
    the reply_count and like_count of their comments.

    For the periodic repair of drift; all posts when `post_ids` is None, in short batches so
    no transaction holds the write lock for long. Returns how many posts were corrected.
    """
    return sum(_recount(ids) for ids in _id_batches(post_ids))
