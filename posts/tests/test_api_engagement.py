"""Likes and saves through the API: the toggles, who liked a post, and my saved posts."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client as api
from posts.models import Like, Post, SavedPost
from posts.services import like_add, save_add
from posts.tests.factories import PostFactory
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

SAVED = reverse("api:saved")


def like_url(post):
    return reverse("api:post-like", args=[post.pk])


def save_url(post):
    return reverse("api:post-save", args=[post.pk])


def likers_url(post):
    return reverse("api:post-likers", args=[post.pk])


def usernames(response):
    return [item["username"] for item in response.json()["results"]]


def private_post_with_readers():
    """A private account's post, and a follower, a stranger and someone it blocked."""
    owner = UserFactory(private=True)
    post = PostFactory(author=owner)
    readers = {
        "owner": owner,
        "follower": UserFactory(),
        "stranger": UserFactory(),
        "blocked": UserFactory(),
    }
    FollowFactory(follower=readers["follower"], following=owner)
    FollowFactory(follower=readers["blocked"], following=owner)
    BlockFactory(blocker=owner, blocked=readers["blocked"])
    return post, readers


# --- Like --------------------------------------------------------------------------------------


def test_liking_answers_with_the_new_state_and_count_and_notifies_the_author(committed):
    post = PostFactory()
    reader = UserFactory()

    with committed():
        response = api(reader).post(like_url(post))

    assert response.status_code == 200
    assert response.json() == {"liked": True, "like_count": 1}
    assert Like.objects.filter(user=reader, post=post).exists()
    assert Notification.objects.filter(
        recipient=post.author, actor=reader, kind=Notification.Kind.LIKE
    ).exists()


def test_liking_twice_counts_once():
    post = PostFactory()
    client = api(UserFactory())

    first = client.post(like_url(post)).json()
    second = client.post(like_url(post)).json()

    assert first == second == {"liked": True, "like_count": 1}
    assert Like.objects.count() == 1


def test_unliking_answers_with_the_new_state_and_unliking_again_changes_nothing():
    post = PostFactory()
    reader = UserFactory()
    like_add(user=reader, post=post)
    other = UserFactory()
    like_add(user=other, post=post)

    first = api(reader).delete(like_url(post))
    second = api(reader).delete(like_url(post))

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"liked": False, "like_count": 1}
    assert list(Like.objects.values_list("user", flat=True)) == [other.pk]


def test_a_like_body_with_read_only_fields_changes_nothing_but_the_like():
    post = PostFactory()

    response = api(UserFactory()).post(
        like_url(post), {"like_count": 99, "liked": False, "id": 5}, format="json"
    )

    assert response.json() == {"liked": True, "like_count": 1}
    post.refresh_from_db()
    assert post.like_count == 1


@pytest.mark.parametrize(
    ("reader", "status"),
    [("owner", 200), ("follower", 200), ("stranger", 404), ("blocked", 404), ("anonymous", 401)],
)
@pytest.mark.parametrize("method", ["post", "delete"])
def test_who_may_like_and_unlike_a_private_post(reader, status, method):
    post, readers = private_post_with_readers()

    response = getattr(api(readers.get(reader)), method)(like_url(post))

    assert response.status_code == status
    post.refresh_from_db()
    assert post.like_count == (1 if (status, method) == (200, "post") else 0)


def test_liking_an_unknown_or_removed_post_is_not_found():
    removed = PostFactory(removed_at=timezone.now())
    client = api(removed.author)

    assert client.post(reverse("api:post-like", args=[987654])).status_code == 404
    assert client.post(like_url(removed)).status_code == 404
    assert not Like.objects.exists()


# --- Save --------------------------------------------------------------------------------------


def test_saving_answers_with_the_new_state_and_is_idempotent():
    post = PostFactory()
    like_add(user=UserFactory(), post=post)
    client = api(UserFactory())

    first = client.post(save_url(post))
    second = client.post(save_url(post))

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"saved": True, "like_count": 1}
    assert SavedPost.objects.count() == 1


def test_unsaving_answers_with_the_new_state_and_is_idempotent():
    post = PostFactory()
    reader = UserFactory()
    save_add(user=reader, post=post)

    first = api(reader).delete(save_url(post))
    second = api(reader).delete(save_url(post))

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"saved": False, "like_count": 0}
    assert not SavedPost.objects.exists()


@pytest.mark.parametrize(
    ("reader", "status"),
    [("owner", 200), ("follower", 200), ("stranger", 404), ("blocked", 404), ("anonymous", 401)],
)
def test_who_may_save_a_private_post(reader, status):
    post, readers = private_post_with_readers()

    response = api(readers.get(reader)).post(save_url(post))

    assert response.status_code == status
    assert SavedPost.objects.filter(post=post).exists() == (status == 200)


# --- Likers ------------------------------------------------------------------------------------


def test_likers_come_latest_first_with_how_the_caller_relates_to_them():
    post = PostFactory()
    reader = UserFactory()
    first = UserFactory(username="first", display_name="First")
    second = UserFactory(username="second")
    like_add(user=first, post=post)
    like_add(user=second, post=post)
    FollowFactory(follower=reader, following=first)

    response = api(reader).get(likers_url(post))

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    assert body["results"] == [
        {
            "username": "second",
            "display_name": second.display_name,
            "avatar_url": None,
            "is_following": False,
            "follow_requested": False,
            "is_followed_by": False,
        },
        {
            "username": "first",
            "display_name": "First",
            "avatar_url": None,
            "is_following": True,
            "follow_requested": False,
            "is_followed_by": False,
        },
    ]


def test_likers_leave_out_accounts_blocked_either_way_and_suspended_ones():
    post = PostFactory()
    reader = UserFactory()
    blocked, blocker, suspended, shown = UserFactory.create_batch(4)
    for user in (blocked, blocker, suspended, shown):
        like_add(user=user, post=post)
    BlockFactory(blocker=reader, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=reader)
    type(suspended).objects.filter(pk=suspended.pk).update(suspended_at=timezone.now())

    assert usernames(api(reader).get(likers_url(post))) == [shown.username]


@pytest.mark.parametrize(
    ("reader", "status"),
    [("owner", 200), ("follower", 200), ("stranger", 404), ("blocked", 404), ("anonymous", 404)],
)
def test_who_may_see_the_likers_of_a_private_post(reader, status):
    post, readers = private_post_with_readers()
    like_add(user=readers["follower"], post=post)

    response = api(readers.get(reader)).get(likers_url(post))

    assert response.status_code == status
    if status == 200:
        assert usernames(response) == [readers["follower"].username]


def test_anyone_may_see_the_likers_of_a_public_post():
    post = PostFactory()
    liker = UserFactory()
    like_add(user=liker, post=post)

    assert usernames(api().get(likers_url(post))) == [liker.username]


def test_likers_of_an_unknown_post_are_not_found():
    assert api().get(reverse("api:post-likers", args=[987654])).status_code == 404


# --- Saved -------------------------------------------------------------------------------------


def test_saved_posts_come_latest_save_first_as_full_posts():
    reader = UserFactory()
    older, newer = PostFactory(), PostFactory()
    save_add(user=reader, post=older)
    save_add(user=reader, post=newer)
    PostFactory()  # not saved

    response = api(reader).get(SAVED)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [post["id"] for post in results] == [newer.pk, older.pk]
    assert all(post["saved"] is True for post in results)
    assert results[0]["images"][0]["url"].startswith("http://testserver/")


def test_saved_posts_drop_a_post_that_became_hidden():
    reader = UserFactory()
    post = PostFactory()
    save_add(user=reader, post=post)
    BlockFactory(blocker=post.author, blocked=reader)

    assert api(reader).get(SAVED).json() == {"next": None, "results": []}


def test_saved_posts_need_an_account():
    assert api().get(SAVED).status_code == 401


def test_saved_posts_are_private_to_each_person():
    post = PostFactory()
    save_add(user=UserFactory(), post=post)

    assert api(UserFactory()).get(SAVED).json()["results"] == []


def test_a_post_deleted_after_saving_leaves_the_saved_list():
    reader = UserFactory()
    post = PostFactory()
    save_add(user=reader, post=post)
    Post.objects.filter(pk=post.pk).delete()

    assert api(reader).get(SAVED).json()["results"] == []


def test_a_browser_session_must_send_its_csrf_token_to_like():
    post = PostFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(UserFactory())

    response = client.post(like_url(post))

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Like.objects.exists()
