"""Every list that shows a post, comment or account, by its page and by the API, as readers
see it after something changed about one account, A: A went private, a block came either
way, A was suspended, A's post or comment was removed.

A has a tagged post (saved by each signed-in reader), and on a host's public post a comment
and a like; A follows the host. Changes go through the pages and the API where a person
makes them, and through the database where moderators do (their admin is tested elsewhere).

Readers (the columns of each expectation string): F an accepted follower of A, S a signed-in
stranger, N nobody signed in. 'Y' shown, '-' hidden (absent, an empty list, or a 404), '.'
does not apply (visitors save nothing).
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.models import Comment, Post
from posts.services import comment_add, like_add, save_add
from posts.services.text import post_hashtags_sync
from posts.tests.factories import PostFactory
from social.graph.services import follow_create

pytestmark = pytest.mark.django_db

READERS = ("follower", "stranger", "anonymous")
LISTS = (
    "explore",
    "tag",
    "profile grid",
    "post",
    "saved",
    "comments",
    "likers",
    "followers",
    "search",
)
PUBLIC = dict.fromkeys(LISTS, "YYY") | {"saved": "YY."}
HIDDEN_FROM_SIGNED_IN = dict.fromkeys(LISTS, "--Y") | {"saved": "--."}
EXPECTED = {
    "public": PUBLIC,
    # Only A's posts go; A's name, comments and likes elsewhere stay public.
    "private": PUBLIC
    | {"explore": "---", "tag": "Y--", "profile grid": "Y--", "post": "Y--", "saved": "Y-."},
    "author blocks readers": HIDDEN_FROM_SIGNED_IN,
    "readers block author": HIDDEN_FROM_SIGNED_IN,
    "author suspended": dict.fromkeys(LISTS, "---") | {"saved": "--."},
    "post removed": PUBLIC
    | {"explore": "---", "tag": "---", "profile grid": "---", "post": "---", "saved": "--."},
    "comment removed": PUBLIC | {"comments": "---"},
}


@pytest.fixture
def world(committed):
    author = UserFactory(username="matrixauthor")
    host = UserFactory(username="host")
    host_post = PostFactory(author=host)
    post = PostFactory(author=author, caption="Morning #matrixtag")
    post_hashtags_sync(post=post)
    readers = {"follower": UserFactory(), "stranger": UserFactory(), "anonymous": None}
    with committed():
        follow_create(follower=readers["follower"], following=author)
        follow_create(follower=author, following=host)
        comment = comment_add(author=author, post=host_post, text="Nice one")
        like_add(user=author, post=host_post)
        for reader in (readers["follower"], readers["stranger"]):
            save_add(user=reader, post=post)
    return {
        "author": author,
        "post": post,
        "host_post": host_post,
        "comment": comment,
        "readers": readers,
    }


def _signed_in_readers(world):
    return [world["readers"]["follower"], world["readers"]["stranger"]]


def _apply(case, world):
    author = world["author"]
    if case == "private":
        response = token_client(author).patch(reverse("api:me"), {"is_private": True})
        assert response.status_code == 200
    elif case == "author blocks readers":
        client = Client()
        client.force_login(author)
        for reader in _signed_in_readers(world):
            assert client.post(reverse("social:block", args=[reader.username])).status_code == 302
    elif case == "readers block author":
        for reader in _signed_in_readers(world):
            response = token_client(reader).post(reverse("api:user-block", args=[author.username]))
            assert response.status_code in (200, 201)
    elif case == "author suspended":
        User.objects.filter(pk=author.pk).update(suspended_at=timezone.now())
    elif case == "post removed":
        Post.objects.filter(pk=world["post"].pk).update(removed_at=timezone.now())
    elif case == "comment removed":
        Comment.objects.filter(pk=world["comment"].pk).update(removed_at=timezone.now())
    else:
        assert case == "public"


def _ids(response, key="id"):
    if response.status_code != 200:
        return set()
    body = response.json()
    items = body["results"] if "results" in body else body["users"]
    return {item[key] for item in items}


def _text(response):
    return response.text if response.status_code == 200 else ""


def _shown(list_name, world, reader):
    """Whether `reader` finds A's content in `list_name`, as (by the page, by the API)."""
    page, api = Client(), token_client(reader)
    if reader is not None:
        page.force_login(reader)
    author, post, host_post = world["author"], world["post"], world["host_post"]
    name, tile = author.username, f'href="/p/{post.pk}/"'
    if list_name == "explore":
        return tile in _text(page.get("/explore/")), post.pk in _ids(api.get("/api/v1/explore/"))
    if list_name == "tag":
        return (
            tile in _text(page.get("/tags/matrixtag/")),
            post.pk in _ids(api.get("/api/v1/tags/matrixtag/posts/")),
        )
    if list_name == "profile grid":
        return (
            tile in _text(page.get(f"/u/{name}/")),
            post.pk in _ids(api.get(f"/api/v1/users/{name}/posts/")),
        )
    if list_name == "post":
        return (
            page.get(f"/p/{post.pk}/").status_code == 200,
            api.get(f"/api/v1/posts/{post.pk}/").status_code == 200,
        )
    if list_name == "saved":
        return tile in _text(page.get("/saved/")), post.pk in _ids(api.get("/api/v1/saved/"))
    if list_name == "comments":
        comment = world["comment"]
        return (
            f'id="comment-{comment.pk}"' in _text(page.get(f"/p/{host_post.pk}/")),
            comment.pk in _ids(api.get(f"/api/v1/posts/{host_post.pk}/comments/")),
        )
    if list_name == "likers":
        # No page lists likers; the post page shows only their number.
        likers = _ids(api.get(f"/api/v1/posts/{host_post.pk}/likes/"), key="username")
        return name in likers, name in likers
    if list_name == "followers":
        return (
            f'href="/u/{name}/"' in _text(page.get("/u/host/followers/")),
            name in _ids(api.get("/api/v1/users/host/followers/"), key="username"),
        )
    if list_name == "search":
        return (
            f'href="/u/{name}/"' in _text(page.get("/search/", {"q": "matrix"})),
            name in _ids(api.get("/api/v1/search/", {"q": "matrix"}), key="username"),
        )
    raise AssertionError(f"no probe for {list_name}")


@pytest.mark.parametrize("reader_name", READERS)
@pytest.mark.parametrize("case", EXPECTED)
def test_what_each_reader_finds_of_an_account_in_every_list_by_page_and_api(
    world, case, reader_name
):
    _apply(case, world)
    column = READERS.index(reader_name)
    reader = world["readers"][reader_name]
    expected, seen = {}, {}
    for list_name, marks in EXPECTED[case].items():
        if marks[column] == ".":
            continue
        by_page, by_api = _shown(list_name, world, reader)
        expected[f"{list_name} page"] = expected[f"{list_name} api"] = marks[column] == "Y"
        seen[f"{list_name} page"], seen[f"{list_name} api"] = by_page, by_api

    assert seen == expected


# --- A block between a post's author and someone who liked or commented on it ---------------
# As the post's author no longer sees them, nobody sees them on that post: the likes and
# comments stay stored, so undoing the block brings them back.


@pytest.fixture
def engaged(committed):
    """A public post with a comment and a like by `fan`, and a third person, `reader`."""
    owner, fan = UserFactory(username="owner"), UserFactory(username="fan")
    post = PostFactory(author=owner)
    with committed():
        comment = comment_add(author=fan, post=post, text="First!")
        like_add(user=fan, post=post)
    return {"owner": owner, "fan": fan, "post": post, "comment": comment}


def _fan_on_post(engaged, reader):
    """Where `reader` finds the fan's comment and like on the post, by page and API."""
    post, comment = engaged["post"], engaged["comment"]
    page, api = Client(), token_client(reader)
    if reader is not None:
        page.force_login(reader)
    return {
        "comment page": f'id="comment-{comment.pk}"' in page.get(f"/p/{post.pk}/").text,
        "comment api": comment.pk in _ids(api.get(f"/api/v1/posts/{post.pk}/comments/")),
        "like api": "fan" in _ids(api.get(f"/api/v1/posts/{post.pk}/likes/"), key="username"),
    }


def _block(blocker, blocked):
    response = token_client(blocker).post(reverse("api:user-block", args=[blocked.username]))
    assert response.status_code in (200, 201)


@pytest.mark.parametrize("reader", ["third person", "anonymous"])
@pytest.mark.parametrize("direction", ["owner blocks fan", "fan blocks owner"])
def test_likes_and_comments_across_a_block_with_the_post_s_author_are_hidden_from_everyone(
    engaged, direction, reader
):
    viewer = UserFactory() if reader == "third person" else None
    assert set(_fan_on_post(engaged, viewer).values()) == {True}

    if direction == "owner blocks fan":
        _block(engaged["owner"], engaged["fan"])
    else:
        _block(engaged["fan"], engaged["owner"])

    assert set(_fan_on_post(engaged, viewer).values()) == {False}


def test_likes_and_comments_come_back_when_the_block_is_undone(engaged):
    viewer = UserFactory()
    _block(engaged["owner"], engaged["fan"])

    response = token_client(engaged["owner"]).delete(reverse("api:user-block", args=["fan"]))

    assert response.status_code in (200, 204)
    assert set(_fan_on_post(engaged, viewer).values()) == {True}
