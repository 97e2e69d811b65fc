"""What a write does about notifications: queue them (`notification_enqueue`) or take them
back at once when it is undone (`notification_remove`). The door lower layers use.

Likes, comments and mentions (posts) and follows (the graph) call these in their own
transaction. `notification_enqueue` writes an outbox row naming the delivery task; the
notifications layer above delivers it after commit (`notifications_deliver`), deciding then
who is told. So no lower layer imports the layer that delivers.
"""

from django.db import transaction

from core.outbox import outbox_enqueue
from social.notifications.models import Notification

NOTIFY_TASK = "social.tasks.notifications_deliver"
NOTIFY_BATCH = 500
Kind = Notification.Kind


def notification_enqueue(*, kind, source_ids):
    """Queue the notifications new sources cause, in the caller's transaction (the outbox).

    `kind` says what the ids are: LIKE (Like), COMMENT (Comment), MENTION (Mention), FOLLOW or
    FOLLOW_REQUEST (Follow: the followed account is told), FOLLOW_ACCEPTED (Follow: the
    follower is told), REPLY (Comment: a reply; its comment's author is told), COMMENT_LIKE
    (CommentLike). A worker writes them once the transaction commits.
    """
    source_ids = list(source_ids)
    kind = Kind.FOLLOW if kind == Kind.FOLLOW_REQUEST else Kind(kind)
    for start in range(0, len(source_ids), NOTIFY_BATCH):
        outbox_enqueue(NOTIFY_TASK, kind.value, source_ids[start : start + NOTIFY_BATCH])


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
