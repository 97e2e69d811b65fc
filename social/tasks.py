"""Celery tasks of the social app: load by id, call a service. Retries live here."""

from celery import shared_task

from core import outbox
from core.outbox import outbox_task
from social.moderation import reports
from social.notifications import services as notices


@outbox_task()
def notifications_deliver(kind, source_ids):
    """Write the notifications a like, comment, mention or follow queued (idempotent)."""
    return notices.notifications_deliver(kind=kind, source_ids=source_ids)


@outbox_task(max_retries=8, retry_backoff_max=1800)
def report_receipt_send(report_id):
    """Email a reporter that their report arrived (once; mail server errors are retried)."""
    return reports.report_receipt_send(report_id=report_id)


# Beat jobs. Not outbox tasks: beat sends them again on its own schedule.


@shared_task(acks_late=True, soft_time_limit=50, time_limit=60)
def outbox_redeliver():
    """Send again what the outbox still holds past its first delivery (every few seconds)."""
    return outbox.outbox_redeliver()


@shared_task(acks_late=True, soft_time_limit=1200, time_limit=1500)
def notifications_prune():
    """Delete read notifications older than the retention period (daily)."""
    return notices.notifications_prune()


# Moderation's tasks live in their package; imported here so the worker's autodiscovery finds them.
from social.moderation.tasks import (  # noqa: E402, F401
    banned_image_views_make,
    moderation_notice_send,
    report_digest_mail,
)
