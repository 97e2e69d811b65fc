"""What a write does about the home timelines (posts.timelines): queue their update after
commit. The door lower layers use, like social.notifications.triggers for notifications.

Home timelines are Redis sorted sets of post ids, kept only when the cache is Redis. A write
that changes whose posts someone's home feed holds (a follow, an unfollow, a block, a mute, a
post published, removed or deleted, an account suspended) calls one of these in its own
transaction: each writes an outbox row naming a task of posts.tasks, which the worker runs
after commit and which reads the state as it then stands (so every task is idempotent and the
order they run in does not matter). Without Redis they do nothing: the pull query serves the
feed. The timeline is an index, never the authority: the feed re-checks visibility on read.
"""

from django.conf import settings

from core.outbox import outbox_enqueue

FOLLOW_TASK = "posts.tasks.timeline_follow_sync"
POST_TASK = "posts.tasks.timeline_post_sync"
AUTHOR_TASK = "posts.tasks.timeline_author_sync"
BATCH = 500


def timelines_enabled():
    """True when home timelines are kept: the default cache is django-redis."""
    return settings.CACHES["default"]["BACKEND"].startswith("django_redis.")


def timeline_follow_changed(*, follower_ids, author_id):
    """`follower_ids` started or stopped following (or muting) `author_id`: their timelines
    take the author's recent posts in, or lose them, as the graph then stands."""
    if not timelines_enabled():
        return
    follower_ids = list(follower_ids)
    for start in range(0, len(follower_ids), BATCH):
        outbox_enqueue(FOLLOW_TASK, follower_ids[start : start + BATCH], author_id)


def timeline_post_changed(*, post_id, author_id):
    """Post `post_id` was published, removed, restored or deleted: fan it out or take it back."""
    if timelines_enabled():
        outbox_enqueue(POST_TASK, post_id, author_id)


def timeline_author_changed(*, author_id):
    """`author_id` was suspended, deactivated or let back: their posts leave every follower's
    timeline, or come back."""
    if timelines_enabled():
        outbox_enqueue(AUTHOR_TASK, author_id)
