"""Every write of the social graph: follows, blocks, mutes, notifications, reports.

Locking: every write that moves follow counters first locks the rows of the users involved,
in primary-key order (`_lock_users`). Two people following each other at the same moment
then queue instead of deadlocking, and a privacy switch cannot race a new follow request.
SQLite ignores the row locks; its IMMEDIATE transactions already serialize writers.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.cache import profile_cache_forget
from accounts.models import User
from config.transactions import counter_delta, write_transaction
from posts.models import Comment, Like, Mention, Post
from social.models import Block, Follow, Mute, Notification, Report
from social.outbox import outbox_enqueue

REPORT_TEXT_MAX = 1000


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


# --- Notifications ---------------------------------------------------------------------------
#
# An action that notifies (a like, comment, mention, follow, accepted request) queues its
# notification in its own transaction, through the outbox (`notification_enqueue`); a worker
# writes it after commit (`notifications_deliver`). Undoing an action removes its notification
# in the undoing transaction, at once: a notification that outlived its cause would be shown.

NOTIFY_TASK = "social.tasks.notifications_deliver"
REPORT_RECEIPT_TASK = "social.tasks.report_receipt_send"
NOTIFY_BATCH = 500
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's error code for NOWAIT finding a row locked
Kind = Notification.Kind


def users_blocked_either_way(a, b):
    """True when `a` blocked `b` or `b` blocked `a`."""
    return Block.objects.between(a, b).exists()


def _notifiable(*, recipient_ids, actor_id):
    """The recipients `actor_id` may notify: not themselves, no block either way, not muted."""
    return (
        User.objects.filter(pk__in=recipient_ids)
        .exclude(pk=actor_id)
        .filter(Block.objects.unblocked_q(actor_id, "pk"))
        .exclude(pk__in=Mute.objects.filter(muted=actor_id).values("muter_id"))
    )


def _notification_write(*, recipient_id, actor_id, kind, post_id=None, comment_id=None):
    if recipient_id == actor_id:
        return None
    if not _notifiable(recipient_ids=[recipient_id], actor_id=actor_id).exists():
        return None
    return Notification.objects.create(
        recipient_id=recipient_id,
        actor_id=actor_id,
        kind=kind,
        post_id=post_id,
        comment_id=comment_id,
    )


def notification_create(*, recipient, actor, kind, post=None, comment=None):
    """Write a notification now, in the caller's transaction, unless it must not be sent.

    Never for your own actions, never across a block, never from someone the recipient muted.
    Returns the notification, or None when none was written. Services queue notifications with
    `notification_enqueue` instead; this is what delivering one comes down to.
    """
    return _notification_write(
        recipient_id=recipient.pk,
        actor_id=actor.pk,
        kind=kind,
        post_id=post.pk if post is not None else None,
        comment_id=comment.pk if comment is not None else None,
    )


def notification_enqueue(*, kind, source_ids):
    """Queue the notifications new sources cause, in the caller's transaction (the outbox).

    `kind` says what the ids are: LIKE (Like), COMMENT (Comment), MENTION (Mention), FOLLOW or
    FOLLOW_REQUEST (Follow: the followed account is told), FOLLOW_ACCEPTED (Follow: the
    follower is told). A worker writes them once the transaction commits.
    """
    source_ids = list(source_ids)
    kind = Kind.FOLLOW if kind == Kind.FOLLOW_REQUEST else Kind(kind)
    for start in range(0, len(source_ids), NOTIFY_BATCH):
        outbox_enqueue(NOTIFY_TASK, kind.value, source_ids[start : start + NOTIFY_BATCH])


# Each loader reads its source and says which notification it causes (with the rows that
# notification will point at), or None once the source is gone.


def _like_notice(like_id):
    like = Like.objects.select_related("post").filter(pk=like_id).first()
    if like is None:
        return None
    return {"recipient_id": like.post.author_id, "actor_id": like.user_id, "post_id": like.post_id}


def _comment_notice(comment_id):
    comment = Comment.objects.select_related("post")
    comment = comment.filter(pk=comment_id, removed_at__isnull=True).first()
    if comment is None:
        return None
    return {
        "recipient_id": comment.post.author_id,
        "actor_id": comment.author_id,
        "post_id": comment.post_id,
        "comment_id": comment.pk,
    }


def _mention_notice(mention_id):
    mention = Mention.objects.select_related("post", "comment").filter(pk=mention_id).first()
    if mention is None:
        return None
    source = mention.comment or mention.post
    return {
        "recipient_id": mention.user_id,
        "actor_id": source.author_id,
        "post_id": mention.comment.post_id if mention.comment else mention.post_id,
        "comment_id": mention.comment_id,
    }


def _follow_notice(follow_id):
    follow = Follow.objects.filter(pk=follow_id).first()
    if follow is None:
        return None
    accepted = follow.status == Follow.Status.ACCEPTED
    return {
        "recipient_id": follow.following_id,
        "actor_id": follow.follower_id,
        # A request accepted before its notification went out is told as a follow.
        "kind": Kind.FOLLOW if accepted else Kind.FOLLOW_REQUEST,
    }


def _follow_accepted_notice(follow_id):
    follow = Follow.objects.accepted().filter(pk=follow_id).first()
    if follow is None:
        return None
    return {"recipient_id": follow.follower_id, "actor_id": follow.following_id}


# kind: (what the source ids are, its loader)
_NOTICES = {
    Kind.LIKE: (Like, _like_notice),
    Kind.COMMENT: (Comment, _comment_notice),
    Kind.MENTION: (Mention, _mention_notice),
    Kind.FOLLOW: (Follow, _follow_notice),
    Kind.FOLLOW_ACCEPTED: (Follow, _follow_accepted_notice),
}
# Notifications that count as already sent for a source: a request's becomes a follow's.
_SAME_NOTICE = {Kind.FOLLOW: [Kind.FOLLOW, Kind.FOLLOW_REQUEST]}
# A delivery waits this many times for rows a person's write holds, then leaves it to a retry.
DELIVERY_LOCK_TRIES = 8


class DeliveryBusy(OperationalError):
    """The rows a notification needs stayed locked; the task retries later."""


class _RowsBusy(Exception):
    """A row the delivery needs is locked by a write in progress."""


def _rows_lock(source_model, source_id, notice):
    """Take every row lock the delivery needs, without waiting: _RowsBusy if one is held.

    The rows the notification points at (FOR KEY SHARE, what its foreign keys take at commit)
    and the source (FOR UPDATE: an undo deletes it, so the two serialize). Never waiting while
    holding a lock, a delivery can't deadlock with the writes people make, whatever order
    those lock in; it steps back and tries again instead. SQLite has no row locks: its
    IMMEDIATE transactions already run one writer at a time.
    """
    if not connection.features.has_select_for_update_nowait:
        return
    targets = [
        (User, [notice["recipient_id"], notice["actor_id"]]),
        (Post, [notice.get("post_id")]),
        (Comment, [notice.get("comment_id")]),
    ]
    try:
        with connection.cursor() as cursor:
            for model, ids in targets:
                ids = sorted(pk for pk in ids if pk is not None)
                if ids:
                    cursor.execute(
                        f"SELECT 1 FROM {connection.ops.quote_name(model._meta.db_table)} "
                        "WHERE id = ANY(%s) ORDER BY id FOR KEY SHARE NOWAIT",
                        [ids],
                    )
        list(source_model.objects.select_for_update(nowait=True).filter(pk=source_id).values("pk"))
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == LOCK_NOT_AVAILABLE:
            raise _RowsBusy from error
        raise


def _already_notified(notice):
    fields = dict(notice)
    kind = fields.pop("kind")
    fields.setdefault("post_id", None)
    fields.setdefault("comment_id", None)
    kinds = _SAME_NOTICE.get(kind, [kind])
    return Notification.objects.filter(kind__in=kinds, **fields).exists()


def _deliver_one(kind, source_id):
    model, load = _NOTICES[kind]
    with write_transaction():
        notice = load(source_id)
        if notice is None:
            return 0
        _rows_lock(model, source_id, notice)
        # Again under the locks: the source may have been taken back meanwhile.
        notice = load(source_id)
        if notice is None:
            return 0
        notice.setdefault("kind", kind)
        if _already_notified(notice):
            return 0
        return int(_notification_write(**notice) is not None)


def notifications_deliver(*, kind, source_ids):
    """Write the notifications `notification_enqueue` queued; returns how many were written.

    Idempotent: a source that is gone (the like was taken back, the request declined) or
    already notified writes nothing, so running it twice writes nothing twice. The rules of
    `notification_create` (self, blocks, mutes) apply as they stand now.
    Locks: see _rows_lock; a write holding those rows goes first.
    """
    kind = Kind(kind)
    written = 0
    for source_id in source_ids:
        for attempt in range(DELIVERY_LOCK_TRIES):
            try:
                written += _deliver_one(kind, source_id)
                break
            except _RowsBusy:
                if attempt == DELIVERY_LOCK_TRIES - 1:
                    raise DeliveryBusy(f"{kind} {source_id}: rows stay locked") from None
                time.sleep(min(0.01 * 2**attempt, 0.5))
    return written


def notification_remove(*, actor, kind, recipient=None, post=None, comment=None):
    """Remove the notifications an undone action caused (unlike, unfollow, deleted comment)."""
    qs = Notification.objects.filter(actor=actor, kind=kind)
    if recipient is not None:
        qs = qs.filter(recipient=recipient)
    if post is not None:
        qs = qs.filter(post=post)
    if comment is not None:
        qs = qs.filter(comment=comment)
    with transaction.atomic():
        return qs.delete()[0]


def notification_mark_all_read(*, user):
    """Mark every unread notification of `user` read; returns how many were unread."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


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
        mute, _ = Mute.objects.get_or_create(muter=muter, muted=muted)
        return mute


def mute_remove(*, muter, muted):
    """Unmute; returns False when there was no mute."""
    if muter.pk == muted.pk:
        raise ValidationError({"muted": ["You can't mute yourself."]})
    with transaction.atomic():
        deleted, _ = Mute.objects.filter(muter=muter, muted=muted).delete()
        return bool(deleted)


# --- Reports ---------------------------------------------------------------------------------


def _report_check(*, reporter, reason, text, targets):
    given = {kind: target for kind, target in targets.items() if target is not None}
    if len(given) != 1:
        raise ValidationError("Report exactly one thing: a post, a comment or an account.")
    [(kind, target)] = given.items()
    errors = {}
    if reason not in Report.Reason.values:
        errors["reason"] = [f"Choose a reason: {', '.join(Report.Reason.values)}."]
    if len(text) > REPORT_TEXT_MAX:
        errors["text"] = [
            f"Keep the details to {REPORT_TEXT_MAX} characters (this has {len(text)})."
        ]
    owner_id = target.pk if kind == "user" else target.author_id
    if owner_id == reporter.pk:
        errors[kind] = [
            "You can't report yourself." if kind == "user" else f"You can't report your own {kind}."
        ]
    if errors:
        raise ValidationError(errors)
    return kind, target


def report_create(*, reporter, reason, text="", post=None, comment=None, user=None):
    """Report a post, comment or account; while one is open, reporting again returns it."""
    text = (text or "").strip()
    kind, target = _report_check(
        reporter=reporter,
        reason=reason,
        text=text,
        targets={"post": post, "comment": comment, "user": user},
    )
    open_report = Report.objects.filter(
        reporter=reporter, status=Report.Status.OPEN, **{kind: target}
    )
    with write_transaction():
        existing = open_report.first()
        if existing is not None:
            return existing
        try:
            # A savepoint, so that losing the race to a twin request leaves the transaction usable.
            with transaction.atomic():
                report = Report.objects.create(
                    reporter=reporter, reason=reason, text=text, **{kind: target}
                )
        except IntegrityError:
            return open_report.get()
        outbox_enqueue(REPORT_RECEIPT_TASK, report.pk)
        return report


def _report_receipt_message(report):
    what = {"post": "a post", "comment": "a comment", "user": "an account"}[report.target_kind]
    return (
        f"Hi {report.reporter.name},\n\n"
        f"We received your report #{report.pk} about {what} "
        f"({report.get_reason_display().lower()}). Our moderators review every report; "
        "you don't need to do anything else.\n\n"
        "Thank you for helping keep Shutter safe.\n"
    )


def report_receipt_send(*, report_id):
    """Email the reporter that their report arrived, once; True when an email went out.

    The report is claimed (receipt_sent_at) before sending and released if sending fails, so
    a task delivered twice sends one email, and a failed one is sent on its retry.
    """
    with write_transaction():
        claimed = Report.objects.filter(pk=report_id, receipt_sent_at__isnull=True).update(
            receipt_sent_at=timezone.now()
        )
    if not claimed:
        return False
    report = Report.objects.select_related("reporter").get(pk=report_id)
    if not report.reporter.email:
        return False
    try:
        send_mail(
            subject=f"We received your report #{report.pk}",
            message=_report_receipt_message(report),
            from_email=None,
            recipient_list=[report.reporter.email],
        )
    except BaseException:
        with write_transaction():
            Report.objects.filter(pk=report_id).update(receipt_sent_at=None)
        raise
    return True


# --- Housekeeping ----------------------------------------------------------------------------

PRUNE_BATCH = 5000


def notifications_prune(*, older_than_days=None):
    """Delete read notifications older than SHUTTER_NOTIFICATIONS_KEEP_READ_DAYS (90) days.

    In short batches, so no transaction holds the write lock for long. Returns how many went.
    """
    days = older_than_days or settings.SHUTTER_NOTIFICATIONS_KEEP_READ_DAYS
    old_and_read = Notification.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days), read_at__isnull=False
    )
    pruned = 0
    while ids := list(old_and_read.values_list("pk", flat=True)[:PRUNE_BATCH]):
        with write_transaction():
            pruned += Notification.objects.filter(pk__in=ids).delete()[0]
    return pruned
