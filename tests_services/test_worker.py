"""End to end: a like in this process, its notification written by a real worker process."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from posts.tests.factories import PostFactory
from social.notifications import services as notices
from social.notifications.models import Notification
from tests_services.conftest import replica_caught_up, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]


def not_here(**kwargs):
    raise AssertionError("the notification was written in the test process, not by the worker")


def test_a_like_is_notified_by_the_worker_process_after_commit(worker, monkeypatch):
    post, fan = PostFactory(), UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=fan).key}")
    replica_caught_up()  # the post was made a while ago, as far as the standby knows
    monkeypatch.setattr(notices, "notifications_deliver", not_here)

    response = client.post(reverse("api:post-like", args=[post.pk]))

    assert response.status_code == 200
    notified = Notification.objects.filter(
        recipient=post.author, actor=fan, kind=Notification.Kind.LIKE, post=post
    )
    wait_until(notified.exists, "the worker to write the notification", seconds=10)
    wait_until(lambda: not OutboxMessage.objects.exists(), "the outbox row to go", seconds=10)
    assert notified.count() == 1
    assert "Task social.tasks.notifications_deliver" in worker.output()
    assert "succeeded" in worker.output()
