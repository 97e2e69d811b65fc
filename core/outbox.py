"""The transactional outbox: follow-up work of a write that survives a broker outage.

A service calls `outbox_enqueue(task, *ids)` inside its transaction. That writes an
OutboxMessage row with the write, and asks `enqueue_on_commit` to send the task after commit.
The task (declared with `@outbox_task`) deletes the row once it has done its work. A row that
is still there later (the broker was down, a worker died, the retries ran out) is sent again
by the `outbox_redeliver` beat job, with growing gaps, up to SHUTTER_OUTBOX["MAX_ATTEMPTS"].

A message may therefore run more than once: every outbox task must be idempotent.
"""

import logging
from datetime import timedelta

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError
from django.db import OperationalError as DatabaseUnavailable
from django.utils import timezone
from django.utils.module_loading import import_string

from core.dispatch import enqueue_on_commit
from core.models import OutboxMessage
from core.transactions import write_transaction

logger = logging.getLogger(__name__)

REDELIVER_BATCH = 500
# The longest gap between two deliveries of one row.
MAX_BACKOFF = timedelta(hours=1)


class OutboxTask(Task):
    """A task that takes `outbox_id=` besides its ids, and deletes that row when it succeeds."""

    # Celery checks the call against the task function's signature, which has no outbox_id.
    typing = False

    def __call__(self, *args, outbox_id=None, **kwargs):
        result = super().__call__(*args, **kwargs)
        if outbox_id is not None:
            outbox_done(outbox_id=outbox_id)
        return result


def outbox_task(**options):
    """`shared_task` with Shutter's defaults for outbox work: late acks, bounded retries with
    backoff on a database or storage that is briefly away, and time limits."""
    defaults = {
        "base": OutboxTask,
        "acks_late": True,
        "autoretry_for": (DatabaseUnavailable, InterfaceError, OSError),
        "max_retries": 5,
        "retry_backoff": True,
        "retry_backoff_max": 300,
        "retry_jitter": True,
        "soft_time_limit": 60,
        "time_limit": 90,
    }
    return shared_task(**{**defaults, **options})


def _grace():
    return timedelta(seconds=settings.SHUTTER_OUTBOX["GRACE_SECONDS"])


def outbox_enqueue(task, *ids):
    """Record `task(*ids)` in the caller's transaction and send it once that commits.

    `task` is an `@outbox_task`, or its import path (services name tasks by path, since the
    tasks modules import the services). Its Celery name must be that path (the default).
    """
    if isinstance(task, str):
        task = import_string(task)
    message = OutboxMessage.objects.create(
        task=task.name, args=list(ids), next_attempt_at=timezone.now() + _grace()
    )
    enqueue_on_commit(task, *ids, outbox_id=message.pk)
    return message


def outbox_done(*, outbox_id):
    """Forget a message whose work is done (the task succeeded)."""
    OutboxMessage.objects.filter(pk=outbox_id).delete()


def _backoff(attempts):
    return min(_grace() * 2 ** (attempts - 1), MAX_BACKOFF)


def outbox_redeliver(*, due_by=None, limit=REDELIVER_BATCH):
    """Send again the messages due by `due_by` (now) that are still here; returns how many.

    Rows are claimed under SKIP LOCKED, so two redeliver jobs never send the same row at once.
    A row that reaches MAX_ATTEMPTS is logged and left alone.
    """
    due_by = due_by or timezone.now()
    max_attempts = settings.SHUTTER_OUTBOX["MAX_ATTEMPTS"]
    with write_transaction():
        due = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(next_attempt_at__lte=due_by, attempts__lt=max_attempts)
            .order_by("next_attempt_at")[:limit]
        )
        now = timezone.now()
        for message in due:
            message.attempts += 1
            message.next_attempt_at = now + _backoff(message.attempts)
            if message.attempts >= max_attempts:
                logger.error(
                    "Outbox message %s gives up after this delivery: %s", message.pk, message
                )
        OutboxMessage.objects.bulk_update(due, ["attempts", "next_attempt_at"])
        for message in due:
            enqueue_on_commit(import_string(message.task), *message.args, outbox_id=message.pk)
    return len(due)
