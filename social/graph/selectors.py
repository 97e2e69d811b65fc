"""Reads of the social graph: follow requests, whom one may block, whom I blocked or muted."""

from django.contrib.auth import get_user_model
from django.db.models import F, FilteredRelation, Q
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
    return (
        get_user_model()
        .objects.active()
        .filter(_blockable_q(viewer))
        .alias(username_lower=Lower("username"))
        .get(username_lower=username.lower())
    )


def _blocked_listed(owner):
    """Which blocked accounts `owner`'s lists show: the ones block_target_get finds (active),
    so each can be unblocked from the list. One rule for the pages, both APIs."""
    return get_user_model().objects.active()


def _muted_listed(owner):
    """Which muted accounts `owner`'s lists show: those whose profile `owner` may open (not
    blocked either way, active), the ones the unmute action finds; a muted account `owner`
    also blocked is in the blocked list. One rule for the pages, both APIs."""
    return get_user_model().objects.visible_to(owner)


def blocks_made(*, owner, cursor=None, page_size=None):
    """The accounts `owner` blocked (_blocked_listed), most recent block first, each Block
    with `blocked` loaded."""
    listed = _blocked_listed(owner)
    qs = Block.objects.filter(blocker=owner, blocked__in=listed.values("pk")).select_related(
        "blocked"
    )
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)


def mutes_made(*, owner, cursor=None, page_size=None):
    """The accounts `owner` muted (_muted_listed), most recent first, each Mute with `muted`
    loaded."""
    listed = _muted_listed(owner)
    qs = Mute.objects.filter(muter=owner, muted__in=listed.values("pk")).select_related("muted")
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)


def _blockable_q(viewer):
    """Accounts `viewer` may block or unblock: not one that blocked them, unless blocked back."""
    blocked_me = Block.objects.filter(blocked=viewer).values("blocker_id")
    blocked_by_me = Block.objects.filter(blocker=viewer).values("blocked_id")
    return ~Q(pk__in=blocked_me) | Q(pk__in=blocked_by_me)


def relationships_get(*, viewer, user_ids):
    """How `viewer` relates to each of the accounts `user_ids` (with_relationship_flags), for
    those block_target_get would find: an account that blocked the viewer is left out, as if it
    did not exist; one the viewer blocked is in, so its `blocking` shows."""
    users = (
        get_user_model()
        .objects.active()
        .filter(_blockable_q(viewer), pk__in=user_ids)
        .with_relationship_flags(viewer)
    )
    return {user.pk: user for user in users}


EDGE_NEWEST_FIRST = (("edge_at", "desc"), ("edge_id", "desc"))


def _accounts_by_edge(*, listed, relation, maker, viewer, cursor, page_size):
    """The `listed` accounts at the other end of the blocks or mutes (`relation`, seen from the
    account) that `viewer` made, latest first. A suspended account's row stays and shows again
    once it is restored."""
    edge = FilteredRelation(relation, condition=Q(**{f"{relation}__{maker}": viewer}))
    qs = (
        listed.annotate(edge=edge)
        .filter(edge__isnull=False)
        .annotate(edge_at=F("edge__created_at"), edge_id=F("edge__id"))
    )
    return paginate_keyset(qs, ordering=EDGE_NEWEST_FIRST, cursor=cursor, page_size=page_size)


def blocked_accounts(*, viewer, cursor=None, page_size=None):
    """The accounts `viewer` blocks (_blocked_listed, as blocks_made), latest block first."""
    return _accounts_by_edge(
        listed=_blocked_listed(viewer),
        relation="blocks_received",
        maker="blocker",
        viewer=viewer,
        cursor=cursor,
        page_size=page_size,
    )


def muted_accounts(*, viewer, cursor=None, page_size=None):
    """The accounts `viewer` mutes (_muted_listed, as mutes_made), latest mute first."""
    return _accounts_by_edge(
        listed=_muted_listed(viewer),
        relation="mutes_received",
        maker="muter",
        viewer=viewer,
        cursor=cursor,
        page_size=page_size,
    )


def follow_request_id_get(*, owner, follower_id):
    """The id of `follower_id`'s pending request to follow `owner`; Follow.DoesNotExist if none."""
    found = (
        Follow.objects.pending()
        .filter(following=owner, follower_id=follower_id)
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise Follow.DoesNotExist("No such follow request.")
    return found
