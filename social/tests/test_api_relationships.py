import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from social.graph.models import Block, Follow, Mute
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

TAMPERED_CURSOR = "eyJvIjpbIi1jcmVhdGVkX2F0Il19:forged"


def url(name, username):
    return reverse(f"api:{name}", kwargs={"username": username})


def counts(*users):
    return [
        User.objects.values_list("follower_count", "following_count").get(pk=user.pk)
        for user in users
    ]


def block_from_them(me, them):
    BlockFactory(blocker=them, blocked=me)


def block_from_me(me, them):
    BlockFactory(blocker=me, blocked=them)


def suspend_them(me, them):
    User.objects.filter(pk=them.pk).update(suspended_at=timezone.now())


HIDDEN = pytest.mark.parametrize(
    "hide",
    [block_from_them, block_from_me, suspend_them],
    ids=["they-blocked-me", "i-blocked-them", "suspended"],
)


# --- POST and DELETE /users/<username>/follow/ ------------------------------------------------


def test_following_a_public_account_follows_at_once_and_tells_them(committed):
    me, them = UserFactory(), UserFactory(username="maya")

    with committed():
        response = token_client(me).post(url("user-follow", "maya"))

    assert response.status_code == 200
    assert response.json() == {"status": "following"}
    assert Follow.objects.get(follower=me, following=them).status == Follow.Status.ACCEPTED
    assert counts(me, them) == [(0, 1), (1, 0)]
    assert Notification.objects.filter(
        recipient=them, actor=me, kind=Notification.Kind.FOLLOW
    ).exists()


def test_following_a_private_account_asks_and_counts_nothing_yet():
    me, them = UserFactory(), UserFactory(username="hidden", private=True)

    response = token_client(me).post(url("user-follow", "hidden"))

    assert response.json() == {"status": "requested"}
    assert Follow.objects.get(follower=me, following=them).status == Follow.Status.PENDING
    assert counts(me, them) == [(0, 0), (0, 0)]


@pytest.mark.parametrize(("private", "state"), [(False, "following"), (True, "requested")])
def test_following_twice_is_the_same_as_once(private, state):
    me, them = UserFactory(), UserFactory(username="maya", is_private=private)
    client = token_client(me)

    client.post(url("user-follow", "maya"))
    response = client.post(url("user-follow", "maya"))

    assert response.json() == {"status": state}
    assert Follow.objects.filter(follower=me, following=them).count() == 1
    assert counts(them) == [(0 if private else 1, 0)]


def test_unfollowing_ends_the_follow_and_moves_the_counts_back():
    me, them = UserFactory(), UserFactory(username="maya")
    client = token_client(me)
    client.post(url("user-follow", "maya"))

    response = client.delete(url("user-follow", "maya"))

    assert response.status_code == 200
    assert response.json() == {"status": "none"}
    assert not Follow.objects.exists()
    assert counts(me, them) == [(0, 0), (0, 0)]
    assert not Notification.objects.exists()


def test_unfollowing_a_private_account_withdraws_the_request():
    me, them = UserFactory(), UserFactory(username="hidden", private=True)
    client = token_client(me)
    client.post(url("user-follow", "hidden"))

    response = client.delete(url("user-follow", "hidden"))

    assert response.json() == {"status": "none"}
    assert not Follow.objects.filter(follower=me, following=them).exists()


def test_unfollowing_someone_i_dont_follow_changes_nothing():
    them = UserFactory(username="maya", follower_count=0)

    response = token_client(UserFactory()).delete(url("user-follow", "maya"))

    assert response.json() == {"status": "none"}
    assert counts(them) == [(0, 0)]


def test_following_myself_is_400_and_follows_nothing():
    me = UserFactory(username="me")

    response = token_client(me).post(url("user-follow", "me"))

    assert response.status_code == 400
    assert response.json() == {"following": ["You can't follow yourself."]}
    assert not Follow.objects.exists()


@HIDDEN
def test_following_someone_behind_a_block_or_a_suspension_is_404(hide):
    me, them = UserFactory(), UserFactory(username="gone")
    hide(me, them)
    client = token_client(me)

    assert client.post(url("user-follow", "gone")).status_code == 404
    assert client.delete(url("user-follow", "gone")).status_code == 404
    assert not Follow.objects.exists()


def test_following_an_unknown_account_is_404():
    assert token_client(UserFactory()).post(url("user-follow", "nobody")).status_code == 404


def test_a_visitor_cannot_follow():
    UserFactory(username="maya")

    response = APIClient().post(url("user-follow", "maya"))

    assert response.status_code == 401
    assert not Follow.objects.exists()


def test_follows_over_the_follow_rate_get_429(tight_rate):
    tight_rate("follow", "2/minute")
    for name in ("a", "b"):
        UserFactory(username=name)
    client = token_client(UserFactory())

    assert client.post(url("user-follow", "a")).status_code == 200
    assert client.delete(url("user-follow", "a")).status_code == 200
    response = client.post(url("user-follow", "b"))

    assert response.status_code == 429
    assert "Retry-After" in response
    assert not Follow.objects.exists()


def test_the_follow_rate_leaves_other_endpoints_alone(tight_rate):
    tight_rate("follow", "1/minute")
    for name in ("a", "b"):
        UserFactory(username=name)
    client = token_client(UserFactory())
    client.post(url("user-follow", "a"))

    assert client.post(url("user-mute", "b")).status_code == 200
    assert client.get(url("user-detail", "a")).status_code == 200


# --- POST and DELETE /users/<username>/block/ -------------------------------------------------


def test_blocking_ends_follows_both_ways_and_keeps_counts_exact():
    me, them = UserFactory(), UserFactory(username="maya")
    client = token_client(me)
    client.post(url("user-follow", "maya"))
    token_client(them).post(url("user-follow", me.username))

    response = client.post(url("user-block", "maya"))

    assert response.status_code == 200
    assert response.json() == {"is_blocking": True}
    assert Block.objects.filter(blocker=me, blocked=them).exists()
    assert not Follow.objects.exists()
    assert counts(me, them) == [(0, 0), (0, 0)]
    assert client.get(url("user-detail", "maya")).status_code == 404


def test_blocking_twice_is_the_same_as_once():
    me, them = UserFactory(), UserFactory(username="maya")
    client = token_client(me)

    client.post(url("user-block", "maya"))
    response = client.post(url("user-block", "maya"))

    assert response.json() == {"is_blocking": True}
    assert Block.objects.filter(blocker=me, blocked=them).count() == 1


def test_i_can_unblock_someone_whose_profile_my_block_hides():
    me, them = UserFactory(), UserFactory(username="maya")
    BlockFactory(blocker=me, blocked=them)
    client = token_client(me)

    response = client.delete(url("user-block", "MAYA"))

    assert response.status_code == 200
    assert response.json() == {"is_blocking": False}
    assert not Block.objects.exists()
    assert client.get(url("user-detail", "maya")).status_code == 200


def test_unblocking_someone_i_dont_block_changes_nothing():
    UserFactory(username="maya")

    response = token_client(UserFactory()).delete(url("user-block", "maya"))

    assert response.json() == {"is_blocking": False}


def test_someone_who_blocked_me_can_be_neither_blocked_nor_unblocked_by_me():
    me, them = UserFactory(), UserFactory(username="maya")
    BlockFactory(blocker=them, blocked=me)
    client = token_client(me)

    assert client.post(url("user-block", "maya")).status_code == 404
    assert client.delete(url("user-block", "maya")).status_code == 404
    assert list(Block.objects.values_list("blocker", "blocked")) == [(them.pk, me.pk)]


def test_when_we_blocked_each_other_i_can_still_lift_mine():
    me, them = UserFactory(), UserFactory(username="maya")
    BlockFactory(blocker=them, blocked=me)
    BlockFactory(blocker=me, blocked=them)

    response = token_client(me).delete(url("user-block", "maya"))

    assert response.status_code == 200
    assert list(Block.objects.values_list("blocker", "blocked")) == [(them.pk, me.pk)]


def test_a_suspended_account_cannot_be_blocked_through_the_api():
    UserFactory(username="gone", suspended=True)

    assert token_client(UserFactory()).post(url("user-block", "gone")).status_code == 404
    assert not Block.objects.exists()


def test_blocking_myself_is_400():
    me = UserFactory(username="me")

    response = token_client(me).post(url("user-block", "me"))

    assert response.status_code == 400
    assert list(response.json()) == ["blocked"]
    assert not Block.objects.exists()


def test_a_visitor_cannot_block():
    UserFactory(username="maya")

    assert APIClient().post(url("user-block", "maya")).status_code == 401
    assert not Block.objects.exists()


# --- POST and DELETE /users/<username>/mute/ --------------------------------------------------


def test_muting_and_unmuting_leave_follows_alone():
    me, them = UserFactory(), UserFactory(username="maya")
    FollowFactory(follower=me, following=them)
    client = token_client(me)

    muted = client.post(url("user-mute", "maya"))
    assert muted.status_code == 200
    assert muted.json() == {"is_muting": True}
    assert Mute.objects.filter(muter=me, muted=them).exists()
    assert client.get(url("user-detail", "maya")).json()["is_muting"] is True

    unmuted = client.delete(url("user-mute", "maya"))
    assert unmuted.json() == {"is_muting": False}
    assert not Mute.objects.exists()
    assert Follow.objects.filter(follower=me, following=them).exists()


def test_muting_twice_is_the_same_as_once():
    me, them = UserFactory(), UserFactory(username="maya")
    client = token_client(me)

    client.post(url("user-mute", "maya"))
    client.post(url("user-mute", "maya"))

    assert Mute.objects.filter(muter=me, muted=them).count() == 1


def test_muting_is_not_told_to_the_muted():
    me, them = UserFactory(), UserFactory(username="maya")
    MuteFactory(muter=me, muted=them)

    profile = token_client(them).get(url("user-detail", me.username)).json()

    assert not Notification.objects.exists()
    assert profile["is_muting"] is False


@HIDDEN
def test_muting_someone_behind_a_block_or_a_suspension_is_404(hide):
    me, them = UserFactory(), UserFactory(username="gone")
    hide(me, them)

    assert token_client(me).post(url("user-mute", "gone")).status_code == 404
    assert not Mute.objects.exists()


def test_muting_myself_is_400():
    me = UserFactory(username="me")

    response = token_client(me).post(url("user-mute", "me"))

    assert response.status_code == 400
    assert list(response.json()) == ["muted"]


def test_a_visitor_cannot_mute():
    UserFactory(username="maya")

    assert APIClient().post(url("user-mute", "maya")).status_code == 401


# --- Follow requests --------------------------------------------------------------------------

REQUESTS = reverse("api:follow-requests")


def accept_url(follow):
    return reverse("api:follow-request-accept", kwargs={"request_id": follow.pk})


def decline_url(follow):
    return reverse("api:follow-request-decline", kwargs={"request_id": follow.pk})


def request_to(owner, **kwargs):
    return FollowFactory(following=owner, status=Follow.Status.PENDING, **kwargs)


def test_my_follow_requests_come_newest_first_with_who_asks():
    me = UserFactory(private=True)
    older = request_to(me, follower=UserFactory(username="older"))
    newer = request_to(me, follower=UserFactory(username="newer", display_name="Newer"))
    FollowFactory(following=me)  # already accepted
    request_to(UserFactory(private=True))  # to someone else

    response = token_client(me).get(REQUESTS)

    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["results"]] == [newer.pk, older.pk]
    assert body["results"][0]["user"] == {
        "username": "newer",
        "display_name": "Newer",
        "avatar_url": None,
    }
    assert body["results"][0]["created_at"]
    assert body["next"] is None


def test_requests_from_blocked_or_suspended_accounts_are_not_listed():
    me = UserFactory(private=True)
    blocked = request_to(me).follower
    BlockFactory(blocker=me, blocked=blocked)
    request_to(me, follower=UserFactory(suspended=True))
    fine = request_to(me)

    response = token_client(me).get(REQUESTS)

    assert [item["id"] for item in response.json()["results"]] == [fine.pk]


@pytest.mark.parametrize("n", [1, 6])
def test_a_page_of_follow_requests_costs_the_same_queries_whatever_its_length(
    n, django_assert_num_queries
):
    me = UserFactory(private=True)
    for _ in range(n):
        request_to(me)
    client = token_client(me)

    # Token and user; the page of requests joined to their requesters.
    with django_assert_num_queries(2):
        response = client.get(REQUESTS, {"page_size": 100})

    assert len(response.json()["results"]) == n


def test_follow_requests_page_by_cursor_and_refuse_a_tampered_one():
    me = UserFactory(private=True)
    for _ in range(3):
        request_to(me)
    client = token_client(me)

    first = client.get(REQUESTS, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    tampered = client.get(REQUESTS, {"cursor": TAMPERED_CURSOR})

    assert len(first["results"]) + len(second["results"]) == 3
    assert second["next"] is None
    assert tampered.status_code == 400
    assert list(tampered.json()) == ["cursor"]


def test_accepting_a_request_makes_a_follower_and_tells_them(committed):
    me = UserFactory(private=True)
    follow = request_to(me)
    requester = follow.follower

    with committed():
        response = token_client(me).post(accept_url(follow))

    assert response.status_code == 204
    follow.refresh_from_db()
    assert follow.status == Follow.Status.ACCEPTED
    assert counts(me, requester) == [(1, 0), (0, 1)]
    assert Notification.objects.filter(
        recipient=requester, actor=me, kind=Notification.Kind.FOLLOW_ACCEPTED
    ).exists()
    profile = token_client(requester).get(url("user-detail", me.username)).json()
    assert (profile["is_following"], profile["can_see_content"]) == (True, True)


def test_declining_a_request_removes_it_without_telling_them():
    me = UserFactory(private=True)
    follow = request_to(me)

    response = token_client(me).post(decline_url(follow))

    assert response.status_code == 204
    assert not Follow.objects.exists()
    assert not Notification.objects.filter(recipient=follow.follower).exists()
    assert counts(me) == [(0, 0)]


@pytest.mark.parametrize("answer", [accept_url, decline_url], ids=["accept", "decline"])
def test_a_request_to_someone_else_is_404_and_stays_pending(answer):
    follow = request_to(UserFactory(private=True))

    response = token_client(UserFactory()).post(answer(follow))

    assert response.status_code == 404
    follow.refresh_from_db()
    assert follow.status == Follow.Status.PENDING


@pytest.mark.parametrize("answer", [accept_url, decline_url], ids=["accept", "decline"])
def test_a_request_answered_already_is_404(answer):
    me = UserFactory(private=True)
    follow = request_to(me)
    client = token_client(me)
    client.post(answer(follow))

    assert client.post(answer(follow)).status_code == 404


def test_an_accepted_follow_cannot_be_declined_as_a_request():
    me = UserFactory()
    follow = FollowFactory(following=me)

    assert token_client(me).post(decline_url(follow)).status_code == 404
    assert Follow.objects.filter(pk=follow.pk).exists()


@pytest.mark.parametrize(
    "call",
    [
        lambda client, follow: client.get(REQUESTS),
        lambda client, follow: client.post(accept_url(follow)),
        lambda client, follow: client.post(decline_url(follow)),
    ],
    ids=["list", "accept", "decline"],
)
def test_follow_requests_need_an_account(call):
    follow = request_to(UserFactory(private=True))

    assert call(APIClient(), follow).status_code == 401
    follow.refresh_from_db()
    assert follow.status == Follow.Status.PENDING
