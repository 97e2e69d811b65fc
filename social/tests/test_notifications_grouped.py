"""Notifications told by group: likes of one post (or one comment) as one row naming the
latest people, every other kind alone; keyset pages in a constant number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
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
