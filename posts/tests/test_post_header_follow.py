"""Follow on a post's header (issue 13, point 6): a card by someone I don't follow carries a
Follow button (the follow action, a POST form that works without scripts); never on my own
posts, nor for authors I follow; "Requested" while a request waits. The relationship to every
author on a page comes with the posts' own query: the query pins of the list pages
(test_views_feeds.py, test_views_posts.py) hold unchanged.
"""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.tests.factories import PostFactory
from social.graph.models import Follow
from social.tests.factories import FollowFactory

pytestmark = pytest.mark.django_db

HOME = reverse("posts:home")


def header_of(html, post):
    start = html.index(f'id="post-{post.pk}"')
    return html[start : html.index("</header>", start)]


@pytest.fixture
def me(client):
    user = UserFactory(username="me")
    client.force_login(user)
    return user


def page_of(client, post):
    return client.get(reverse("posts:post-detail", args=[post.pk])).content.decode()


def test_a_post_page_offers_to_follow_an_author_i_dont_follow(client, me):
    stranger = PostFactory(author=UserFactory(username="stranger"))
    followed = PostFactory(author=UserFactory(username="friend"))
    FollowFactory(follower=me, following=followed.author)

    # Explore, tags and search show grids of tiles: the post page is where they lead.
    assert 'action="/u/stranger/follow/"' in header_of(page_of(client, stranger), stranger)
    assert 'data-toggle="follow"' in header_of(page_of(client, stranger), stranger)
    assert "follow/" not in header_of(page_of(client, followed), followed)


def test_a_pending_request_shows_requested_on_a_public_post_of_the_author(client, me):
    post = PostFactory(author=UserFactory(username="asked"))
    FollowFactory(follower=me, following=post.author, status=Follow.Status.PENDING)

    header = header_of(page_of(client, post), post)

    assert 'action="/u/asked/unfollow/"' in header and "Requested" in header


def test_never_on_my_own_posts_nor_in_my_feed(client, me):
    mine = PostFactory(author=me)
    friend = PostFactory(author=UserFactory(username="friend"))
    FollowFactory(follower=me, following=friend.author)

    html = client.get(HOME).content.decode()

    assert "follow/" not in header_of(html, mine)
    assert "follow/" not in header_of(html, friend)


def test_following_from_a_post_header_comes_back_to_the_page(client, me):
    post = PostFactory(author=UserFactory(username="stranger"))
    page = reverse("posts:post-detail", args=[post.pk])

    response = client.post(reverse("social:follow", args=["stranger"]), {"next": page})

    assert response.status_code == 302 and response.url == page
    assert "/follow/" not in header_of(client.get(page).content.decode(), post)


def test_visitors_see_no_follow_button_on_cards(client):
    post = PostFactory(author=UserFactory(username="stranger"))

    assert "follow/" not in header_of(page_of(client, post), post)


def test_the_api_says_whether_i_follow_each_posts_author(me):
    stranger = PostFactory(author=UserFactory(username="stranger"))
    friend = PostFactory(author=UserFactory(username="friend"))
    FollowFactory(follower=me, following=friend.author)
    asked = PostFactory(author=UserFactory(username="asked"))
    FollowFactory(follower=me, following=asked.author, status=Follow.Status.PENDING)
    client = token_client(me)

    def state(post):
        return client.get(reverse("api:post-detail", args=[post.pk])).json()["author_follow"]

    assert [state(stranger), state(friend), state(asked)] == ["", "accepted", "pending"]
    mine = PostFactory(author=me)
    assert state(mine) == ""
