import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.models import PostImage
from posts.tests.factories import CommentFactory, PostFactory
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, NotificationFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = reverse("api:notifications")
UNREAD_COUNT = reverse("api:notifications-unread-count")
READ = reverse("api:notifications-read")
TAMPERED_CURSOR = "eyJvIjpbIi1jcmVhdGVkX2F0Il19:forged"


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_a_notification_shows_who_did_what_to_which_post_and_comment():
    me = UserFactory()
    actor = UserFactory(username="maya", display_name="Maya")
    post = PostFactory(author=me, images=2)
    comment = CommentFactory(post=post, author=actor, text="Lovely light")
    note = NotificationFactory(
        recipient=me, actor=actor, kind=Notification.Kind.COMMENT, post=post, comment=comment
    )
    cover = PostImage.objects.get(post=post, position=0)

    response = token_client(me).get(NOTIFICATIONS)

    assert response.status_code == 200
    (item,) = response.json()["results"]
    assert item == {
        "id": note.pk,
        "kind": "comment",
        "text": "commented on your post",
        "actor": {"username": "maya", "display_name": "Maya", "avatar_url": None},
        "post": {"id": post.pk, "thumbnail_url": f"http://testserver{cover.image.url}"},
        "comment": {"id": comment.pk, "text": "Lovely light"},
        "read": False,
        "created_at": item["created_at"],
        "report": None,
        "moderation": None,
    }
    assert item["created_at"].startswith(str(note.created_at.year))


def test_a_follow_notification_has_no_post_or_comment():
    me = UserFactory()
    NotificationFactory(recipient=me, kind=Notification.Kind.FOLLOW)

    (item,) = token_client(me).get(NOTIFICATIONS).json()["results"]

    assert (item["kind"], item["post"], item["comment"]) == ("follow", None, None)


def test_notifications_come_newest_first_and_only_mine():
    me = UserFactory()
    older = NotificationFactory(recipient=me)
    newer = NotificationFactory(recipient=me)
    NotificationFactory()  # someone else's

    assert ids(token_client(me).get(NOTIFICATIONS)) == [newer.pk, older.pk]


def test_notifications_from_blocked_or_suspended_accounts_are_not_shown():
    me = UserFactory()
    blocked = NotificationFactory(recipient=me)
    BlockFactory(blocker=me, blocked=blocked.actor)
    NotificationFactory(recipient=me, actor=UserFactory(suspended=True))
    fine = NotificationFactory(recipient=me)

    assert ids(token_client(me).get(NOTIFICATIONS)) == [fine.pk]


def test_notifications_about_a_removed_post_are_not_shown():
    me = UserFactory()
    post = PostFactory(author=me, removed_at=timezone.now())
    NotificationFactory(recipient=me, kind=Notification.Kind.LIKE, post=post)

    assert ids(token_client(me).get(NOTIFICATIONS)) == []


@pytest.mark.parametrize("n", [1, 6])
def test_a_page_of_notifications_costs_the_same_queries_whatever_its_length(
    n, django_assert_num_queries
):
    me = UserFactory()
    for _ in range(n):
        post = PostFactory(author=me, images=3)
        NotificationFactory(
            recipient=me,
            kind=Notification.Kind.COMMENT,
            post=post,
            comment=CommentFactory(post=post),
        )
    client = token_client(me)

    # Token and user; the page joined to actors, posts and comments; the posts' first images.
    with django_assert_num_queries(3):
        response = client.get(NOTIFICATIONS, {"page_size": 100})

    assert len(response.json()["results"]) == n


def test_notifications_page_by_cursor_and_refuse_a_tampered_one():
    me = UserFactory()
    notes = [NotificationFactory(recipient=me) for _ in range(3)]
    client = token_client(me)

    first = client.get(NOTIFICATIONS, {"page_size": 2})
    second = client.get(first.json()["next"])
    tampered = client.get(NOTIFICATIONS, {"cursor": TAMPERED_CURSOR})

    assert ids(first) + ids(second) == [note.pk for note in reversed(notes)]
    assert second.json()["next"] is None
    assert tampered.status_code == 400
    assert list(tampered.json()) == ["cursor"]


def test_reading_the_list_does_not_mark_anything_read():
    me = UserFactory()
    NotificationFactory(recipient=me)
    client = token_client(me)

    client.get(NOTIFICATIONS)

    assert client.get(UNREAD_COUNT).json() == {"unread_count": 1}


def test_the_unread_count_leaves_out_read_and_hidden_notifications(django_assert_num_queries):
    me = UserFactory()
    NotificationFactory.create_batch(2, recipient=me)
    NotificationFactory(recipient=me, read_at=timezone.now())
    hidden = NotificationFactory(recipient=me)
    BlockFactory(blocker=hidden.actor, blocked=me)
    client = token_client(me)

    with django_assert_num_queries(2):  # token and user; the count
        response = client.get(UNREAD_COUNT)

    assert response.status_code == 200
    assert response.json() == {"unread_count": 2}


def test_marking_read_clears_the_badge_and_says_how_many_were_unread():
    me = UserFactory()
    NotificationFactory.create_batch(2, recipient=me)
    NotificationFactory(recipient=me, read_at=timezone.now())
    others = NotificationFactory()
    client = token_client(me)

    response = client.post(READ)

    assert response.status_code == 200
    assert response.json() == {"marked_read": 2}
    assert client.get(UNREAD_COUNT).json() == {"unread_count": 0}
    assert all(item["read"] for item in client.get(NOTIFICATIONS).json()["results"])
    others.refresh_from_db()
    assert others.read_at is None


def test_marking_read_twice_marks_nothing_the_second_time():
    me = UserFactory()
    NotificationFactory(recipient=me)
    client = token_client(me)
    client.post(READ)

    assert client.post(READ).json() == {"marked_read": 0}


@pytest.mark.parametrize(
    "call",
    [
        lambda client: client.get(NOTIFICATIONS),
        lambda client: client.get(UNREAD_COUNT),
        lambda client: client.post(READ),
    ],
    ids=["list", "unread-count", "read"],
)
def test_notifications_need_an_account(call):
    note = NotificationFactory()

    response = call(APIClient())

    assert response.status_code == 401
    note.refresh_from_db()
    assert note.read_at is None
