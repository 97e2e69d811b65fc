"""Conversations in the API: comment objects with parent, reply and like counts and `liked`;
listing replies, replying, liking a comment; privacy across blocks and private accounts."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.models import Comment, CommentLike
from posts.services import comment_add, comment_like_add
from posts.tests.factories import PostFactory
from social.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def replies_url(comment):
    return reverse("api:comment-replies", args=[comment.pk])


def like_url(comment):
    return reverse("api:comment-like", args=[comment.pk])


@pytest.fixture
def thread():
    post = PostFactory()
    top = comment_add(author=UserFactory(username="bob"), post=post, text="Lovely")
    return post, top


def test_comments_of_a_post_are_top_level_with_reply_and_like_counts(thread):
    post, top = thread
    me = UserFactory()
    comment_add(author=UserFactory(), post=post, text="Hi", reply_to=top)
    comment_like_add(user=me, comment=top)

    (item,) = token_client(me).get(reverse("api:post-comments", args=[post.pk])).json()["results"]

    assert item["id"] == top.pk
    assert item["parent_id"] is None
    assert (item["reply_count"], item["like_count"], item["liked"]) == (1, 1, True)


def test_replying_through_the_api_lists_the_reply_under_its_comment(thread):
    _post, top = thread
    me = UserFactory()
    client = token_client(me)

    created = client.post(replies_url(top), {"text": "Thanks"}, format="json")
    nested = client.post(
        replies_url(Comment.objects.get(pk=created.json()["id"])), {"text": "Me too"}
    )
    listed = client.get(replies_url(top)).json()["results"]

    assert created.status_code == 201
    assert created.json()["parent_id"] == top.pk
    assert nested.json()["parent_id"] == top.pk
    assert nested.json()["text"] == f"@{me.username} Me too"
    assert [item["id"] for item in listed] == [created.json()["id"], nested.json()["id"]]


def test_a_post_comment_can_name_the_comment_it_replies_to(thread):
    post, top = thread

    response = token_client(UserFactory()).post(
        reverse("api:post-comments", args=[post.pk]), {"text": "Yes", "reply_to": top.pk}
    )

    assert response.status_code == 201
    assert response.json()["parent_id"] == top.pk


def test_an_empty_reply_is_a_400_naming_the_field(thread):
    _, top = thread

    response = token_client(UserFactory()).post(replies_url(top), {"text": ""})

    assert response.status_code == 400
    assert list(response.json()) == ["text"]
    assert Comment.objects.count() == 1


def test_liking_a_comment_answers_its_state_and_count(thread):
    _, top = thread
    client = token_client(UserFactory())

    liked = client.post(like_url(top))
    again = client.post(like_url(top))
    unliked = client.delete(like_url(top))

    assert liked.json() == again.json() == {"liked": True, "like_count": 1}
    assert unliked.json() == {"liked": False, "like_count": 0}


def test_one_comment_can_be_read_with_its_counts(thread):
    _, top = thread

    response = token_client().get(reverse("api:comment-detail", args=[top.pk]))

    assert response.json()["id"] == top.pk
    assert response.json()["reply_count"] == 0


@pytest.mark.parametrize("direction", ["I blocked them", "they blocked me"])
def test_a_comment_across_a_block_is_404_for_replies_and_likes(thread, direction):
    _, top = thread
    me = UserFactory()
    if direction == "I blocked them":
        BlockFactory(blocker=me, blocked=top.author)
    else:
        BlockFactory(blocker=top.author, blocked=me)
    client = token_client(me)

    answers = [
        client.get(replies_url(top)),
        client.post(replies_url(top), {"text": "Hi"}),
        client.post(like_url(top)),
        client.get(reverse("api:comment-detail", args=[top.pk])),
    ]

    assert [r.status_code for r in answers] == [404] * 4
    assert Comment.objects.count() == 1
    assert not CommentLike.objects.exists()


def test_replies_on_a_private_account_are_404_to_strangers():
    post = PostFactory(author__is_private=True)
    top = comment_add(author=post.author, post=post, text="Mine")

    assert token_client(UserFactory()).get(replies_url(top)).status_code == 404
    assert token_client().get(replies_url(top)).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_a_page_of_replies_costs_the_same_queries_whatever_its_length(
    thread, count, django_assert_num_queries
):
    post, top = thread
    for _ in range(count):
        comment_add(author=UserFactory(), post=post, text="Hi", reply_to=top)
    client = token_client(UserFactory())

    # TOKEN (user joined); the comment with its post; the comment's visibility; the replies
    # (authors joined, liked as EXISTS)
    with django_assert_num_queries(4):
        response = client.get(replies_url(top), {"page_size": 100})

    assert len(response.json()["results"]) == count


def test_the_schema_documents_replies_and_comment_likes():
    schema = token_client().get("/api/schema/", {"format": "json"}).json()

    assert "/api/v1/comments/{comment_id}/replies/" in schema["paths"]
    assert "/api/v1/comments/{comment_id}/like/" in schema["paths"]
    assert "/api/v1/notifications/grouped/" in schema["paths"]
    assert "/api/v1/notifications/settings/" in schema["paths"]
    fields = schema["components"]["schemas"]["Comment"]["properties"]
    assert {"parent_id", "reply_count", "like_count", "liked"} <= set(fields)
