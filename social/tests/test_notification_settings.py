"""Per-kind notification settings (page and API), honoured by delivery and the unread badge;
and who is told about replies and comment likes across blocks, mutes and private accounts."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.services import comment_add, comment_like_add, like_add
from posts.tests.factories import PostFactory
from social.graph.services import follow_create, user_privacy_set
from social.notifications.models import Notification, NotificationOptOut
from social.tests.factories import BlockFactory, MuteFactory, NotificationFactory

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
SETTINGS_PAGE = reverse("social:notification-settings")
SETTINGS_API = "/api/v1/notifications/settings/"
UNREAD_API = "/api/v1/notifications/unread-count/"
ALL_ON = {
    "likes": True,
    "comments": True,
    "mentions": True,
    "follows": True,
    "follow_requests": True,
    "comment_likes": True,
}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def kinds_told(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_everything_is_on_until_turned_off():
    assert token_client(UserFactory()).get(SETTINGS_API).json() == ALL_ON


def test_the_settings_page_turns_kinds_off_and_on_without_scripts():
    me = UserFactory()
    client = client_for(me)

    page = client.get(SETTINGS_PAGE)
    saved = client.post(
        SETTINGS_PAGE, {key: "on" for key in ALL_ON if key not in ("likes", "follows")}
    )

    assert page.status_code == 200
    assert page.text.count('type="checkbox"') == len(ALL_ON)
    assert saved.status_code == 302
    assert token_client(me).get(SETTINGS_API).json() == {
        **ALL_ON,
        "likes": False,
        "follows": False,
    }
    assert 'name="likes"' in client.get(SETTINGS_PAGE).text
    assert "/accounts/settings/notifications/" in client.get(reverse("accounts:settings")).text


def test_the_api_changes_only_what_is_sent_and_refuses_unknown_settings():
    me = UserFactory()
    client = token_client(me)

    changed = client.patch(SETTINGS_API, {"comment_likes": False}, format="json")
    unknown = client.patch(SETTINGS_API, {"pokes": False, "likes": False}, format="json")
    not_bool = client.patch(SETTINGS_API, {"likes": "maybe"}, format="json")

    assert changed.json() == {**ALL_ON, "comment_likes": False}
    assert unknown.status_code == 400
    assert list(unknown.json()) == ["pokes"]
    assert not_bool.status_code == 400
    assert NotificationOptOut.objects.filter(user=me).count() == 1


def test_a_kind_turned_off_is_not_delivered_and_others_still_are(committed):
    me = UserFactory()
    token_client(me).patch(SETTINGS_API, {"likes": False, "comments": False}, format="json")
    post = PostFactory(author=me)
    fan = UserFactory()

    with committed():
        like_add(user=fan, post=post)
        top = comment_add(author=fan, post=post, text="Hi @" + me.username)
        comment_like_add(user=fan, comment=comment_add(author=me, post=post, text="Thanks"))

    assert top.pk
    assert kinds_told(me) == [Kind.COMMENT_LIKE, Kind.MENTION]


def test_replies_count_as_comments(committed):
    me = UserFactory()
    token_client(me).patch(SETTINGS_API, {"comments": False}, format="json")
    post = PostFactory()
    mine = comment_add(author=me, post=post, text="Hello")

    with committed():
        comment_add(author=UserFactory(), post=post, text="Hi", reply_to=mine)

    assert kinds_told(me) == []


def test_follows_and_requests_are_separate_settings(committed):
    me = UserFactory()
    token_client(me).patch(SETTINGS_API, {"follows": False}, format="json")

    with committed():
        follow_create(follower=UserFactory(), following=me)
    user_privacy_set(user=me, is_private=True)
    with committed():
        follow_create(follower=UserFactory(), following=me)

    assert kinds_told(me) == [Kind.FOLLOW_REQUEST]


def test_a_kind_turned_off_leaves_the_unread_count():
    me = UserFactory()
    NotificationFactory(recipient=me, kind=Kind.FOLLOW)
    NotificationFactory(recipient=me, kind=Kind.LIKE, post=PostFactory(author=me))
    client = token_client(me)

    before = client.get(UNREAD_API).json()
    client.patch(SETTINGS_API, {"likes": False}, format="json")
    after = client.get(UNREAD_API).json()

    assert (before, after) == ({"unread_count": 2}, {"unread_count": 1})


# --- Who is told about replies and comment likes -----------------------------------------------


def test_a_reply_or_comment_like_from_someone_muted_or_blocked_tells_nobody(committed):
    me = UserFactory()
    post = PostFactory()
    mine = comment_add(author=me, post=post, text="Hello")
    muted, blocked = UserFactory(), UserFactory()
    MuteFactory(muter=me, muted=muted)

    with committed():
        comment_add(author=muted, post=post, text="Hi", reply_to=mine)
        comment_like_add(user=muted, comment=mine)
        comment_add(author=blocked, post=post, text="Hi", reply_to=mine)
    BlockFactory(blocker=me, blocked=blocked)

    # Nothing from the muted; the blocked one's reply was told before the block, which hides it.
    assert kinds_told(me) == [Kind.REPLY]
    client = token_client(me)
    assert client.get("/api/v1/notifications/grouped/").json()["results"] == []
    assert client.get(UNREAD_API).json() == {"unread_count": 0}


def test_who_lost_sight_of_a_private_post_is_not_told_of_replies_there(committed):
    author = UserFactory()
    post = PostFactory(author=author)
    former = UserFactory()
    theirs = comment_add(author=former, post=post, text="Hello")
    user_privacy_set(user=author, is_private=True)

    with committed():
        comment_add(author=author, post=post, text="Hi", reply_to=theirs)
        comment_like_add(user=author, comment=theirs)

    assert kinds_told(former) == []
