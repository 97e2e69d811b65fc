"""The notifications page: newest first, unread ones drawn as new, then all marked read."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from posts.tests.factories import CommentFactory, PostFactory
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, NotificationFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("social:notifications")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def rows(response):
    return response.text.count('<li class="notification')


def unread_rows(response):
    return response.text.count('<li class="notification is-unread"')


def test_notifications_need_a_login(client):
    response = client.get(NOTIFICATIONS)

    assert response["Location"] == f"/accounts/login/?next={NOTIFICATIONS}"


def test_the_page_shows_what_happened_with_links_to_who_and_what():
    me = UserFactory()
    post = PostFactory(author=me)
    comment = CommentFactory(post=post, text="Lovely light")
    NotificationFactory(
        recipient=me, actor=comment.author, kind="comment", post=post, comment=comment
    )
    follower = NotificationFactory(recipient=me, kind="follow").actor

    response = client_for(me).get(NOTIFICATIONS)

    assert response.status_code == 200
    html = response.text
    assert "commented on your post" in html
    assert "Lovely light" in html
    assert f'href="/p/{post.pk}/#comment-{comment.pk}"' in html
    assert f'href="/u/{follower.username}/"' in html
    assert "started following you" in html


def test_a_follow_request_links_to_the_requests_page():
    me = UserFactory(is_private=True)
    NotificationFactory(recipient=me, kind="follow_request")

    response = client_for(me).get(NOTIFICATIONS)

    assert "asked to follow you" in response.text
    assert 'href="/requests/"' in response.text


def test_opening_the_page_shows_unread_as_new_then_marks_them_read():
    me = UserFactory()
    NotificationFactory(recipient=me, read_at=timezone.now())
    NotificationFactory.create_batch(2, recipient=me)
    client = client_for(me)

    first = client.get(NOTIFICATIONS)
    second = client.get(NOTIFICATIONS)

    assert (rows(first), unread_rows(first)) == (3, 2)
    assert (rows(second), unread_rows(second)) == (3, 0)
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_badge_is_gone_on_the_page_that_reads_them():
    me = UserFactory()
    NotificationFactory.create_batch(2, recipient=me)
    client = client_for(me)

    elsewhere = client.get(reverse("social:requests"))
    here = client.get(NOTIFICATIONS)

    assert "data-unread-badge" in elsewhere.text
    assert "data-unread-badge" not in here.text


def test_notifications_from_someone_blocked_are_not_shown():
    me = UserFactory()
    hidden = NotificationFactory(recipient=me).actor
    BlockFactory(blocker=me, blocked=hidden)

    response = client_for(me).get(NOTIFICATIONS)

    assert rows(response) == 0
    assert hidden.username not in response.text


def test_the_list_pages_with_a_load_more_link(settings):
    settings.SHUTTER = {**settings.SHUTTER, "PAGE_SIZE": 3}
    me = UserFactory()
    NotificationFactory.create_batch(5, recipient=me)
    client = client_for(me)

    first = client.get(NOTIFICATIONS)
    second = client.get(NOTIFICATIONS, {"cursor": first.context["next_cursor"]})

    assert rows(first) == 3
    assert 'data-load-more="notifications"' in first.text
    assert rows(second) == 2
    assert 'data-load-more="notifications"' not in second.text


def test_a_forged_cursor_is_a_bad_request():
    me = UserFactory()

    assert client_for(me).get(NOTIFICATIONS, {"cursor": "forged"}).status_code == 400


@pytest.mark.parametrize("n", [5, 20])
def test_the_page_costs_the_same_queries_whatever_its_length(n, django_assert_num_queries):
    me = UserFactory()
    for _ in range(n):
        comment = CommentFactory(post=PostFactory(author=me))
        NotificationFactory(
            recipient=me, actor=comment.author, kind="comment", post=comment.post, comment=comment
        )
    client = client_for(me)

    # the user; the groups (one a comment here); their notifications with actor, post and
    # comment; the posts' first images; marking them read (savepoint, update, release). No
    # badge count: the page says 0 itself. No actors query: no group has several.
    with django_assert_num_queries(7):
        response = client.get(NOTIFICATIONS)

    assert rows(response) == n
