"""Privacy from the outside: what Shutter's own pages and API hide, every Mastodon route hides
too (a private account's posts from strangers, blocks both ways, suspended accounts, removed
posts), by the same selectors and services."""

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.tests.oauth_helpers import oauth_token
from posts.models import Comment, Like, Post, SavedPost
from posts.services.text import post_hashtags_sync
from posts.tests.factories import CommentFactory, PostFactory
from social.mastodon.entities import status_id_of_comment
from social.tests.factories import BlockFactory
from social.tests.mastodon.helpers import NOT_FOUND, client_for, follow

pytestmark = pytest.mark.django_db


def hidden_case(case):
    """(viewer client, hidden post, the author) for each way a post is hidden."""
    author = UserFactory()
    viewer = UserFactory()
    post = PostFactory(author=author, caption="#hushhush my photo")
    post_hashtags_sync(post=post)
    comment = CommentFactory(post=post)
    if case == "private":
        author.is_private = True
        author.save()
    elif case == "blocked_by_author":
        BlockFactory(blocker=author, blocked=viewer)
    elif case == "blocking_author":
        BlockFactory(blocker=viewer, blocked=author)
    elif case == "suspended":
        author.suspended_at = timezone.now()
        author.save()
    elif case == "removed":
        Post.objects.filter(pk=post.pk).update(removed_at=timezone.now())
    return client_for(viewer), post, comment, author


CASES = ["private", "blocked_by_author", "blocking_author", "suspended", "removed"]


@pytest.mark.parametrize("case", CASES)
def test_a_hidden_post_is_not_found_on_every_status_route(case):
    client, post, comment, _ = hidden_case(case)
    comment_id = status_id_of_comment(comment.pk)

    for path in [
        f"/api/v1/statuses/{post.pk}",
        f"/api/v1/statuses/{post.pk}/context",
        f"/api/v1/statuses/{post.pk}/favourited_by",
        f"/api/v1/statuses/{post.pk}/reblogged_by",
        f"/api/v1/statuses/{post.pk}/source",
        f"/api/v1/statuses/{comment_id}",
        f"/api/v1/statuses/{comment_id}/context",
    ]:
        response = client.get(path)
        assert response.status_code == 404, (case, path)
        assert response.json() == NOT_FOUND
    for action in ("favourite", "bookmark"):
        assert client.post(f"/api/v1/statuses/{post.pk}/{action}").status_code == 404
    reply = client.post("/api/v1/statuses", {"status": "hi", "in_reply_to_id": str(post.pk)})
    assert reply.status_code == 404
    assert not Like.objects.exists() and not SavedPost.objects.exists()
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("case", CASES)
def test_a_hidden_post_is_in_no_list(case):
    client, post, _, author = hidden_case(case)

    for path in [
        f"/api/v1/accounts/{author.pk}/statuses",
        "/api/v1/timelines/public",
        "/api/v1/timelines/tag/hushhush",
        "/api/v1/timelines/home",
        "/api/v1/favourites",
        "/api/v1/bookmarks",
    ]:
        response = client.get(path)
        assert response.status_code in (200, 404), (case, path)
        if response.status_code == 200:
            assert all(s["id"] != str(post.pk) for s in response.json()), (case, path)
    assert client.get("/api/v2/search?q=hushhush").json()["hashtags"] == []


def test_a_follower_who_was_there_before_sees_what_a_stranger_does_not():
    owner = UserFactory(is_private=True)
    post = PostFactory(author=owner)
    friend_user = UserFactory()
    follow(friend_user, owner)
    friend, stranger = client_for(friend_user), client_for(UserFactory())

    assert friend.get(f"/api/v1/statuses/{post.pk}").status_code == 200
    assert stranger.get(f"/api/v1/statuses/{post.pk}").status_code == 404
    assert [s["id"] for s in friend.get("/api/v1/timelines/home").json()] == [str(post.pk)]
    assert client_for().get(f"/api/v1/statuses/{post.pk}").status_code == 404


def test_saved_and_liked_posts_leave_the_lists_when_their_author_goes_private(api, me):
    post = PostFactory()
    api.post(f"/api/v1/statuses/{post.pk}/favourite")
    api.post(f"/api/v1/statuses/{post.pk}/bookmark")
    assert len(api.get("/api/v1/favourites").json()) == 1

    post.author.is_private = True
    post.author.save()

    assert api.get("/api/v1/favourites").json() == []
    assert api.get("/api/v1/bookmarks").json() == []


def test_a_private_accounts_media_files_stay_private(api, committed, client):
    owner = UserFactory(is_private=True)
    post = PostFactory(author=owner)
    path = post.images.get().image.url

    assert client.get(path).status_code == 404
    follower = UserFactory()
    follow(follower, owner)
    data = client_for(follower).get(f"/api/v1/statuses/{post.pk}").json()
    assert data["media_attachments"][0]["url"].endswith(path)
    client.force_login(follower)
    assert client.get(path).status_code == 200


def test_an_app_loads_a_private_photo_with_its_bearer_token(client):
    owner = UserFactory(is_private=True)
    path = PostFactory(author=owner).images.get().image.url
    follower = UserFactory()
    follow(follower, owner)

    allowed = client.get(path, HTTP_AUTHORIZATION=f"Bearer {oauth_token(follower, 'read')}")
    stranger = client.get(path, HTTP_AUTHORIZATION=f"Bearer {oauth_token(UserFactory(), 'read')}")
    bad = client.get(path, HTTP_AUTHORIZATION="Bearer nope")

    assert allowed.status_code == 200
    assert stranger.status_code == 404 and bad.status_code == 404
