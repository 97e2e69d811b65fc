"""With the replica stopped, pages and the API still answer 200, reading from the primary."""

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory
from tests_services.conftest import health_of, replica_caught_up, services, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]


def reads_from(client):
    return health_of(client).json()["checks"]["replica"]["reads_from"]


def test_pages_and_the_api_answer_from_the_primary_while_the_replica_is_down(replica, settings):
    author, reader = UserFactory(username="ines"), UserFactory()
    post = PostFactory(author=author)
    token = Token.objects.create(user=reader)
    replica_caught_up()
    browser, api = Client(), APIClient()
    browser.force_login(reader)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert reads_from(browser) == "replica"

    # The router's last health reading still says "usable" (no new probe for an hour): the
    # replica alias itself must fall back to the primary when the standby can't be reached.
    settings.SHUTTER_REPLICA = {**settings.SHUTTER_REPLICA, "CHECK_INTERVAL": 3600}
    services("stop-replica")
    # What Django's per-request connection health check does in a real server; the test
    # client skips close_old_connections, so let go of the dead connection here.
    connections["replica"].close()
    try:
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
        health = health_of(browser)
    finally:
        settings.SHUTTER_REPLICA = {**settings.SHUTTER_REPLICA, "CHECK_INTERVAL": 0.1}
        services("start-replica")

    assert [response.status_code for response in pages] == [200] * len(pages)
    assert [response.status_code for response in calls] == [200] * len(calls)
    assert health.status_code == 200  # degraded, not down: the primary serves the reads
    replica = health.json()["checks"]["replica"]
    assert (replica["ok"], replica["reads_from"]) == (False, "primary")
    assert health.json()["status"] == "degraded"
    # Started again, it catches up and takes the reads back.
    wait_until(lambda: reads_from(browser) == "replica", "the replica to be used again")
