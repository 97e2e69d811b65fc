"""The Celery app, and the one helper every task dispatch goes through."""

import os

from celery import Celery, signals
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("shutter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task, *args, using=None, **kwargs):
    """Send `task` with ids only, once the current transaction commits (at once outside one).

    Dispatching inside the transaction would let a worker run before the rows it loads exist.
    """
    transaction.on_commit(lambda: task.delay(*args, **kwargs), using=using)


@signals.task_prerun.connect(dispatch_uid="shutter.pin_tasks_to_primary")
def _pin_tasks_to_primary(**kwargs):
    # A task runs right after the write that queued it: the replica may not have it yet.
    from config.db_router import pin_to_primary

    pin_to_primary()
