"""Notifications, follow requests, markers, search, reports, and the endpoints apps call at
start that answer an empty default."""

import pytest

from accounts.tests.factories import UserFactory
from posts.tests.factories import CommentFactory, PostFactory
from social.graph.models import Follow
from social.mastodon.entities import status_id_of_comment
from social.moderation.models import Report
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, FollowFactory, NotificationFactory
from social.tests.mastodon.helpers import NOT_FOUND, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(me):
    """One notification of each kind Shutter makes, newest last."""
    post = PostFactory(author=me)
    comment = CommentFactory(post=post)
    return {
        "like": NotificationFactory(recipient=me, kind="like", post=post),
        "comment": NotificationFactory(recipient=me, kind="comment", post=post, comment=comment),
        "follow": NotificationFactory(recipient=me, kind="follow"),
        "follow_request": NotificationFactory(recipient=me, kind="follow_request"),
        "follow_accepted": NotificationFactory(recipient=me, kind="follow_accepted"),
    }


def types(response):
    return [n["type"] for n in response.json()]


def test_kinds_map_to_mastodon_types(api, inbox):
    data = api.get("/api/v1/notifications").json()

    assert [n["type"] for n in data] == ["follow_request", "follow", "mention", "favourite"]
    mention = data[2]
    assert mention["status"]["id"] == status_id_of_comment(inbox["comment"].comment_id)
    assert data[3]["status"]["id"] == str(inbox["like"].post_id)
    assert data[0]["status"] is None


def test_types_and_exclude_types(api, inbox):
    assert types(api.get("/api/v1/notifications?types[]=favourite&types[]=follow")) == [
        "follow",
        "favourite",
    ]
    assert types(api.get("/api/v1/notifications?exclude_types[]=mention")) == [
        "follow_request",
        "follow",
        "favourite",
    ]


def test_one_dismiss_and_clear(api, me, inbox):
    like = inbox["like"]
    assert api.get(f"/api/v1/notifications/{like.pk}").json()["type"] == "favourite"
    assert api.get(f"/api/v1/notifications/{inbox['follow_accepted'].pk}").json() == NOT_FOUND

    assert api.post(f"/api/v1/notifications/{like.pk}/dismiss").status_code == 200
    assert not Notification.objects.filter(pk=like.pk).exists()
    assert api.get(f"/api/v1/notifications/{like.pk}").status_code == 404

    assert api.post("/api/v1/notifications/clear").status_code == 200
    assert not Notification.objects.filter(recipient=me).exists()


def test_someone_elses_notification_is_not_found(api):
    theirs = NotificationFactory(kind="follow")

    assert api.get(f"/api/v1/notifications/{theirs.pk}").json() == NOT_FOUND
    api.post(f"/api/v1/notifications/{theirs.pk}/dismiss")
    assert Notification.objects.filter(pk=theirs.pk).exists()


def test_notifications_from_blocked_accounts_and_about_hidden_posts_are_left_out(api, me):
    blocked = UserFactory()
    BlockFactory(blocker=me, blocked=blocked)
    NotificationFactory(recipient=me, actor=blocked, kind="follow")
    gone_private = PostFactory(author=UserFactory(is_private=True))
    NotificationFactory(recipient=me, kind="mention", post=gone_private)

    assert api.get("/api/v1/notifications").json() == []


def test_notifications_page_by_id(api, me):
    rows = [NotificationFactory(recipient=me, kind="follow") for _ in range(3)]

    first = api.get("/api/v1/notifications?limit=2").json()
    rest = api.get(f"/api/v1/notifications?max_id={first[-1]['id']}").json()

    assert [n["id"] for n in first + rest] == [str(r.pk) for r in reversed(rows)]
    assert [n["id"] for n in api.get(f"/api/v1/notifications?since_id={rows[1].pk}").json()] == [
        str(rows[2].pk)
    ]


def test_follow_requests_authorize_and_reject(api, me):
    me.is_private = True
    me.save()
    asker, other = UserFactory(), UserFactory()
    for who in (asker, other):
        FollowFactory(follower=who, following=me, status=Follow.Status.PENDING)

    listed = api.get("/api/v1/follow_requests").json()
    assert sorted(a["id"] for a in listed) == sorted([str(asker.pk), str(other.pk)])

    data = api.post(f"/api/v1/follow_requests/{asker.pk}/authorize").json()
    assert data["id"] == str(asker.pk) and data["followed_by"] is True
    assert Follow.objects.get(follower=asker, following=me).status == Follow.Status.ACCEPTED

    data = api.post(f"/api/v1/follow_requests/{other.pk}/reject").json()
    assert data["followed_by"] is False
    assert not Follow.objects.filter(follower=other, following=me).exists()

    assert api.get("/api/v1/follow_requests").json() == []
    assert api.post(f"/api/v1/follow_requests/{other.pk}/authorize").json() == NOT_FOUND


def test_markers_are_kept_per_user(api, me):
    assert api.get("/api/v1/markers?timeline[]=home").json() == {}

    saved = api.post("/api/v1/markers", {"home": {"last_read_id": "42"}}, format="json").json()
    assert saved["home"]["last_read_id"] == "42" and saved["home"]["version"] == 1
    again = api.post("/api/v1/markers", {"home[last_read_id]": "43"}).json()
    assert again["home"]["version"] == 2

    data = api.get("/api/v1/markers?timeline[]=home&timeline[]=notifications").json()
    assert set(data) == {"home"} and data["home"]["last_read_id"] == "43"
    assert client_for(UserFactory()).get("/api/v1/markers").json() == {}
    assert api.post("/api/v1/markers", {}).status_code == 422


def test_search_finds_accounts_and_hashtags(api):
    from posts.services.text import post_hashtags_sync

    UserFactory(username="sunny")
    post = PostFactory(caption="#sunset")
    post_hashtags_sync(post=post)

    data = api.get("/api/v2/search?q=sun").json()

    assert [a["username"] for a in data["accounts"]] == ["sunny"]
    assert [t["name"] for t in data["hashtags"]] == ["sunset"]
    assert data["statuses"] == []
    assert api.get("/api/v2/search?q=sun&type=hashtags").json()["accounts"] == []


def test_report_a_status(api, me):
    post = PostFactory()

    response = api.post(
        "/api/v1/reports",
        {"account_id": str(post.author_id), "status_ids[]": [str(post.pk)], "category": "spam"},
    )

    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert (report.post_id, report.reporter_id, report.reason) == (post.pk, me.pk, "spam")
    assert response.json()["target_account"]["id"] == str(post.author_id)


def test_report_an_account_and_not_what_i_cannot_see(api):
    other = UserFactory()
    assert api.post("/api/v1/reports", {"account_id": str(other.pk)}).status_code == 200
    assert Report.objects.get().user_id == other.pk

    hidden = PostFactory(author=UserFactory(is_private=True))
    response = api.post(
        "/api/v1/reports",
        {"account_id": str(hidden.author_id), "status_ids[]": [str(hidden.pk)]},
    )
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/custom_emojis",
        "/api/v1/filters",
        "/api/v2/filters",
        "/api/v1/lists",
        "/api/v1/announcements",
        "/api/v1/trends",
        "/api/v1/trends/tags",
        "/api/v1/trends/statuses",
        "/api/v1/followed_tags",
        "/api/v1/conversations",
        "/api/v1/blocks",
        "/api/v1/mutes",
        "/api/v1/bookmarks",
        "/api/v1/favourites",
        "/api/v1/follow_requests",
        "/api/v1/scheduled_statuses",
    ],
)
def test_what_apps_ask_at_start_is_an_empty_list(api, path):
    response = api.get(path)

    assert response.status_code == 200
    assert response.json() == []


def test_preferences_have_their_documented_keys(api):
    data = api.get("/api/v1/preferences").json()

    assert data["posting:default:visibility"] == "public"
    assert {"posting:default:sensitive", "reading:expand:media"} <= set(data)


def test_shutters_own_routes_still_answer(api):
    assert api.get("/api/v1/feed/").status_code == 200
    assert api.get("/api/v1/notifications/").status_code == 200
    assert api.get("/api/v1/nothing-here/").json() == {"detail": "Not found."}
