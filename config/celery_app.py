"""The Celery app. Tasks are sent through core.dispatch.enqueue_on_commit."""

import logging
import os

from celery import Celery, signals

from core.db_router import pin_to_primary

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

logger = logging.getLogger(__name__)

app = Celery("shutter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect(dispatch_uid="shutter.pin_tasks_to_primary")
def _pin_tasks_to_primary(**kwargs):
    # A task runs right after the write that queued it: the replica may not have it yet.
    pin_to_primary()
