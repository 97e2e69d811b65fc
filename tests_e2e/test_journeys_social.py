"""Journeys between people: notifications of likes and comments, private accounts, blocks."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from social.graph.services import follow_create


def _feed_card(tab, alt):
    """The feed's card of the post whose photo has this alt text."""
    return tab.locator("article.post").filter(has=tab.get_by_role("img", name=alt))


@pytest.mark.django_db(transaction=True)
def test_a_like_and_a_comment_reach_the_author_as_a_badge_and_notifications(
    live_server, open_page, log_in, share
):
    author = UserFactory(username="ines", email="ines@example.com")
    post = share(author, caption="Morning market", alt_texts=["Crates of oranges at a stall"])
    fan = UserFactory(username="theo")

    visitor = open_page()
    log_in(visitor, fan)
    visitor.goto(f"/p/{post.pk}/")
    visitor.get_by_role("button", name="Like").click()
    expect(visitor.locator(f'[data-like-summary="{post.pk}"]')).to_have_text("1 like")
    visitor.get_by_label("Add a comment").fill("What a colour!")
    visitor.get_by_role("button", name="Post", exact=True).click()
    expect(visitor.locator(".comments")).to_contain_text("theo What a colour!")

    # The author logs in on another device, with their email address.
    mine = open_page()
    mine.goto("/accounts/login/")
    mine.get_by_label("Username or email").fill("ines@example.com")
    mine.get_by_label("Password").fill(PASSWORD)
    mine.get_by_role("button", name="Log in").click()
    expect(mine).to_have_url(live_server.url + "/")
    expect(mine.locator("[data-unread-badge]")).to_have_text("2")
    notifications_tab = mine.get_by_role("link", name="Notifications, 2 unread")
    expect(notifications_tab).to_be_visible()

    notifications_tab.click()
    expect(mine).to_have_url(live_server.url + "/notifications/")
    rows = mine.locator(".notification")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="theo liked your post")).to_have_count(1)
    expect(rows.filter(has_text="commented on your post: What a colour!")).to_have_count(1)
    expect(mine.locator(".notification.is-unread")).to_have_count(2)
    # Opened: they are read, and the badge goes at once, here and on every other page.
    expect(mine.locator("[data-unread-badge]")).to_have_count(0)
    mine.get_by_role("link", name="Home", exact=True).click()
    expect(mine).to_have_url(live_server.url + "/")
    expect(mine.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(mine.locator("[data-unread-badge]")).to_have_count(0)
    mine.reload()
    expect(mine.locator("[data-unread-badge]")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_a_private_accounts_posts_show_once_the_owner_accepts_the_follow_request(
    live_server, open_page, log_in, share
):
    owner = UserFactory(username="mara", private=True)
    post = share(owner, caption="Private garden", alt_texts=["Tomatoes on the vine"])
    requester = UserFactory(username="jon")

    asking = open_page()
    log_in(asking, requester)
    asking.goto("/u/mara/")
    expect(asking.locator("[data-private-lock]")).to_contain_text("This account is private")
    expect(asking.get_by_role("img", name="Tomatoes on the vine")).to_have_count(0)
    asking.get_by_role("button", name="Follow mara").click()
    expect(asking.get_by_role("button", name=re.compile(r"^Requested"))).to_be_visible()
    asking.reload()
    expect(asking.locator("[data-private-lock]")).to_contain_text("Your follow request is waiting")
    assert asking.goto(f"/p/{post.pk}/").status == 404

    answering = open_page()
    log_in(answering, owner)
    answering.goto("/")
    answering.get_by_label("More", exact=True).click()
    answering.get_by_role("link", name="Follow requests").click()
    expect(answering).to_have_url(live_server.url + "/requests/")
    answering.get_by_role("button", name="Confirm jon").click()
    expect(answering.locator(".user-list")).to_contain_text("Request confirmed")

    asking.goto("/u/mara/")
    expect(asking.get_by_role("button", name=re.compile(r"^Following"))).to_be_visible()
    expect(asking.locator("[data-private-lock]")).to_have_count(0)
    tile = asking.locator(".grid").get_by_role("link", name="Tomatoes on the vine")
    tile.click()
    expect(asking).to_have_url(live_server.url + f"/p/{post.pk}/")
    expect(asking.locator("[data-caption]")).to_contain_text("Private garden")


@pytest.mark.django_db(transaction=True)
def test_after_a_block_neither_sees_the_others_profile_posts_or_feed_entries(
    live_server, open_page, log_in, share
):
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    follow_create(follower=ana, following=ben)
    follow_create(follower=ben, following=ana)
    anas = share(ana, caption="Ana's bike", alt_texts=["A red bicycle against a wall"])
    bens = share(ben, caption="Ben's cat", alt_texts=["A grey cat asleep on a chair"])

    blocker = open_page()
    log_in(blocker, ana)
    blocker.goto("/")
    expect(_feed_card(blocker, "A grey cat asleep on a chair")).to_have_count(1)
    blocker.goto("/u/ben/")
    blocker.get_by_label("More options for ben").click()
    blocker.get_by_role("link", name="Block").click()
    expect(blocker.get_by_role("heading", name="Block ben?")).to_be_visible()
    blocker.get_by_role("button", name="Block ben").click()

    expect(blocker).to_have_url(live_server.url + "/")
    expect(blocker.get_by_role("status")).to_contain_text("You blocked ben")
    expect(_feed_card(blocker, "A red bicycle against a wall")).to_have_count(1)
    expect(_feed_card(blocker, "A grey cat asleep on a chair")).to_have_count(0)
    response = blocker.goto("/u/ben/")
    assert response.status == 404
    expect(blocker.get_by_role("heading", name="You blocked ben")).to_be_visible()
    assert blocker.goto(f"/p/{bens.pk}/").status == 404
    expect(blocker.get_by_role("img", name="A grey cat asleep on a chair")).to_have_count(0)

    blocked = open_page()
    log_in(blocked, ben)
    assert blocked.goto("/u/ana/").status == 404
    expect(blocked.get_by_role("button", name="Unblock ana")).to_have_count(0)
    assert blocked.goto(f"/p/{anas.pk}/").status == 404
    blocked.goto("/")
    expect(_feed_card(blocked, "A grey cat asleep on a chair")).to_have_count(1)
    expect(_feed_card(blocked, "A red bicycle against a wall")).to_have_count(0)
    # The block ended both follows.
    blocked.goto("/u/ben/")
    expect(blocked.locator(".profile__counts")).to_contain_text("0 followers")
    expect(blocked.locator(".profile__counts")).to_contain_text("0 following")
