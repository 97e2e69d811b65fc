"""Notifications told by group: likes of one post (or one comment) as one row naming the
latest people, every other kind alone; keyset pages in a constant number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.tests.factories import CommentFactory, PostFactory
from social.notifications.models import Notification
from social.notifications.selectors import notifications_grouped
from social.tests.factories import BlockFactory, FollowFactory, NotificationFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
NOTIFICATIONS = reverse("social:notifications")
GROUPED_API = "/api/v1/notifications/grouped/"


def likes(recipient, post, names):
    """Likes of `post` by new accounts called `names`, oldest first; returns the accounts."""
    actors = []
    for name in names:
        actor = UserFactory(username=name)
        NotificationFactory(recipient=recipient, actor=actor, kind=Kind.LIKE, post=post)
        actors.append(actor)
    return actors


def test_likes_of_one_post_are_one_group_naming_the_latest_two():
    me = UserFactory()
    post = PostFactory(author=me)
    likes(me, post, ["ann", "ben", "cat", "dan"])
    follower = NotificationFactory(recipient=me, kind=Kind.FOLLOW).actor

    page = notifications_grouped(user=me)

    follow, liked = page.items
    assert follow.notification.actor == follower
    assert [a.username for a in liked.actors] == ["dan", "cat"]
    assert (liked.actor_count, liked.others_count) == (4, 2)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_page_says_who_liked_a_post_in_one_row():
    me = UserFactory()
    post = PostFactory(author=me)
    likes(me, post, ["ann", "ben", "cat", "dan"])

    html = client_for(me).get(NOTIFICATIONS).text

    assert html.count('<li class="notification') == 1
    text = " ".join(html.split())
    assert (
        'dan</a>, <a class="username" href="/u/cat/">cat</a> and 2 others liked your post' in text
    )


def test_two_likers_read_as_a_and_b():
    me = UserFactory()
    likes(me, PostFactory(author=me), ["ann", "ben"])

    text = " ".join(client_for(me).get(NOTIFICATIONS).text.split())

    assert 'ben</a> and <a class="username" href="/u/ann/">ann</a> liked your post' in text


def test_likes_of_a_comment_group_by_comment_and_comments_stay_one_to_a_row():
    me = UserFactory()
    post = PostFactory(author=me)
    mine = CommentFactory(post=post, author=me)
    for actor in UserFactory.create_batch(3):
        NotificationFactory(
            recipient=me, actor=actor, kind=Kind.COMMENT_LIKE, post=post, comment=mine
        )
    for _ in range(2):
        comment = CommentFactory(post=post)
        NotificationFactory(
            recipient=me, actor=comment.author, kind=Kind.COMMENT, post=post, comment=comment
        )

    items = token_client(me).get(GROUPED_API).json()["results"]

    assert [(i["kind"], i["actor_count"], len(i["actors"])) for i in items] == [
        ("comment", 1, 1),
        ("comment", 1, 1),
        ("comment_like", 3, 2),
    ]
    assert items[2]["comment"]["id"] == mine.pk
    assert items[2]["text"] == "liked your comment"


def test_the_existing_list_stays_one_item_per_notification():
    me = UserFactory()
    likes(me, PostFactory(author=me), ["ann", "ben", "cat"])

    items = token_client(me).get("/api/v1/notifications/").json()["results"]

    assert len(items) == 3


def test_a_liker_i_blocked_leaves_the_group_and_its_count():
    me = UserFactory()
    post = PostFactory(author=me)
    _ann, _ben, cat = likes(me, post, ["ann", "ben", "cat"])
    BlockFactory(blocker=me, blocked=cat)

    (item,) = token_client(me).get(GROUPED_API).json()["results"]

    assert [a["username"] for a in item["actors"]] == ["ben", "ann"]
    assert item["actor_count"] == 2


def test_grouped_pages_follow_the_cursor_and_refuse_a_forged_one():
    me = UserFactory()
    posts = [PostFactory(author=me) for _ in range(3)]
    for n, post in enumerate(posts):
        likes(me, post, [f"p{n}a", f"p{n}b"])
    client = token_client(me)

    first = client.get(GROUPED_API, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    forged = client.get(GROUPED_API, {"cursor": "forged"})

    seen = [i["post"]["id"] for i in first["results"] + second["results"]]
    assert seen == [p.pk for p in reversed(posts)]
    assert second["next"] is None
    assert forged.status_code == 400


@pytest.mark.parametrize("groups", [1, 6])
def test_a_grouped_page_costs_the_same_queries_whatever_its_length(
    groups, django_assert_num_queries
):
    me = UserFactory()
    for n in range(groups):
        post = PostFactory(author=me, images=2)
        likes(me, post, [f"g{n}a", f"g{n}b", f"g{n}c"])
        NotificationFactory(recipient=me, kind=Kind.FOLLOW)
    client = token_client(me)

    # TOKEN (user joined); the groups; their latest notifications (actor, post, comment,
    # followed as EXISTS); those posts' first images; the latest actors of the groups
    with django_assert_num_queries(5):
        response = client.get(GROUPED_API, {"page_size": 100})

    assert len(response.json()["results"]) == 2 * groups


@pytest.mark.parametrize("groups", [1, 6])
def test_the_grouped_page_costs_the_same_queries_whatever_its_length(
    groups, django_assert_num_queries
):
    me = UserFactory()
    for n in range(groups):
        likes(me, PostFactory(author=me, images=2), [f"g{n}a", f"g{n}b", f"g{n}c"])
    client = client_for(me)

    # session user; the groups; latest notifications; first images; latest actors;
    # SAVEPOINT, marking them read, RELEASE
    with django_assert_num_queries(8):
        client.get(NOTIFICATIONS)


# --- Follow back ---------------------------------------------------------------------------------


def test_started_following_you_offers_follow_back_until_i_follow_them():
    me = UserFactory()
    fan = NotificationFactory(recipient=me, kind=Kind.FOLLOW).actor
    FollowFactory(follower=fan, following=me)
    client = client_for(me)

    before = client.get(NOTIFICATIONS).text
    followed = client.post(reverse("social:follow", args=[fan.username]), {"next": NOTIFICATIONS})
    after = client.get(NOTIFICATIONS).text
    api = token_client(me).get(GROUPED_API).json()["results"][0]

    assert "Follow back" in before
    assert f'action="/u/{fan.username}/follow/"' in before
    assert followed.status_code == 302
    assert "Follow back" not in after
    assert api["can_follow_back"] is False


def test_follow_back_is_not_offered_after_a_request_to_a_private_follower():
    me = UserFactory()
    fan = NotificationFactory(recipient=me, kind=Kind.FOLLOW, actor__is_private=True).actor
    FollowFactory(follower=me, following=fan, status="pending")

    assert "Follow back" not in client_for(me).get(NOTIFICATIONS).text


def test_a_follower_i_blocked_has_no_row_nor_follow_back():
    me = UserFactory()
    fan = NotificationFactory(recipient=me, kind=Kind.FOLLOW).actor
    BlockFactory(blocker=fan, blocked=me)

    html = client_for(me).get(NOTIFICATIONS).text

    assert "Follow back" not in html
    assert fan.username not in html
