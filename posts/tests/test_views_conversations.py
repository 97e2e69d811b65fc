"""Conversations on the pages: replies under their comment (a few, then "View N more replies"
that works without scripts), Reply and Like on each comment, and privacy across blocks."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.models import Comment, CommentLike
from posts.services import comment_add, comment_like_add
from posts.tests.factories import PostFactory
from social.moderation.services import comment_remove
from social.tests.factories import BlockFactory
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def comment_ids(html):
    return [int(pk) for pk in re.findall(r'id="comment-(\d+)"', html)]


@pytest.fixture
def thread():
    """A public post with a comment and 5 replies, oldest first."""
    post = PostFactory()
    top = comment_add(author=UserFactory(username="bob"), post=post, text="Lovely")
    replies = [
        comment_add(author=UserFactory(), post=post, text=f"Reply {n}", reply_to=top)
        for n in range(5)
    ]
    return post, top, replies


def test_the_post_page_shows_the_first_replies_under_their_comment_and_a_link_to_more(thread):
    post, top, replies = thread

    html = Client().get(reverse("posts:post-detail", args=[post.pk])).text

    assert comment_ids(html) == [top.pk, replies[0].pk, replies[1].pk]
    assert "View 3 more replies" in html
    assert f'data-reply-list="{top.pk}"' in html


def test_view_more_replies_opens_the_rest_of_the_thread_without_scripts(thread):
    post, top, replies = thread
    page = Client().get(reverse("posts:post-detail", args=[post.pk])).text
    more = re.search(r'href="([^"]+)"[^>]*data-load-more="replies-', page).group(1)

    html = Client().get(more.replace("&amp;", "&")).text

    shown = comment_ids(html)
    assert shown[0] == top.pk  # the comment they answer, at the top
    assert shown[1:] == [r.pk for r in replies[2:]]
    assert f'data-infinite="replies-{top.pk}"' in html


def test_reply_page_posts_a_reply_into_the_thread_without_scripts(thread):
    post, top, _ = thread
    me = UserFactory()
    client = client_for(me)
    url = reverse("posts:comment-reply", args=[top.pk])

    form = client.get(url)
    response = client.post(url, {"text": "Thanks"})

    assert form.status_code == 200
    assert 'name="text"' in form.text
    reply = Comment.objects.get(author=me)
    assert reply.parent == top
    assert response.status_code == 302
    assert response["Location"] == f"/p/{post.pk}/#comment-{reply.pk}"


def test_an_empty_reply_comes_back_with_the_reason(thread):
    _, top, _ = thread
    response = client_for(UserFactory()).post(
        reverse("posts:comment-reply", args=[top.pk]), {"text": "  "}
    )

    assert response.status_code == 400
    assert "Write something to comment." in response.text


def test_reply_for_scripts_answers_the_new_reply_as_html():
    post = PostFactory()
    top = comment_add(author=UserFactory(), post=post, text="Lovely")

    response = client_for(UserFactory()).post(
        reverse("posts:comment-reply", args=[top.pk]),
        {"text": "Thanks"},
        headers={"accept": "application/json"},
    )

    data = response.json()
    assert data["parent_id"] == top.pk
    assert data["comment_count"] == 2
    assert "comment--reply" in data["html"]


def test_like_button_on_a_comment_likes_and_unlikes_it(thread):
    post, top, _ = thread
    me = UserFactory()
    client = client_for(me)

    liked = client.post(reverse("posts:comment-like", args=[top.pk]))
    page = client.get(reverse("posts:post-detail", args=[post.pk])).text
    json = client.post(
        reverse("posts:comment-unlike", args=[top.pk]), headers={"accept": "application/json"}
    ).json()

    assert liked.status_code == 302
    assert f'action="/comments/{top.pk}/unlike/"' in page
    assert "1 like" in page
    assert json == {"liked": False, "like_count": 0}
    assert not CommentLike.objects.exists()


def test_every_comment_has_reply_and_like_for_members_only(thread):
    post, top, _ = thread
    url = reverse("posts:post-detail", args=[post.pk])

    visitor = Client().get(url).text
    member = client_for(UserFactory()).get(url).text

    assert f'href="/comments/{top.pk}/reply/"' not in visitor
    assert f'href="/comments/{top.pk}/reply/"' in member
    assert f'action="/comments/{top.pk}/like/"' in member


def test_a_reply_by_someone_i_blocked_is_not_shown_nor_its_thread_page(thread):
    post, _top, replies = thread
    me = UserFactory()
    BlockFactory(blocker=me, blocked=replies[0].author)
    client = client_for(me)

    html = client.get(reverse("posts:post-detail", args=[post.pk])).text
    thread_page = client.get(reverse("posts:comment-replies", args=[replies[0].pk]))

    assert replies[0].pk not in comment_ids(html)
    assert thread_page.status_code == 404


@pytest.mark.parametrize("name", ["comment-replies", "comment-reply", "comment-like"])
def test_conversations_on_a_private_account_are_hidden_from_strangers(name):
    post = PostFactory(author__is_private=True)
    top = comment_add(author=post.author, post=post, text="Mine")
    stranger = client_for(UserFactory())

    response = (
        stranger.post(reverse(f"posts:{name}", args=[top.pk]), {"text": "Hi"})
        if name != "comment-replies"
        else stranger.get(reverse(f"posts:{name}", args=[top.pk]))
    )

    assert response.status_code == 404
    assert Comment.objects.count() == 1
    assert not CommentLike.objects.exists()


@pytest.mark.parametrize("count", [2, 8])
def test_the_thread_page_costs_the_same_queries_whatever_its_length(
    count, django_assert_num_queries
):
    post = PostFactory()
    top = comment_add(author=UserFactory(), post=post, text="Hi")
    for _ in range(count):
        comment_like_add(user=UserFactory(), comment=top)
        comment_add(author=UserFactory(), post=post, text="Hello", reply_to=top)
    client = client_for(UserFactory())

    # session user; the comment (author, post and its author, liked); the comment again for
    # the replies' check; the replies (authors, liked); the unread badge
    with django_assert_num_queries(5):
        response = client.get(reverse("posts:comment-replies", args=[top.pk]))

    assert len(comment_ids(response.text)) == 1 + count


def test_the_post_comment_form_can_reply_for_scripts_and_refuses_a_bad_reply_to(thread):
    post, top, _ = thread
    client = client_for(UserFactory())
    url = reverse("posts:comment-add", args=[post.pk])
    accept = {"accept": "application/json"}

    reply = client.post(url, {"text": "Hi", "reply_to": top.pk}, headers=accept)
    garbled = client.post(url, {"text": "Hi", "reply_to": "x"}, headers=accept)
    missing = client.post(url, {"text": "Hi", "reply_to": 10**9}, headers=accept)

    assert reply.json()["parent_id"] == top.pk
    assert (garbled.status_code, list(garbled.json())) == (400, ["reply_to"])
    assert missing.status_code == 404
    assert Comment.objects.filter(parent=top).count() == 6


def test_a_comment_removed_by_moderators_takes_its_replies_out_of_sight(thread):
    post, top, replies = thread
    comment_remove(moderator=moderator_make(), comment=top, reason="Harassment")
    client = client_for(UserFactory())

    html = client.get(reverse("posts:post-detail", args=[post.pk])).text
    thread_page = client.get(reverse("posts:comment-replies", args=[top.pk]))
    api = token_client(UserFactory()).get(reverse("api:comment-replies", args=[top.pk]))
    reply_page = client.get(reverse("posts:comment-replies", args=[replies[0].pk]))

    assert comment_ids(html) == []
    assert [thread_page.status_code, api.status_code, reply_page.status_code] == [404] * 3
