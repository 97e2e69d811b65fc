"""Reads of accounts: one profile with the viewer's relationship to it, follow lists, search."""

from django.db.models import F, FilteredRelation, Q
from django.db.models.functions import Lower

from accounts.models import User
from config.pagination import empty_page, paginate_keyset
from social.models import Follow

FOLLOWED_NEWEST_FIRST = (("followed_at", "desc"), ("follow_id", "desc"))


def profile_get(*, viewer, username):
    """The profile at `username` (any case) with the viewer's relationship flags, in one query.

    User.DoesNotExist when the account is suspended or deactivated, or a block stands between
    the two either way. Flags: is_following, follow_requested, is_followed_by, is_blocking,
    is_muting, plus can_see_content (posts and follow lists).
    """
    return (
        User.objects.visible_to(viewer)
        .with_relationship_flags(viewer)
        .with_content_visibility(viewer)
        .alias(username_lower=Lower("username"))
        .get(username_lower=username.lower())
    )


def user_can_see_content(*, viewer, owner):
    """Whether `viewer` may see `owner`'s posts and follow lists: the owner, anyone when the
    account is public, an accepted follower when private; never across a block."""
    if viewer is not None and viewer.is_authenticated and viewer.pk == owner.pk:
        return True
    return bool(
        User.objects.visible_to(viewer)
        .with_content_visibility(viewer)
        .filter(pk=owner.pk)
        .values_list("can_see_content", flat=True)
        .first()
    )


def _follow_list(viewer, user, edge, cursor, page_size):
    """Accounts joined to `user` by the accepted follow `edge`, newest follow first."""
    owner = User.objects.visible_to(viewer).with_content_visibility(viewer).get(pk=user.pk)
    if not owner.can_see_content:
        return empty_page()
    qs = (
        User.objects.visible_to(viewer)
        .annotate(edge=edge)
        .filter(edge__isnull=False)
        .annotate(followed_at=F("edge__created_at"), follow_id=F("edge__id"))
        .with_relationship_flags(viewer)
    )
    return paginate_keyset(qs, ordering=FOLLOWED_NEWEST_FIRST, cursor=cursor, page_size=page_size)


def user_followers(*, viewer, user, cursor=None, page_size=None):
    """Accounts following `user` (accepted), latest first, with the viewer's flags on each.

    User.DoesNotExist across a block or for a suspended account; an empty page when `user`
    is private and `viewer` is not an accepted follower.
    """
    edge = FilteredRelation(
        "following_set",
        condition=Q(following_set__following=user, following_set__status=Follow.Status.ACCEPTED),
    )
    return _follow_list(viewer, user, edge, cursor, page_size)


def user_following(*, viewer, user, cursor=None, page_size=None):
    """Accounts `user` follows (accepted), latest first; same visibility rules as followers."""
    edge = FilteredRelation(
        "follower_set",
        condition=Q(follower_set__follower=user, follower_set__status=Follow.Status.ACCEPTED),
    )
    return _follow_list(viewer, user, edge, cursor, page_size)


def user_search(*, viewer, prefix, limit=20):
    """Accounts whose username or display name starts with `prefix` (any case, '@' optional).

    Never suspended accounts or ones a block stands between; private accounts are listed, since
    their name is public. Most followed first.
    """
    prefix = prefix.strip().lstrip("@")
    if not prefix:
        return []
    return list(
        User.objects.visible_to(viewer)
        .filter(Q(username__istartswith=prefix) | Q(display_name__istartswith=prefix))
        .with_relationship_flags(viewer)
        .order_by("-follower_count", "username")[: max(1, min(limit, 50))]
    )
