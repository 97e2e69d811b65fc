"""OAuth scopes on the Mastodon routes: a token does what its scopes allow, nothing more
(one test per scope family)."""

import pytest

from accounts.tests.factories import UserFactory
from accounts.tests.oauth_helpers import oauth_client
from posts.models import Like, Post
from posts.tests.factories import PostFactory, photo_upload
from social.graph.models import Block, Follow

pytestmark = pytest.mark.django_db


def test_a_read_token_reads_but_cannot_favourite_post_or_follow(me):
    client = oauth_client(me, "read")
    post, other = PostFactory(), UserFactory()

    assert client.get("/api/v1/accounts/verify_credentials").status_code == 200
    assert client.get("/api/v1/timelines/home").status_code == 200
    assert client.get("/api/v1/notifications").status_code == 200
    assert client.post(f"/api/v1/statuses/{post.pk}/favourite").status_code == 403
    assert (
        client.post("/api/v2/media", {"file": photo_upload()}, format="multipart").status_code
        == 403
    )
    assert client.post(f"/api/v1/accounts/{other.pk}/follow").status_code == 403
    assert not Like.objects.exists() and not Follow.objects.exists()
    assert "error" in client.post(f"/api/v1/statuses/{post.pk}/favourite").json()


def test_write_favourites_favourites_and_nothing_else(me):
    client = oauth_client(me, "write:favourites")
    post = PostFactory()

    assert client.post(f"/api/v1/statuses/{post.pk}/favourite").status_code == 200
    assert client.post(f"/api/v1/statuses/{post.pk}/bookmark").status_code == 403
    assert client.get("/api/v1/timelines/home").status_code == 403
    assert Like.objects.count() == 1


def test_write_posts_with_media(me, committed):
    client = oauth_client(me, "write")
    with committed():
        media = client.post("/api/v2/media", {"file": photo_upload()}, format="multipart").json()
        response = client.post("/api/v1/statuses", {"status": "hi", "media_ids[]": [media["id"]]})

    assert response.status_code == 200
    assert Post.objects.filter(author=me).exists()
    assert client.get("/api/v1/timelines/home").status_code == 403


def test_follow_follows_blocks_and_mutes_but_cannot_post(me):
    client = oauth_client(me, "follow")
    a, b = UserFactory(), UserFactory()

    assert client.post(f"/api/v1/accounts/{a.pk}/follow").status_code == 200
    assert client.post(f"/api/v1/accounts/{b.pk}/block").status_code == 200
    assert client.post(f"/api/v1/accounts/{a.pk}/mute").status_code == 200
    assert client.get("/api/v1/accounts/relationships?id[]=1").status_code == 200
    assert client.get("/api/v1/blocks").status_code == 200
    assert client.post("/api/v1/statuses", {"status": "x"}).status_code == 403
    assert Follow.objects.filter(follower=me).exists() and Block.objects.filter(blocker=me).exists()


def test_push_alone_can_do_nothing_here(me):
    client = oauth_client(me, "push")

    assert client.get("/api/v1/accounts/verify_credentials").status_code == 403
    assert client.get("/api/v1/timelines/home").status_code == 403


def test_an_app_token_reads_the_instance_and_no_person(me):
    client = oauth_client(None, "read")

    assert client.get("/api/v1/instance").status_code == 200
    assert client.get("/api/v2/instance").status_code == 200
    assert client.get("/api/v1/custom_emojis").status_code == 200
    assert client.get("/api/v1/timelines/home").status_code in (401, 403)


def test_a_revoked_or_made_up_token_is_401():
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = client.get("/api/v1/accounts/verify_credentials")

    assert response.status_code == 401
    assert "error" in response.json()
