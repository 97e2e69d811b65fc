"""The transactional outbox: work queued by a write survives a broker outage and runs once done.

The broker is simulated here (a publish that raises, as kombu does when Redis is down); the
tests marked `services` (tests_services/) stop the real Redis.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from accounts.tests.factories import UserFactory
from config.celery_app import app
from core import outbox
from core.dispatch import broker_backoff_reset
from core.models import OutboxMessage
from posts.models import Like
from posts.services import like_add
from posts.tests.factories import PostFactory
from social import tasks
from social.notifications import services as notices
from social.notifications.models import Notification
from social.notifications.triggers import NOTIFY_TASK

pytestmark = pytest.mark.django_db


class Broker:
    """A real broker (not eager) that refuses every message until `back()`."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch
        self.refused = []

    def down(self):
        def refuse(*args, **kwargs):
            self.refused.append(args)
            raise BrokerError("Error 111 connecting to 127.0.0.1:56379. Connection refused.")

        app.conf.task_always_eager = False
        self.monkeypatch.setattr(tasks.notifications_deliver, "apply_async", refuse)
        broker_backoff_reset()

    def back(self):
        """The broker answers again; here it runs tasks in-process, as the test settings do."""
        self.monkeypatch.undo()
        app.conf.task_always_eager = True
        broker_backoff_reset()


@pytest.fixture
def broker(monkeypatch):
    broker = Broker(monkeypatch)
    broker.down()
    yield broker
    broker.back()


def liked():
    post, fan = PostFactory(), UserFactory()
    like_add(user=fan, post=post)
    return post, fan


def test_the_outbox_row_is_part_of_the_writes_transaction():
    post, fan = PostFactory(), UserFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        like_add(user=fan, post=post)
        raise RuntimeError("the request fails after the like")

    assert not Like.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_task_that_ran_deletes_its_outbox_row(committed):
    with committed():
        post, fan = liked()

    assert Notification.objects.filter(recipient=post.author, actor=fan).exists()
    assert not OutboxMessage.objects.exists()


def test_a_failing_task_keeps_its_outbox_row_for_redelivery(committed, monkeypatch):
    def broken(**kwargs):
        raise ValueError("a bug in delivery")

    monkeypatch.setattr(notices, "notifications_deliver", broken)

    with pytest.raises(ValueError), committed():
        liked()

    assert OutboxMessage.objects.count() == 1


def test_with_the_broker_down_the_like_commits_and_its_work_waits_in_the_outbox(
    committed, broker, caplog
):
    with committed():
        post, fan = liked()

    assert Like.objects.filter(user=fan, post=post).exists()
    assert len(broker.refused) == 1
    assert not Notification.objects.exists()
    message = OutboxMessage.objects.get()
    assert message.task == "social.tasks.notifications_deliver"
    assert "Broker unreachable" in caplog.text


def test_after_one_refusal_the_process_skips_the_broker_for_a_while(committed, broker):
    with committed():
        liked()
        liked()

    assert len(broker.refused) == 1  # the second like did not wait on the broker again
    assert OutboxMessage.objects.count() == 2


def test_redelivery_sends_what_is_due_and_the_notification_appears(committed, broker):
    with committed():
        post, fan = liked()
    broker.back()

    with committed():
        sent = outbox.outbox_redeliver(due_by=timezone.now() + timedelta(minutes=1))

    assert sent == 1
    assert Notification.objects.filter(recipient=post.author, actor=fan).count() == 1
    assert not OutboxMessage.objects.exists()


def test_redelivery_leaves_rows_still_on_their_first_delivery(committed, broker):
    with committed():
        liked()

    assert outbox.outbox_redeliver() == 0  # younger than GRACE_SECONDS
    assert OutboxMessage.objects.get().attempts == 1


def test_each_redelivery_counts_and_waits_longer(committed, broker, settings):
    settings.SHUTTER_OUTBOX = {"GRACE_SECONDS": 10, "MAX_ATTEMPTS": 8}
    with committed():
        liked()
    message = OutboxMessage.objects.get()
    later = timezone.now() + timedelta(days=1)

    with committed():
        outbox.outbox_redeliver(due_by=later)
    after_one = OutboxMessage.objects.get(pk=message.pk)
    broker_backoff_reset()
    with committed():
        outbox.outbox_redeliver(due_by=later)
    after_two = OutboxMessage.objects.get(pk=message.pk)

    assert (after_one.attempts, after_two.attempts) == (2, 3)
    gap_one = after_one.next_attempt_at - timezone.now()
    gap_two = after_two.next_attempt_at - timezone.now()
    assert timedelta(seconds=15) < gap_one <= timedelta(seconds=20)
    assert timedelta(seconds=35) < gap_two <= timedelta(seconds=40)


def test_a_message_that_used_up_its_attempts_is_kept_but_not_sent_again(
    committed, broker, settings
):
    settings.SHUTTER_OUTBOX = {"GRACE_SECONDS": 10, "MAX_ATTEMPTS": 3}
    with committed():
        liked()
    OutboxMessage.objects.update(attempts=3)

    assert outbox.outbox_redeliver(due_by=timezone.now() + timedelta(days=1)) == 0
    assert OutboxMessage.objects.get().attempts == 3


def test_redelivering_a_message_whose_work_was_done_writes_nothing_twice(committed):
    with committed():
        post, fan = liked()
    like = Like.objects.get()
    # As if the worker did the work but died before deleting the row.
    message = OutboxMessage.objects.create(
        task=NOTIFY_TASK,
        args=[Notification.Kind.LIKE, [like.pk]],
        next_attempt_at=timezone.now(),
    )

    with committed():
        assert outbox.outbox_redeliver() == 1

    assert Notification.objects.filter(recipient=post.author, actor=fan).count() == 1
    assert not OutboxMessage.objects.filter(pk=message.pk).exists()
