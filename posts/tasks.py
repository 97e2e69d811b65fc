"""Celery tasks of the posts app: load by id, call a service. Retries live here."""

from celery import shared_task
from django.db import InterfaceError
from django.db import OperationalError as DatabaseUnavailable
from redis.exceptions import RedisError

from core.outbox import outbox_task
from posts import timelines
from posts.services import post_counters_recount, post_image_variants_create


# Storage hiccups (OSError) and a database briefly away are retried with backoff.
@outbox_task(soft_time_limit=90, time_limit=120)
def post_image_variants_make(image_id):
    """Make the display and thumbnail variants of PostImage `image_id` (idempotent)."""
    post_image_variants_create(image_id=image_id)


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1500)
def post_counters_recount_all():
    """Repair drifted like and comment counters of every post (daily)."""
    return post_counters_recount()


# Home timelines (posts/timelines.py). Queued by social.graph.triggers; each reads the state as
# it stands when it runs, so a redelivery or a reordering does no harm. Redis briefly away is
# retried like the database.
_TIMELINE_TASK = {"autoretry_for": (DatabaseUnavailable, InterfaceError, OSError, RedisError)}


@outbox_task(**_TIMELINE_TASK)
def timeline_post_sync(post_id, author_id):
    """Fan a published or restored post out to its followers' timelines, or take it back."""
    return timelines.timeline_post_sync(post_id=post_id, author_id=author_id)


@outbox_task(**_TIMELINE_TASK)
def timeline_follow_sync(follower_ids, author_id):
    """Merge an author's recent posts into (or take them out of) these followers' timelines."""
    return timelines.timeline_follow_sync(follower_ids=follower_ids, author_id=author_id)


@outbox_task(**_TIMELINE_TASK)
def timeline_author_sync(author_id):
    """A suspended or deactivated author's posts out of every timeline, or back in."""
    return timelines.timeline_author_sync(author_id=author_id)
