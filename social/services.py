"""Every write of the social graph: follows, blocks, mutes, notifications, reports."""

from django.db import transaction

from social.models import Block, Mute, Notification


def users_blocked_either_way(a, b):
    """True when `a` blocked `b` or `b` blocked `a`."""
    return Block.objects.between(a, b).exists()


def notification_create(*, recipient, actor, kind, post=None, comment=None):
    """Write a notification in the caller's transaction, unless it must not be sent.

    Never for your own actions, never across a block, never from someone the recipient muted.
    Returns the notification, or None when none was written.
    """
    if recipient.pk == actor.pk:
        return None
    if users_blocked_either_way(recipient, actor):
        return None
    if Mute.objects.filter(muter=recipient, muted=actor).exists():
        return None
    return Notification.objects.create(
        recipient=recipient, actor=actor, kind=kind, post=post, comment=comment
    )


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
