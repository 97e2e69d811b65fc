"""The Celery app's schedule and task table: every job beat sends and every task the outbox
resends is one the worker knows, with acks late, bounded retries and time limits."""

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

from config.celery_app import app


@pytest.mark.parametrize("name", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_beat_job_names_a_task_the_worker_knows(name):
    task_name = settings.CELERY_BEAT_SCHEDULE[name]["task"]
    task = import_string(task_name)

    assert task.name == task_name
    assert task_name in app.tasks
    assert task.acks_late
    assert task.time_limit and task.soft_time_limit < task.time_limit


@pytest.mark.parametrize(
    "task_name",
    [
        "social.tasks.notifications_deliver",
        "social.tasks.report_receipt_send",
        "posts.tasks.post_image_variants_make",
        "accounts.tasks.profile_cache_forget_many",
    ],
)
def test_outbox_tasks_ack_late_retry_a_bounded_number_of_times_and_have_time_limits(task_name):
    task = import_string(task_name)

    assert task.name == task_name  # the outbox finds the task again by this name
    assert task.acks_late
    assert 0 < task.max_retries <= 10
    assert task.retry_backoff
    assert task.soft_time_limit < task.time_limit
