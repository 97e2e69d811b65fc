"""Redis stopped: the site answers (cache degraded), writes commit and their follow-up work
waits in the outbox; Redis back: outbox_redeliver sends it and a worker does it."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from core.dispatch import broker_backoff_reset
from core.models import OutboxMessage
from core.outbox import outbox_redeliver
from posts.models import Like
from posts.tests.factories import PostFactory
from social.notifications.models import Notification
from tests_services.conftest import Worker, replica_caught_up, services, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]


def test_with_redis_down_the_site_answers_and_the_like_waits_in_the_outbox_until_it_is_back(
    replica, broker, tmp_path
):
    author, fan = UserFactory(username="ines"), UserFactory(username="fan")
    post = PostFactory(author=author)
    token = Token.objects.create(user=fan)
    replica_caught_up()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    services("stop-redis")
    try:
        browser = Client()
        logged_in = browser.post(
            reverse("accounts:login"), {"username": "fan", "password": PASSWORD}
        )
        pages = [
            browser.get(reverse("posts:home")),
            browser.get(reverse("posts:explore")),
            browser.get(reverse("accounts:profile", args=["ines"])),
            api.get(reverse("api:user-detail", args=["ines"])),
            api.get(reverse("api:explore")),
        ]
        liked = api.post(reverse("api:post-like", args=[post.pk]))
        health = browser.get("/healthz").json()
    finally:
        services("start-redis")

    assert logged_in.status_code == 302  # sessions fall back to the database
    assert [page.status_code for page in pages] == [200] * len(pages)
    assert liked.status_code == 200
    assert Like.objects.filter(user=fan, post=post).exists()
    assert (health["status"], health["checks"]["cache"]["ok"]) == ("degraded", False)
    waiting = OutboxMessage.objects.get()
    assert (waiting.task, waiting.args) == (
        "social.tasks.notifications_deliver",
        [Notification.Kind.LIKE, [Like.objects.get().pk]],
    )
    assert not Notification.objects.exists()

    worker = Worker(tmp_path / "worker.log")
    try:
        worker.start()
        broker_backoff_reset()  # this process saw the broker fail a moment ago; it is back
        # The beat job runs every few seconds; here it runs now, for what is due in a minute.
        assert outbox_redeliver(due_by=timezone.now() + timedelta(minutes=1)) == 1
        notified = Notification.objects.filter(recipient=author, actor=fan, post=post)
        wait_until(notified.exists, "the worker to deliver the notification", seconds=10)
        wait_until(lambda: not OutboxMessage.objects.exists(), "the outbox to empty", seconds=10)
    finally:
        worker.stop()
    assert notified.count() == 1
