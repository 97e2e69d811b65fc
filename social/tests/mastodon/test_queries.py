"""Lists of the Mastodon API cost a fixed number of SQL queries, however long the page:
home is the feed's query, its images and the mentioned accounts."""

import pytest

from accounts.tests.factories import UserFactory
from posts.tests.factories import CommentFactory, PostFactory
from social.graph.triggers import timelines_enabled
from social.tests.factories import NotificationFactory
from social.tests.mastodon.helpers import follow

pytestmark = pytest.mark.django_db


def _count(django_assert_num_queries, client, path, most):
    with django_assert_num_queries(most):
        response = client.get(path)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("n", [2, 12])
def test_home_timeline_queries_do_not_grow_with_the_page(api, me, n, django_assert_num_queries):
    friend = UserFactory()
    follow(me, friend)
    for _ in range(n):
        PostFactory(author=friend, images=2, caption="hi @me #tag")

    # The feed's page of cards (the check query, its images) as Shutter's own API reads it,
    # then the whole posts (author, images) a status entity shows: 5 at any page length; on
    # Redis timelines one more, the big authors the reader follows (posts/timelines.py).
    expected = 6 if timelines_enabled() else 5
    data = _count(django_assert_num_queries, api, "/api/v1/timelines/home", expected)

    assert len(data) == n


@pytest.mark.parametrize("n", [2, 12])
def test_notifications_queries_do_not_grow_with_the_page(api, me, n, django_assert_num_queries):
    post = PostFactory(author=me)
    for _ in range(n):
        NotificationFactory(recipient=me, kind="like", post=post)
        comment = CommentFactory(post=post)
        NotificationFactory(recipient=me, kind="comment", post=post, comment=comment)

    data = _count(django_assert_num_queries, api, "/api/v1/notifications?limit=40", 5)

    assert len(data) == 2 * n


@pytest.mark.parametrize("n", [2, 12])
def test_context_queries_do_not_grow_with_the_comments(anon, n, django_assert_num_queries):
    post = PostFactory()
    for _ in range(n):
        CommentFactory(post=post, text="@someone hello")

    data = _count(django_assert_num_queries, anon, f"/api/v1/statuses/{post.pk}/context", 5)

    assert len(data["descendants"]) == n
