"""Follow, unfollow, block, unblock, mute and unmute from the pages: forms without scripts,
JSON for app.js, and the same rules either way."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from social.graph.models import Block, Follow, Mute
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def act(viewer, name, target, *, json=False, next="/notifications/", client=None):
    client = client or Client()
    if viewer is not None:
        client.force_login(viewer)
    url = reverse(f"social:{name}", args=[target.username])
    return client.post(url, {"next": next}, **(JSON if json else {}))


def follow_row(follower, following):
    return Follow.objects.filter(follower=follower, following=following).first()


# --- Follow and unfollow -----------------------------------------------------------------------


def test_following_a_public_account_goes_back_to_the_page_with_a_message():
    me, them = UserFactory(), UserFactory()

    response = act(me, "follow", them)

    assert response.status_code == 302
    assert response["Location"] == "/notifications/"
    assert follow_row(me, them).status == Follow.Status.ACCEPTED
    assert messages_of(response) == [f"You're following {them.username}"]


def test_follows_over_the_follow_rate_are_429_and_count_with_the_apis(tight_rate):
    tight_rate("follow", "2/hour")
    me = UserFactory()
    client = Client()
    client.force_login(me)
    api = APIClient()
    api.force_authenticate(me)
    first, second, third = UserFactory.create_batch(3)

    by_api = api.post(reverse("api:user-follow", args=[first.username])).status_code
    by_page = act(me, "follow", second, client=client).status_code
    refused = act(me, "follow", third, client=client)

    assert (by_api, by_page) == (200, 302)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert follow_row(me, third) is None


def test_following_answers_scripts_with_the_state_and_count():
    me, them = UserFactory(), UserFactory()

    response = act(me, "follow", them, json=True)

    assert response.status_code == 200
    assert response.json() == {"state": "accepted", "follower_count": 1}
    assert messages_of(response) == []


def test_following_a_private_account_sends_a_request():
    me, them = UserFactory(), UserFactory(is_private=True)

    page = act(me, "follow", them)
    script = act(me, "follow", them, json=True)

    assert follow_row(me, them).status == Follow.Status.PENDING
    assert messages_of(page) == [f"Follow request sent to {them.username}"]
    assert script.json() == {"state": "pending", "follower_count": 0}


def test_following_twice_counts_once():
    me, them = UserFactory(), UserFactory()

    act(me, "follow", them)
    response = act(me, "follow", them, json=True)

    assert response.json() == {"state": "accepted", "follower_count": 1}
    assert User.objects.get(pk=them.pk).follower_count == 1


def test_unfollowing():
    me, them = UserFactory(), UserFactory()
    act(me, "follow", them)

    response = act(me, "unfollow", them)

    assert follow_row(me, them) is None
    assert User.objects.get(pk=them.pk).follower_count == 0
    assert messages_of(response) == [f"You unfollowed {them.username}"]
    assert act(me, "unfollow", them, json=True).json() == {"state": "", "follower_count": 0}


def test_withdrawing_a_request_says_so():
    me, them = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=me, following=them, status=Follow.Status.PENDING)

    response = act(me, "unfollow", them)

    assert follow_row(me, them) is None
    assert messages_of(response) == [f"You withdrew your follow request to {them.username}"]


def test_without_next_an_action_goes_back_to_the_profile():
    me, them = UserFactory(), UserFactory()

    response = act(me, "follow", them, next="")

    assert response["Location"] == reverse("accounts:profile", args=[them.username])


def test_a_next_on_another_site_is_ignored():
    me, them = UserFactory(), UserFactory()

    response = act(me, "follow", them, next="https://evil.example/")

    assert response["Location"] == reverse("accounts:profile", args=[them.username])


def test_following_myself_is_refused_with_a_message_or_a_400():
    me = UserFactory()

    page = act(me, "follow", me)
    script = act(me, "follow", me, json=True)

    assert page.status_code == 302
    assert messages_of(page) == ["You can't follow yourself."]
    assert script.status_code == 400
    assert script.json() == {"following": ["You can't follow yourself."]}
    assert not Follow.objects.exists()


@pytest.mark.parametrize("direction", ["they-blocked-me", "i-blocked-them"])
def test_following_across_a_block_is_a_404(direction):
    me, them = UserFactory(), UserFactory()
    if direction == "they-blocked-me":
        BlockFactory(blocker=them, blocked=me)
    else:
        BlockFactory(blocker=me, blocked=them)

    assert act(me, "follow", them).status_code == 404
    assert act(me, "follow", them, json=True).json() == {"detail": "Not found."}
    assert not Follow.objects.exists()


# --- Who may call them, and how ----------------------------------------------------------------

ACTIONS = ["follow", "unfollow", "block", "unblock", "mute", "unmute"]


@pytest.mark.parametrize("name", ACTIONS)
def test_visitors_are_sent_to_log_in_and_back_to_their_page(name):
    them = UserFactory()

    page = act(None, name, them, next="/u/somebody/")
    script = act(None, name, them, json=True)

    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=/u/somebody/"
    assert script.status_code == 401
    assert not (Follow.objects.exists() or Block.objects.exists() or Mute.objects.exists())


@pytest.mark.parametrize("name", ["follow", "unfollow", "unblock", "mute", "unmute"])
def test_actions_refuse_get(name):
    me, them = UserFactory(), UserFactory()
    client = Client()
    client.force_login(me)

    response = client.get(reverse(f"social:{name}", args=[them.username]))

    assert response.status_code == 405


@pytest.mark.parametrize("name", ACTIONS)
def test_actions_need_the_csrf_token(name):
    me, them = UserFactory(), UserFactory()
    client = Client(enforce_csrf_checks=True)

    response = act(me, name, them, client=client)

    assert response.status_code == 403
    assert not (Follow.objects.exists() or Block.objects.exists() or Mute.objects.exists())


# --- Block and unblock -------------------------------------------------------------------------


def test_blocking_asks_first_on_a_page_of_its_own():
    me, them = UserFactory(), UserFactory()
    client = Client()
    client.force_login(me)

    response = client.get(reverse("social:block", args=[them.username]))

    assert response.status_code == 200
    assert f"Block {them.username}?" in response.text
    assert f'action="/u/{them.username}/block/"' in response.text
    assert not Block.objects.exists()


def test_the_block_page_of_someone_i_blocked_offers_to_unblock():
    me, them = UserFactory(), UserFactory()
    BlockFactory(blocker=me, blocked=them)
    client = Client()
    client.force_login(me)

    response = client.get(reverse("social:block", args=[them.username]))

    assert response.status_code == 200
    assert f"You blocked {them.username}" in response.text
    assert f'action="/u/{them.username}/unblock/"' in response.text
    assert f'action="/u/{them.username}/block/"' not in response.text


def test_the_block_page_needs_a_login(client):
    them = UserFactory()
    url = reverse("social:block", args=[them.username])

    response = client.get(url)

    assert response["Location"] == f"/accounts/login/?next={url}"


def test_the_block_page_of_someone_who_blocked_me_is_a_404():
    me, them = UserFactory(), UserFactory()
    BlockFactory(blocker=them, blocked=me)
    client = Client()
    client.force_login(me)

    assert client.get(reverse("social:block", args=[them.username])).status_code == 404


def test_blocking_ends_follows_both_ways_and_hides_the_profile():
    me, them = UserFactory(), UserFactory()
    FollowFactory(follower=me, following=them)
    FollowFactory(follower=them, following=me)
    client = Client()
    client.force_login(me)

    response = client.post(reverse("social:block", args=[them.username]))

    assert response["Location"] == "/"
    assert Block.objects.filter(blocker=me, blocked=them).exists()
    assert not Follow.objects.exists()
    assert messages_of(response) == [f"You blocked {them.username}. They won't be told."]
    assert client.get(reverse("accounts:profile", args=[them.username])).status_code == 404


def test_blocking_answers_scripts():
    me, them = UserFactory(), UserFactory()

    response = act(me, "block", them, json=True)

    assert response.json() == {"is_blocking": True}


def test_unblocking_from_the_blocked_profile():
    me, them = UserFactory(), UserFactory()
    BlockFactory(blocker=me, blocked=them)
    profile = reverse("accounts:profile", args=[them.username])

    response = act(me, "unblock", them, next=profile)

    assert response["Location"] == profile
    assert not Block.objects.exists()
    assert messages_of(response) == [f"You unblocked {them.username}"]
    assert act(me, "unblock", them, json=True).json() == {"is_blocking": False}


def test_someone_blocked_cannot_unblock_themselves():
    me, them = UserFactory(), UserFactory()
    BlockFactory(blocker=them, blocked=me)

    response = act(me, "unblock", them)

    assert response.status_code == 404
    assert Block.objects.filter(blocker=them, blocked=me).exists()


# --- Mute and unmute ---------------------------------------------------------------------------


def test_muting_and_unmuting():
    me, them = UserFactory(), UserFactory()

    muted = act(me, "mute", them)
    assert Mute.objects.filter(muter=me, muted=them).exists()
    assert messages_of(muted) == [
        f"You muted {them.username}. Their posts leave your feed; they won't be told."
    ]
    unmuted = act(me, "unmute", them)

    assert not Mute.objects.exists()
    assert messages_of(unmuted) == [f"You unmuted {them.username}"]


def test_muting_answers_scripts():
    me, them = UserFactory(), UserFactory()
    MuteFactory(muter=me, muted=UserFactory())

    assert act(me, "mute", them, json=True).json() == {"is_muting": True}
    assert act(me, "unmute", them, json=True).json() == {"is_muting": False}
