"""With the replica stopped, pages and the API still answer 200, reading from the primary."""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory
from tests_services.conftest import replica_caught_up, services, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]


def reads_from(client):
    return client.get("/healthz").json()["checks"]["replica"]["reads_from"]


def test_pages_and_the_api_answer_from_the_primary_while_the_replica_is_down(replica):
    author, reader = UserFactory(username="ines"), UserFactory()
    post = PostFactory(author=author)
    token = Token.objects.create(user=reader)
    replica_caught_up()
    browser, api = Client(), APIClient()
    browser.force_login(reader)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert reads_from(browser) == "replica"

    services("stop-replica")
    try:
        time.sleep(2 * settings.SHUTTER_REPLICA["CHECK_INTERVAL"])
        health = browser.get("/healthz")
        pages = [
            browser.get(reverse("posts:home")),
            browser.get(reverse("posts:explore")),
            browser.get(reverse("posts:post-detail", args=[post.pk])),
            browser.get(reverse("accounts:profile", args=["ines"])),
        ]
        calls = [
            api.get(reverse("api:post-detail", args=[post.pk])),
            api.get(reverse("api:user-detail", args=["ines"])),
            api.get(reverse("api:explore")),
            api.post(reverse("api:post-like", args=[post.pk])),
        ]
    finally:
        services("start-replica")

    assert [response.status_code for response in pages] == [200] * len(pages)
    assert [response.status_code for response in calls] == [200] * len(calls)
    assert health.status_code == 200  # degraded, not down: the primary serves the reads
    replica = health.json()["checks"]["replica"]
    assert (replica["ok"], replica["reads_from"]) == (False, "primary")
    assert health.json()["status"] == "degraded"
    # Started again, it catches up and takes the reads back.
    wait_until(lambda: reads_from(browser) == "replica", "the replica to be used again")
