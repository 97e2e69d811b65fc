"""Notifications: queued with the write that causes them, written by a worker after commit.

An action that notifies (a like, comment, mention, follow, accepted request) queues its
notification in its own transaction, through the outbox (`notification_enqueue`); a worker
writes it after commit (`notifications_deliver`). Undoing an action removes its notification
in the undoing transaction, at once: a notification that outlived its cause would be shown.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.db.models import Exists
from django.utils import timezone

from accounts.models import User
from core.transactions import write_transaction
from posts.models import Comment, CommentLike, Like, Mention, Post, post_audience_q
from social.graph.models import Block, Follow, Mute
from social.notifications.models import SETTING_OF_KIND, Notification, NotificationOptOut

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's error code for NOWAIT finding a row locked
Kind = Notification.Kind


def _notifiable(*, recipient_ids, actor_id, kind=None, post_id=None, comment_id=None):
    """The recipients `actor_id` may notify: not themselves, no block either way, not muted,
    not having turned this kind off, and able to see the post and comment it is about, as
    they stand now."""
    recipients = (
        User.objects.filter(pk__in=recipient_ids)
        .exclude(pk=actor_id)
        .filter(Block.objects.unblocked_q(actor_id, "pk"))
        .exclude(pk__in=Mute.objects.filter(muted=actor_id).values("muter_id"))
    )
    setting = SETTING_OF_KIND.get(kind)
    if setting is not None:
        opted_out = NotificationOptOut.objects.filter(setting=setting).values("user_id")
        recipients = recipients.exclude(pk__in=opted_out)
    if post_id is not None:
        recipients = recipients.filter(post_audience_q(post_id))
    if comment_id is not None:
        shown = Comment.objects.visible_to(None).filter(pk=comment_id)
        recipients = recipients.filter(Exists(shown))
    return recipients


def _notification_write(*, recipient_id, actor_id, kind, post_id=None, comment_id=None):
    if recipient_id == actor_id:
        return None
    notifiable = _notifiable(
        recipient_ids=[recipient_id],
        actor_id=actor_id,
        kind=kind,
        post_id=post_id,
        comment_id=comment_id,
    )
    if not notifiable.exists():
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

    Never for your own actions, never across a block, never from someone the recipient muted,
    never about a post or comment the recipient may not see, never of a kind they turned off.
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


# Each loader reads its source and says which notification it causes (with the rows that
# notification will point at), or None once the source is gone.


def _like_notice(like_id):
    like = Like.objects.select_related("post").filter(pk=like_id).first()
    if like is None:
        return None
    return {"recipient_id": like.post.author_id, "actor_id": like.user_id, "post_id": like.post_id}


def _comment_notice(comment_id):
    comment = Comment.objects.select_related("post", "parent")
    comment = comment.filter(pk=comment_id, removed_at__isnull=True).first()
    if comment is None:
        return None
    if comment.parent is not None and comment.parent.author_id == comment.post.author_id:
        return None  # a reply on the post author's own comment: told once, as a reply
    return {
        "recipient_id": comment.post.author_id,
        "actor_id": comment.author_id,
        "post_id": comment.post_id,
        "comment_id": comment.pk,
    }


def _reply_notice(comment_id):
    reply = Comment.objects.select_related("parent")
    reply = reply.filter(pk=comment_id, removed_at__isnull=True, parent__isnull=False).first()
    if reply is None:
        return None
    return {
        "recipient_id": reply.parent.author_id,
        "actor_id": reply.author_id,
        "post_id": reply.post_id,
        "comment_id": reply.pk,
    }


def _comment_like_notice(like_id):
    like = CommentLike.objects.select_related("comment").filter(pk=like_id).first()
    if like is None:
        return None
    return {
        "recipient_id": like.comment.author_id,
        "actor_id": like.user_id,
        "post_id": like.comment.post_id,
        "comment_id": like.comment_id,
    }


def _mention_notice(mention_id):
    mention = Mention.objects.select_related("post", "comment__parent")
    mention = mention.filter(pk=mention_id).first()
    if mention is None:
        return None
    parent = mention.comment.parent if mention.comment else None
    if parent is not None and parent.author_id == mention.user_id:
        return None  # mentioned in a reply to their own comment: told once, as a reply
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
    Kind.REPLY: (Comment, _reply_notice),
    Kind.COMMENT_LIKE: (CommentLike, _comment_like_notice),
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
    `notification_create` (self, blocks, mutes, who may see the post) apply as they stand now.
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


def notification_mark_all_read(*, user):
    """Mark every unread notification of `user` read; returns how many were unread."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


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


def notification_settings_update(*, user, changes):
    """Turn kinds of notification on or off for `user`: `changes` maps settings (the values
    of NotificationOptOut.Setting) to booleans; settings not named keep their state.

    ValidationError naming an unknown setting or a value that is not a boolean; nothing is
    changed then. Returns the settings as they stand after.
    """
    known = set(NotificationOptOut.Setting.values)
    errors = {
        name: ["Say true or false."] for name, on in changes.items() if not isinstance(on, bool)
    }
    errors.update(
        {name: ["No such notification setting."] for name in changes if name not in known}
    )
    if errors:
        raise ValidationError(errors)
    with write_transaction():
        on = [name for name, value in changes.items() if value]
        off = [name for name, value in changes.items() if not value]
        NotificationOptOut.objects.filter(user=user, setting__in=on).delete()
        NotificationOptOut.objects.bulk_create(
            [NotificationOptOut(user=user, setting=name) for name in off], ignore_conflicts=True
        )
    off = set(NotificationOptOut.objects.filter(user=user).values_list("setting", flat=True))
    return {setting.value: setting not in off for setting in NotificationOptOut.Setting}


def notification_dismiss(*, user, notification_id):
    """Delete one of `user`'s notifications; True when there was one."""
    with write_transaction():
        deleted, _ = Notification.objects.filter(recipient=user, pk=notification_id).delete()
    return bool(deleted)


def notifications_clear(*, user):
    """Delete all of `user`'s notifications; returns how many."""
    with write_transaction():
        deleted, _ = Notification.objects.filter(recipient=user).delete()
    return deleted
