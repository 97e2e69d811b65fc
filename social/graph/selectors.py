"""Reads of the social graph: follow requests, whom one may block, whom I blocked or muted."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.functions import Lower

from core.pagination import paginate_keyset
from social.graph.models import Block, Follow, Mute

NEWEST_FIRST = (("created_at", "desc"), ("id", "desc"))


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
        get_user_model()
        .objects.active()
        .filter(~Q(pk__in=blocked_me) | Q(pk__in=blocked_by_me))
        .alias(username_lower=Lower("username"))
        .get(username_lower=username.lower())
    )


def blocks_made(*, owner, cursor=None, page_size=None):
    """The accounts `owner` blocked, most recent block first, each Block with `blocked` loaded.

    The accounts block_target_get finds (active ones), so each can be unblocked from the list.
    """
    active = get_user_model().objects.active()
    qs = Block.objects.filter(blocker=owner, blocked__in=active.values("pk")).select_related(
        "blocked"
    )
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)


def mutes_made(*, owner, cursor=None, page_size=None):
    """The accounts `owner` muted, most recent first, each Mute with `muted` loaded.

    Only accounts whose profile `owner` may open (not blocked either way, active): the ones
    the unmute action finds. A muted account `owner` also blocked is in the blocked list.
    """
    visible = get_user_model().objects.visible_to(owner)
    qs = Mute.objects.filter(muter=owner, muted__in=visible.values("pk")).select_related("muted")
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)
