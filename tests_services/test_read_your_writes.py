"""Read-your-writes against the real primary and a standby that applies each commit 1 s late.

A person likes a post, then at once reads it back. With the router's pinning the
read goes to the primary and is never stale; with pinning switched off it goes to the lagging
standby and is stale nearly every time, which shows the test can see the lag at all.
"""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from core.middleware import ReadYourWritesMiddleware
from posts.tests.factories import PostFactory
from tests_services.conftest import replica_caught_up

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]

ROUNDS = 30


def like_then_read(client, posts):
    """Like each post and read it back at once; returns how many reads missed the like."""
    stale = 0
    for post in posts:
        liked = client.post(reverse("api:post-like", args=[post.pk]))
        assert liked.status_code == 200
        read = client.get(reverse("api:post-detail", args=[post.pk]))
        assert read.status_code == 200
        stale += not read.json()["liked"]
    return stale


@pytest.fixture
def reader(replica):
    token = Token.objects.create(user=UserFactory())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def posts_on_the_replica(count):
    posts = PostFactory.create_batch(count)
    replica_caught_up()
    return posts


def test_a_write_then_an_immediate_read_is_never_stale_with_pinning_and_is_without(
    reader, monkeypatch, capsys
):
    stale_pinned = like_then_read(reader, posts_on_the_replica(ROUNDS))
    monkeypatch.setattr(ReadYourWritesMiddleware, "_recently_wrote", lambda self, request: False)
    stale_unpinned = like_then_read(reader, posts_on_the_replica(ROUNDS))

    with capsys.disabled():
        print(
            f"\nread-your-writes, {ROUNDS} writes each followed at once by a read "
            f"(replica applying commits 1 s late): stale reads with pinning {stale_pinned}/"
            f"{ROUNDS}, without pinning {stale_unpinned}/{ROUNDS}"
        )
    assert stale_pinned == 0
    assert stale_unpinned > ROUNDS // 2


def test_a_token_just_issued_works_at_once_though_the_replica_has_not_got_it(replica):
    UserFactory(username="grace")
    replica_caught_up()
    # API clients keep no cookies, so nothing pins their next request to the primary.
    issued = APIClient().post(
        reverse("api:auth-token"), {"username": "grace", "password": PASSWORD}
    )
    assert issued.status_code == 200

    me = APIClient(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}").get(reverse("api:me"))

    assert me.status_code == 200
    assert me.json()["username"] == "grace"
