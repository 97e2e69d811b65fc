"""Whom I blocked and whom I muted: listed in settings, each with Unblock or Unmute (POST forms
that work without scripts), and the same lists in the API."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from social.graph.models import Block, Mute
from social.graph.services import block_create, mute_create

pytestmark = pytest.mark.django_db
BLOCKED = reverse("social:blocked")
MUTED = reverse("social:muted")


@pytest.fixture
def me():
    return UserFactory(username="me")


@pytest.fixture
def scene(me):
    troll, spammer, loud, chatty = (
        UserFactory(username=name) for name in ("troll", "spammer", "loud", "chatty")
    )
    block_create(blocker=me, blocked=troll)
    block_create(blocker=me, blocked=spammer)
    mute_create(muter=me, muted=loud)
    mute_create(muter=me, muted=chatty)
    # Not mine: someone else's block and mute, and a block of me.
    stranger = UserFactory(username="stranger")
    block_create(blocker=stranger, blocked=loud)
    mute_create(muter=stranger, muted=chatty)
    block_create(blocker=UserFactory(username="hater"), blocked=me)
    return {"troll": troll, "spammer": spammer, "loud": loud, "chatty": chatty}


def names(html, marker):
    section = html.split(marker, 1)[1].split("</ul>", 1)[0]
    return [part.split("<", 1)[0] for part in section.split('class="username">')[1:]]


def test_settings_link_to_the_blocked_and_muted_lists(client, me):
    client.force_login(me)

    page = client.get(reverse("accounts:settings")).text

    assert f'href="{BLOCKED}"' in page
    assert f'href="{MUTED}"' in page


def test_the_lists_show_whom_i_blocked_and_muted_newest_first(client, me, scene):
    client.force_login(me)

    blocked = client.get(BLOCKED)
    muted = client.get(MUTED)

    assert blocked.status_code == muted.status_code == 200
    assert names(blocked.text, "data-blocked-list") == ["spammer", "troll"]
    assert names(muted.text, "data-muted-list") == ["chatty", "loud"]
    assert "hater" not in blocked.text
    assert reverse("social:unblock", args=["troll"]) in blocked.text
    assert reverse("social:unmute", args=["loud"]) in muted.text
    assert 'name="csrfmiddlewaretoken"' in blocked.text


def test_unblock_and_unmute_from_the_lists_come_back_to_them(client, me, scene):
    client.force_login(me)

    unblocked = client.post(reverse("social:unblock", args=["troll"]), {"next": BLOCKED})
    unmuted = client.post(reverse("social:unmute", args=["loud"]), {"next": MUTED})

    assert unblocked["Location"] == BLOCKED
    assert unmuted["Location"] == MUTED
    assert not Block.objects.filter(blocker=me, blocked=scene["troll"]).exists()
    assert not Mute.objects.filter(muter=me, muted=scene["loud"]).exists()
    assert names(client.get(BLOCKED).text, "data-blocked-list") == ["spammer"]
    assert names(client.get(MUTED).text, "data-muted-list") == ["chatty"]


def test_the_unblock_form_needs_its_csrf_token(me, scene):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(me)

    response = client.post(reverse("social:unblock", args=["troll"]), {"next": BLOCKED})

    assert response.status_code == 403
    assert Block.objects.filter(blocker=me, blocked=scene["troll"]).exists()


def test_empty_lists_say_so_and_the_pages_need_a_login(client, me):
    assert client.get(BLOCKED).status_code == 302
    client.force_login(me)

    assert "blocked anyone" in client.get(BLOCKED).text
    assert "muted anyone" in client.get(MUTED).text


def test_suspended_accounts_leave_the_lists(client, me, scene):
    scene["troll"].__class__.objects.filter(pk=scene["troll"].pk).update(
        suspended_at=timezone.now()
    )
    client.force_login(me)

    assert names(client.get(BLOCKED).text, "data-blocked-list") == ["spammer"]


def test_the_block_page_points_to_the_blocked_list_not_the_profile_address(client, me):
    UserFactory(username="someone")
    client.force_login(me)

    page = client.get(reverse("social:block", args=["someone"])).text

    assert "profile address" not in page
    assert BLOCKED in page


def test_the_api_lists_whom_i_blocked_and_muted(me, scene):
    api = APIClient()
    api.force_authenticate(me)

    blocks = api.get("/api/v1/blocks/")
    mutes = api.get("/api/v1/mutes/")

    assert blocks.status_code == mutes.status_code == 200
    assert [b["user"]["username"] for b in blocks.json()["results"]] == ["spammer", "troll"]
    assert [m["user"]["username"] for m in mutes.json()["results"]] == ["chatty", "loud"]
    assert set(blocks.json()["results"][0]) == {"user", "created_at"}
    api.delete("/api/v1/users/troll/block/")
    assert [b["user"]["username"] for b in api.get("/api/v1/blocks/").json()["results"]] == [
        "spammer"
    ]
    assert APIClient().get("/api/v1/blocks/").status_code == 401


@pytest.mark.parametrize("url", [BLOCKED, MUTED])
def test_a_list_costs_the_same_queries_for_2_or_12_accounts(client, me, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(n):
        for _ in range(n):
            person = UserFactory()
            if url == BLOCKED:
                block_create(blocker=me, blocked=person)
            else:
                mute_create(muter=me, muted=person)

    client.force_login(me)
    add(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(10)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_every_list_of_my_mutes_and_blocks_applies_the_same_rule(me, scene):
    # A muted account that then blocked me: the unmute action can't find it, so no list shows
    # it (page, Shutter's API, the Mastodon API); the blocked lists agree with each other too.
    block_create(blocker=scene["loud"], blocked=me)
    api = APIClient()
    api.force_authenticate(me)

    shutter_mutes = [m["user"]["username"] for m in api.get("/api/v1/mutes/").json()["results"]]
    mastodon_mutes = [a["username"] for a in api.get("/api/v1/mutes").json()]
    shutter_blocks = [b["user"]["username"] for b in api.get("/api/v1/blocks/").json()["results"]]
    mastodon_blocks = [a["username"] for a in api.get("/api/v1/blocks").json()]

    assert shutter_mutes == mastodon_mutes == ["chatty"]
    assert shutter_blocks == mastodon_blocks == ["spammer", "troll"]
