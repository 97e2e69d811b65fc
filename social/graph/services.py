"""Follows (with requests for private accounts), blocks and mutes.

Locking: every write that moves follow counters first locks the rows of the users involved,
in primary-key order (`_lock_users`). Two people following each other at the same moment
then queue instead of deadlocking, and a privacy switch cannot race a new follow request.
SQLite ignores the row locks; its IMMEDIATE transactions already serialize writers.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.cache import profile_cache_forget
from accounts.models import User
from accounts.services import user_profile_update
from core.transactions import counter_delta, write_transaction
from social.graph.models import Block, Follow, Mute
from social.graph.triggers import timeline_follow_changed
from social.notifications.models import Notification
from social.notifications.triggers import Kind, notification_enqueue


def users_blocked_either_way(a, b):
    """True when `a` blocked `b` or `b` blocked `a`."""
    return Block.objects.between(a, b).exists()


def _lock_users(*user_ids, also=None):
    """Lock the users' rows in primary-key order and return them by pk (fresh from the DB).

    `also` is an optional subquery of more user ids to lock in the same statement.
    """
    condition = Q(pk__in=user_ids)
    if also is not None:
        condition |= Q(pk__in=also)
    users = User.objects.select_for_update().filter(condition).order_by("pk")
    return {user.pk: user for user in users}


def _follow_counters_move(*, follower_id, following_id, delta):
    """Move both sides of one accepted follow, with F() in the caller's transaction."""
    User.objects.filter(pk=following_id).update(
        follower_count=counter_delta("follower_count", delta)
    )
    User.objects.filter(pk=follower_id).update(
        following_count=counter_delta("following_count", delta)
    )
    profile_cache_forget(follower_id, following_id)


# --- Follows ---------------------------------------------------------------------------------


def follow_create(*, follower, following):
    """Follow a public account, or ask to follow a private one; an existing follow is kept.

    Locks: both users' rows, in pk order.
    """
    if follower.pk == following.pk:
        raise ValidationError({"following": ["You can't follow yourself."]})
    with write_transaction():
        target = _lock_users(follower.pk, following.pk).get(following.pk)
        if target is None or not target.is_active or target.is_suspended:
            raise User.DoesNotExist("No such account.")
        if users_blocked_either_way(follower, target):
            raise PermissionDenied("You can't follow this account.")
        accepted = not target.is_private
        follow, created = Follow.objects.get_or_create(
            follower=follower,
            following=target,
            defaults={
                "status": Follow.Status.ACCEPTED if accepted else Follow.Status.PENDING,
                "accepted_at": timezone.now() if accepted else None,
            },
        )
        if not created:
            return follow
        if accepted:
            _follow_counters_move(follower_id=follower.pk, following_id=target.pk, delta=1)
            timeline_follow_changed(follower_ids=[follower.pk], author_id=target.pk)
        # A request or a follow: the worker tells which from the follow's status then.
        notification_enqueue(kind=Kind.FOLLOW, source_ids=[follow.pk])
        return follow


def follow_remove(*, follower, following):
    """Unfollow, or cancel a pending request; returns False when there was nothing to undo.

    Locks: both users' rows, in pk order.
    """
    with write_transaction():
        _lock_users(follower.pk, following.pk)
        status = (
            Follow.objects.filter(follower=follower, following=following)
            .values_list("status", flat=True)
            .first()
        )
        if status is None:
            return False
        Follow.objects.filter(follower=follower, following=following).delete()
        if status == Follow.Status.ACCEPTED:
            _follow_counters_move(follower_id=follower.pk, following_id=following.pk, delta=-1)
            timeline_follow_changed(follower_ids=[follower.pk], author_id=following.pk)
        Notification.objects.filter(
            actor=follower,
            recipient=following,
            kind__in=[Notification.Kind.FOLLOW, Notification.Kind.FOLLOW_REQUEST],
        ).delete()
        return True


def _pending_request_follower_id(*, owner, follow_id):
    follower_id = (
        Follow.objects.pending()
        .filter(pk=follow_id, following=owner)
        .values_list("follower_id", flat=True)
        .first()
    )
    if follower_id is None:
        raise Follow.DoesNotExist("No such follow request.")
    return follower_id


def follow_request_accept(*, owner, follow_id):
    """Accept a pending request to follow `owner`; the requester is told.

    Locks: both users' rows, in pk order. Only one of two racing accepts/declines acts.
    """
    with write_transaction():
        follower_id = _pending_request_follower_id(owner=owner, follow_id=follow_id)
        _lock_users(owner.pk, follower_id)
        changed = (
            Follow.objects.pending()
            .filter(pk=follow_id, following=owner)
            .update(status=Follow.Status.ACCEPTED, accepted_at=timezone.now())
        )
        if changed != 1:
            raise Follow.DoesNotExist("No such follow request.")
        _follow_counters_move(follower_id=follower_id, following_id=owner.pk, delta=1)
        timeline_follow_changed(follower_ids=[follower_id], author_id=owner.pk)
        _follow_request_notifications_settle(owner=owner, requester_ids=[follower_id])
        notification_enqueue(kind=Kind.FOLLOW_ACCEPTED, source_ids=[follow_id])
        return Follow.objects.get(pk=follow_id)


def follow_request_decline(*, owner, follow_id):
    """Decline a pending request to follow `owner`; the requester is not told."""
    with write_transaction():
        follower_id = _pending_request_follower_id(owner=owner, follow_id=follow_id)
        deleted, _ = Follow.objects.pending().filter(pk=follow_id, following=owner).delete()
        if not deleted:
            raise Follow.DoesNotExist("No such follow request.")
        Notification.objects.filter(
            recipient=owner, actor_id=follower_id, kind=Notification.Kind.FOLLOW_REQUEST
        ).delete()


def _follow_request_notifications_settle(*, owner, requester_ids):
    """The owner's "asked to follow you" becomes "started following you" once accepted."""
    Notification.objects.filter(
        recipient=owner, actor_id__in=requester_ids, kind=Notification.Kind.FOLLOW_REQUEST
    ).update(kind=Notification.Kind.FOLLOW)


def follow_requests_accept_all(*, owner):
    """Accept every pending request to follow `owner` at once; returns how many.

    Locks: the owner's and the requesters' rows, in pk order.
    """
    with write_transaction():
        pending = Follow.objects.pending().filter(following=owner)
        _lock_users(owner.pk, also=pending.values("follower_id"))
        # Read again under the owner's lock: no request can be added or withdrawn meanwhile.
        requests = dict(pending.values_list("pk", "follower_id"))
        if not requests:
            return 0
        requester_ids = list(requests.values())
        accepted = pending.filter(pk__in=list(requests)).update(
            status=Follow.Status.ACCEPTED, accepted_at=timezone.now()
        )
        User.objects.filter(pk=owner.pk).update(follower_count=F("follower_count") + accepted)
        User.objects.filter(pk__in=requester_ids).update(following_count=F("following_count") + 1)
        profile_cache_forget(owner.pk, *requester_ids)
        timeline_follow_changed(follower_ids=requester_ids, author_id=owner.pk)
        _follow_request_notifications_settle(owner=owner, requester_ids=requester_ids)
        notification_enqueue(kind=Kind.FOLLOW_ACCEPTED, source_ids=list(requests))
        return accepted


# --- Blocks and mutes ------------------------------------------------------------------------


def block_create(*, blocker, blocked):
    """Block an account: follows and requests both ways end, notifications between them go.

    Locks: both users' rows, in pk order.
    """
    if blocker.pk == blocked.pk:
        raise ValidationError({"blocked": ["You can't block yourself."]})
    with write_transaction():
        _lock_users(blocker.pk, blocked.pk)
        block, _ = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
        follows = Follow.objects.filter(
            Q(follower=blocker, following=blocked) | Q(follower=blocked, following=blocker)
        )
        for follower_id, following_id in follows.accepted().values_list(
            "follower_id", "following_id"
        ):
            _follow_counters_move(follower_id=follower_id, following_id=following_id, delta=-1)
        follows.delete()
        # Each one's posts leave the other's timeline, whoever followed whom.
        timeline_follow_changed(follower_ids=[blocker.pk], author_id=blocked.pk)
        timeline_follow_changed(follower_ids=[blocked.pk], author_id=blocker.pk)
        Notification.objects.filter(
            Q(recipient=blocker, actor=blocked) | Q(recipient=blocked, actor=blocker)
        ).delete()
        return block


def block_remove(*, blocker, blocked):
    """Unblock; follows ended by the block stay ended. Returns False when there was no block."""
    if blocker.pk == blocked.pk:
        raise ValidationError({"blocked": ["You can't block yourself."]})
    with transaction.atomic():
        deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
        return bool(deleted)


def mute_create(*, muter, muted):
    """Mute an account: its posts leave the home feed, its actions stop notifying. Silent."""
    if muter.pk == muted.pk:
        raise ValidationError({"muted": ["You can't mute yourself."]})
    with write_transaction():
        mute, created = Mute.objects.get_or_create(muter=muter, muted=muted)
        if created:
            timeline_follow_changed(follower_ids=[muter.pk], author_id=muted.pk)
        return mute


def mute_remove(*, muter, muted):
    """Unmute; returns False when there was no mute."""
    if muter.pk == muted.pk:
        raise ValidationError({"muted": ["You can't mute yourself."]})
    with transaction.atomic():
        deleted, _ = Mute.objects.filter(muter=muter, muted=muted).delete()
        if deleted:
            timeline_follow_changed(follower_ids=[muter.pk], author_id=muted.pk)
        return bool(deleted)


# --- Privacy ------------------------------------------------------------------------------


def user_privacy_set(*, user, is_private):
    """Make the account private or public; going public accepts every pending request.

    Returns how many requests were accepted.
    """
    with write_transaction():
        # Accept first: it takes the row locks in pk order, which the UPDATE below must not.
        accepted = 0 if is_private else follow_requests_accept_all(owner=user)
        User.objects.filter(pk=user.pk).update(is_private=is_private)
        profile_cache_forget(user.pk)
    user.is_private = is_private
    return accepted


def account_settings_update(*, user, is_private=None, **profile):
    """Save a settings form (page or API): the profile fields given, then the privacy switch.

    The profile goes first: it is the call that can refuse input (a photo too large, a bad web
    address), and it must refuse before anything is saved, the switch included. Returns how
    many follow requests going public accepted.
    """
    if profile:
        user_profile_update(user=user, **profile)
    if is_private is None or is_private == user.is_private:
        return 0
    return user_privacy_set(user=user, is_private=is_private)
