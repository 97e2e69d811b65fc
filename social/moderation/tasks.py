"""Celery tasks of moderation: load by id, call a service. social/tasks.py imports this module
so the worker's autodiscovery registers them."""

from celery import shared_task

from core.outbox import outbox_task
from social.moderation.appeals import moderation_notice_send as notice_send
from social.moderation.banned_images import banned_image_views_add
from social.moderation.digest import report_digest_send


@outbox_task(soft_time_limit=120, time_limit=150)
def banned_image_views_make(post_id):
    """Ban the cropped views of removed post `post_id`'s images (idempotent)."""
    return banned_image_views_add(post_id=post_id)


@outbox_task(max_retries=8, retry_backoff_max=1800)
def moderation_notice_send(action_id):
    """Tell an author about a removal, suspension or appeal decision (idempotent; mail server
    errors are retried)."""
    return notice_send(action_id=action_id)


# A beat job, not an outbox task: beat sends it again on its own schedule.
@shared_task(acks_late=True, max_retries=3, soft_time_limit=120, time_limit=150)
def report_digest_mail():
    """E-mail the moderators the reports that arrived since the last digest (hourly)."""
    return report_digest_send()
