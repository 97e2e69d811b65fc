"""GET and POST /api/v1/posts/<id>/comments/ and DELETE /api/v1/comments/<id>/."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client as api
from posts.models import Comment
from posts.services import comment_add
from posts.tests.factories import CommentFactory, PostFactory
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db


def comments_url(post):
    return reverse("api:post-comments", args=[post.pk])


def comment_url(comment):
    return reverse("api:comment-detail", args=[comment.pk])


def texts(response):
    return [item["text"] for item in response.json()["results"]]


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
    BlockFactory(blocker=readers["blocked"], blocked=owner)
    return post, readers


# --- List --------------------------------------------------------------------------------------


def test_comments_come_oldest_first_with_their_authors():
    post = PostFactory()
    alice = UserFactory(username="alice", display_name="Alice")
    comment_add(author=alice, post=post, text="First!")
    comment_add(author=UserFactory(), post=post, text="Second")

    response = api().get(comments_url(post))

    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None
    assert [c["text"] for c in body["results"]] == ["First!", "Second"]
    first = body["results"][0]
    assert first["author"] == {"username": "alice", "display_name": "Alice", "avatar_url": None}
    assert first["post_id"] == post.pk
    assert first["created_at"]


def test_each_comment_says_whether_the_caller_may_delete_it():
    post = PostFactory()
    mine = UserFactory()
    comment_add(author=mine, post=post, text="mine")
    comment_add(author=UserFactory(), post=post, text="theirs")

    def can_delete(user):
        results = api(user).get(comments_url(post)).json()["results"]
        return [c["can_delete"] for c in results]

    assert can_delete(mine) == [True, False]
    assert can_delete(post.author) == [True, True]
    assert can_delete(UserFactory()) == [False, False]
    assert can_delete(None) == [False, False]


def test_comments_leave_out_removed_ones_and_those_across_a_block():
    post = PostFactory()
    reader = UserFactory()
    blocked = UserFactory()
    BlockFactory(blocker=reader, blocked=blocked)
    CommentFactory(post=post, text="blocked", author=blocked)
    CommentFactory(post=post, text="removed", removed_at=timezone.now())
    CommentFactory(post=post, text="shown")

    assert texts(api(reader).get(comments_url(post))) == ["shown"]


@pytest.mark.parametrize(
    ("reader", "status"),
    [("owner", 200), ("follower", 200), ("stranger", 404), ("blocked", 404), ("anonymous", 404)],
)
def test_who_may_read_the_comments_of_a_private_post(reader, status):
    post, readers = private_post_with_readers()
    CommentFactory(post=post, author=readers["owner"], text="hi")

    response = api(readers.get(reader)).get(comments_url(post))

    assert response.status_code == status
    if status == 200:
        assert texts(response) == ["hi"]


def test_comments_of_an_unknown_post_are_not_found():
    assert api().get(reverse("api:post-comments", args=[987654])).status_code == 404


# --- Add ---------------------------------------------------------------------------------------


def test_commenting_answers_201_with_the_comment_and_notifies_the_author(committed):
    post = PostFactory()
    reader = UserFactory(username="reader")

    with committed():
        response = api(reader).post(comments_url(post), {"text": "  Lovely light  "}, format="json")

    assert response.status_code == 201
    body = response.json()
    comment = Comment.objects.get()
    assert body["id"] == comment.pk
    assert body["text"] == "Lovely light"
    assert body["author"]["username"] == "reader"
    assert body["can_delete"] is True
    post.refresh_from_db()
    assert post.comment_count == 1
    assert Notification.objects.filter(
        recipient=post.author, actor=reader, kind=Notification.Kind.COMMENT
    ).exists()


def test_commenting_ignores_the_read_only_fields_a_client_sends():
    post, other_post = PostFactory(), PostFactory()
    reader, someone_else = UserFactory(), UserFactory()

    response = api(reader).post(
        comments_url(post),
        {
            "text": "ok",
            "id": 999,
            "author": someone_else.username,
            "post_id": other_post.pk,
            "can_delete": False,
        },
        format="json",
    )

    assert response.status_code == 201
    comment = Comment.objects.get()
    assert (comment.author, comment.post) == (reader, post)
    assert response.json()["id"] == comment.pk != 999
    assert response.json()["post_id"] == post.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Write something to comment."),
        ({"text": "   "}, "Write something to comment."),
        ({"text": "x" * 2201}, "A comment can be at most 2200 characters; this one has 2201."),
        ({}, "This field is required."),
        ({"text": None}, "This field may not be null."),
    ],
    ids=["empty", "blank", "overlong", "missing", "null"],
)
def test_an_invalid_comment_names_the_text_field_and_stores_nothing(data, message):
    post = PostFactory()

    response = api(UserFactory()).post(comments_url(post), data, format="json")

    assert response.status_code == 400
    assert response.json() == {"text": [message]}
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("reader", "status"),
    [("owner", 201), ("follower", 201), ("stranger", 404), ("blocked", 404), ("anonymous", 401)],
)
def test_who_may_comment_on_a_private_post(reader, status):
    post, readers = private_post_with_readers()

    response = api(readers.get(reader)).post(comments_url(post), {"text": "hi"}, format="json")

    assert response.status_code == status
    assert Comment.objects.exists() == (status == 201)


def test_commenting_is_throttled_but_reading_comments_is_not(tight_rate):
    tight_rate("comment", "2/hour")
    post = PostFactory()
    client = api(UserFactory())
    writes = [client.post(comments_url(post), {"text": "hi"}).status_code for _ in range(3)]
    reads = [client.get(comments_url(post)).status_code for _ in range(3)]
    throttled = client.post(comments_url(post), {"text": "hi"})

    assert writes == [201, 201, 429]
    assert reads == [200, 200, 200]
    assert int(throttled["Retry-After"]) > 0
    assert Comment.objects.count() == 2


# --- Delete ------------------------------------------------------------------------------------


def test_the_comments_author_deletes_it_and_the_count_follows():
    post = PostFactory()
    reader = UserFactory()
    comment = comment_add(author=reader, post=post, text="oops")

    response = api(reader).delete(comment_url(comment))

    assert response.status_code == 204
    assert not Comment.objects.exists()
    post.refresh_from_db()
    assert post.comment_count == 0


def test_the_posts_author_deletes_someone_elses_comment():
    post = PostFactory()
    comment = comment_add(author=UserFactory(), post=post, text="spam")

    assert api(post.author).delete(comment_url(comment)).status_code == 204
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("reader", "status"),
    [("follower", 403), ("stranger", 404), ("blocked", 404), ("anonymous", 401)],
)
def test_nobody_else_may_delete_a_comment(reader, status):
    post, readers = private_post_with_readers()
    readers["commenter"] = UserFactory()
    FollowFactory(follower=readers["commenter"], following=post.author)
    comment = comment_add(author=readers["commenter"], post=post, text="mine")

    response = api(readers.get(reader)).delete(comment_url(comment))

    assert response.status_code == status
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_an_unknown_comment_is_not_found():
    response = api(UserFactory()).delete(reverse("api:comment-detail", args=[987654]))

    assert response.status_code == 404
