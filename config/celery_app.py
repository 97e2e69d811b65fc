"""The Celery app, and the one helper every task dispatch goes through."""

import os

from celery import Celery
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
