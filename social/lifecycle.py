"""Work on a whole account that reaches every app: deleting it, repairing its counters.

It sits in the top layer because it touches accounts, the graph and posts at once.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.cache import profile_cache_forget
from accounts.models import User
from core.outbox import outbox_enqueue
from core.transactions import counter_delta, write_transaction
from posts.models import Comment, Like, Post, PostImage
from social.graph.models import Follow
from social.graph.triggers import timeline_follow_changed, timelines_enabled

PROFILE_FORGET_TASK = "accounts.tasks.profile_cache_forget_many"


def _counters_release(user):
    """Take the user's likes, comments and accepted follows out of everyone else's counters.

    Set-based: one UPDATE per counter, whatever the number of rows. Returns the ids of the
    accounts whose follow counters moved.
    """
    others_posts = Post.objects.exclude(author=user)
    others_posts.filter(pk__in=Like.objects.filter(user=user).values("post_id")).update(
        like_count=counter_delta("like_count", -1)
    )
    comments = Comment.objects.filter(author=user, removed_at__isnull=True)
    per_post = (
        comments.filter(post=OuterRef("pk")).order_by().values("post").annotate(n=Count("pk"))
    )
    others_posts.filter(pk__in=comments.values("post_id")).update(
        comment_count=counter_delta("comment_count", -Subquery(per_post.values("n")))
    )
    follows = Follow.objects.accepted()
    followed = list(follows.filter(follower=user).values_list("following_id", flat=True))
    followers = list(follows.filter(following=user).values_list("follower_id", flat=True))
    User.objects.filter(pk__in=followed).update(follower_count=counter_delta("follower_count", -1))
    User.objects.filter(pk__in=followers).update(
        following_count=counter_delta("following_count", -1)
    )
    return followed + followers


def _timelines_refill_authors_now_small(user, counted):
    """Authors this account's leaving brings back to the fan-out threshold: their posts made
    while too big to fan out go to their followers' timelines now (posts/timelines.py)."""
    if not timelines_enabled():
        return
    threshold = settings.SHUTTER["TIMELINE_FANOUT_MAX_FOLLOWERS"]
    for author_id in User.objects.filter(pk__in=counted, follower_count=threshold).values_list(
        "pk", flat=True
    ):
        timeline_follow_changed(follower_ids=[user.pk], author_id=author_id)


def _media_files(user):
    names = [user.avatar.name] if user.avatar else []
    for row in PostImage.objects.filter(post__author=user).values_list(
        "image", "display", "thumbnail"
    ):
        names.extend(name for name in row if name)
    return names


def _files_delete(storage, names):
    for name in names:
        storage.delete(name)


def user_delete(*, user, password):
    """Delete the account with its posts, comments, likes and follows, after a password check.

    Everyone else's counters stay equal to their rows. Files go once the deletion commits.
    """
    if not user.check_password(password):
        raise ValidationError({"password": ["That password isn't right."]})
    _account_delete(user)


def user_delete_by_staff(*, user):
    """Delete the account as user_delete does, without its owner's password: for the admin,
    which has checked the staff member's permission to delete accounts."""
    _account_delete(user)


def _account_delete(user):
    storage = user.avatar.storage
    with write_transaction():
        # Lock the account first so no follow or request to it can slip in meanwhile.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        files = _media_files(user)
        counted = _counters_release(user)
        _timelines_refill_authors_now_small(user, counted)
        User.objects.filter(pk=user.pk).delete()
        # The others' headers: many accounts may have lost a follower, so a worker does it.
        outbox_enqueue(PROFILE_FORGET_TASK, [user.pk, *counted])
        transaction.on_commit(lambda: _files_delete(storage, files))


def user_counters_recount(*, user_ids=None):
    """Set post, follower and following counts to the rows they count; returns users changed."""

    def count_of(qs, field):
        counted = qs.filter(**{field: OuterRef("pk")}).order_by().values(field)
        return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)

    truth = {
        "post_count": count_of(Post.objects.filter(removed_at__isnull=True), "author"),
        "follower_count": count_of(Follow.objects.accepted(), "following"),
        "following_count": count_of(Follow.objects.accepted(), "follower"),
    }
    users = User.objects.all() if user_ids is None else User.objects.filter(pk__in=user_ids)
    drifted = users.annotate(**{f"true_{name}": value for name, value in truth.items()}).filter(
        ~Q(**{name: F(f"true_{name}") for name in truth})
    )
    with write_transaction():
        drifted_ids = list(drifted.values_list("pk", flat=True))
        User.objects.filter(pk__in=drifted_ids).update(**truth)
        profile_cache_forget(*drifted_ids)
    return len(drifted_ids)
