"""Celery tasks of the accounts app: load by id, call a service. Retries live here."""

from celery import shared_task

from accounts.cache import profile_cache_forget
from core.outbox import outbox_task
from social.lifecycle import user_counters_recount


@outbox_task()
def profile_cache_forget_many(user_ids):
    """Forget the cached profile headers of these accounts (after a deletion moved many)."""
    profile_cache_forget(*user_ids)


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1500)
def user_counters_recount_all():
    """Repair drifted post/follower/following counters of every account (daily)."""
    return user_counters_recount()
