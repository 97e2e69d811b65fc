"""core.dispatch.enqueue_on_commit: the only way a task is sent, after commit, never failing the
write."""

import pytest
from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

from config.celery_app import app
from core.dispatch import broker_backoff_reset, enqueue_on_commit

ran = []


@shared_task
def remember(value):
    ran.append(value)


@pytest.fixture(autouse=True)
def _fresh():
    ran.clear()
    broker_backoff_reset()
    yield
    broker_backoff_reset()
    app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_a_task_is_sent_only_once_the_transaction_commits():
    with transaction.atomic():
        enqueue_on_commit(remember, 1)
        assert ran == []

    assert ran == [1]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(remember, 1)
        raise RuntimeError

    assert ran == []


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_is_logged_and_the_commit_stands(monkeypatch, caplog):
    app.conf.task_always_eager = False
    sent = []

    def refuse(*args, **kwargs):
        sent.append(args)
        raise BrokerError("Connection refused")

    monkeypatch.setattr(remember, "apply_async", refuse)

    with transaction.atomic():
        enqueue_on_commit(remember, 1)

    assert len(sent) == 1
    assert "Broker unreachable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_eager_tasks_raise_their_own_errors(monkeypatch):
    def bug(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(remember, "run", bug)

    with pytest.raises(ValueError), transaction.atomic():
        enqueue_on_commit(remember, 1)
