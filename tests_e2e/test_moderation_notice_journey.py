"""The author's side of moderation, in a browser: their post is removed, they are told why on
their notifications, its link tells them (and only them) why, they appeal, a moderator reverses
the removal in the admin's appeals queue, and they are told the post is back. A suspended
account, which can't sign in, hears why at the log-in and appeals through the link it gets.
Screenshots of the notice and the removed post's page, light and dark, desktop and phone."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from social.moderation import services as moderation
from social.moderation.models import Appeal
from social.moderation.reports import report_create
from social.tests.moderation_helpers import moderator_make

SCHEMES = ("light", "dark")


def admin_log_in(tab, username):
    tab.goto("/admin/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_an_author_is_told_appeals_and_gets_the_post_back(
    live_server, open_page, log_in, share, screenshots
):
    author = UserFactory(username="giveaways")
    post = share(author, caption="Win a phone! Follow and share #giveaway")
    report, _ = report_create(reporter=UserFactory(username="careful"), reason="spam", post=post)
    moderator = moderator_make(username="sam")
    moderation.post_remove(
        moderator=moderator, post=post, reason="Looks like a scam", category="spam", report=report
    )

    mine = open_page()
    log_in(mine, author)
    mine.goto("/notifications/")
    notice = mine.locator('[data-moderation-notice="post_removed"]')
    expect(notice).to_contain_text("Your post")
    expect(notice).to_contain_text("was removed for spam.")
    expect(notice).not_to_contain_text("Looks like a scam")
    for scheme in SCHEMES:
        mine.emulate_media(color_scheme=scheme)
        screenshots(mine, f"moderation-notice-{scheme}")
    mine.emulate_media(color_scheme="light")

    # Its link: the author is told why; anyone else gets the 404 every removed post gets.
    mine.goto(f"/p/{post.pk}/")
    expect(mine.get_by_role("heading", name="This post was removed for spam")).to_be_visible()
    for scheme in SCHEMES:
        mine.emulate_media(color_scheme=scheme)
        screenshots(mine, f"moderation-removed-post-{scheme}")
    mine.emulate_media(color_scheme="light")
    other = open_page()
    log_in(other, report.reporter)
    assert other.goto(f"/p/{post.pk}/").status == 404
    expect(other.locator("body")).not_to_contain_text("Win a phone")

    mine.get_by_role("link", name="Ask for a review").click()
    expect(mine.locator("blockquote")).to_contain_text("Win a phone!")
    mine.get_by_label("Why should we look again?").fill("It's a real giveaway from my shop.")
    mine.get_by_role("button", name="Send appeal").click()
    expect(mine.locator("[data-appeal-status]")).to_contain_text("A moderator will look again")

    desk = open_page()
    admin_log_in(desk, "sam")
    expect(desk.locator("#moderation-module")).to_contain_text("1 open appeal")
    desk.get_by_role("link", name=re.compile("open appeal")).click()
    row = desk.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("It's a real giveaway")
    row.locator("input.action-select").check()
    desk.locator("select[name=action]").select_option("reverse_appeals")
    desk.get_by_role("button", name="Run").click()
    desk.get_by_label("Reason").fill("A real giveaway, checked with the shop")
    desk.get_by_role("button", name="Reverse on appeal").click()
    expect(desk.locator(".messagelist")).to_contain_text("Reverse on appeal: done")

    mine.goto("/notifications/")
    expect(mine.locator('[data-moderation-notice="appeal_reversed"]')).to_contain_text(
        "your post is back"
    )
    assert mine.goto(f"/p/{post.pk}/").status == 200
    assert Appeal.objects.get().status == Appeal.Status.REVERSED


@pytest.mark.django_db(transaction=True)
def test_a_suspended_account_hears_why_at_log_in_and_appeals_without_a_session(live_server, page):
    member = UserFactory(username="loudmouth")
    moderation.user_suspend(
        moderator=moderator_make(username="sam"),
        user=member,
        reason="Insults in comments",
        category="harassment",
    )

    page.goto("/accounts/login/")
    page.get_by_label("Username or email").fill("loudmouth")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("[data-suspension]")).to_contain_text(
        "suspended this account for harassment or bullying"
    )
    page.get_by_role("link", name="Ask for a review").click()
    expect(page.get_by_role("heading", name="Your account was suspended")).to_be_visible()
    page.get_by_label("Why should we look again?").fill("Someone else used my phone.")
    page.get_by_role("button", name="Send appeal").click()
    expect(page.locator("[data-appeal-status]")).to_contain_text("A moderator will look again")
    assert Appeal.objects.get().appellant == member
