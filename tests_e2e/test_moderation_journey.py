"""A moderator's journey in the admin: log in, open the queue, work a report (remove the post,
with a reason), and the post is gone from the site."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, UserFactory
from social.moderation.models import ModerationAction, Report
from social.moderation.reports import report_create
from social.tests.moderation_helpers import moderator_make, photo_post


@pytest.mark.django_db(transaction=True)
def test_a_moderator_removes_a_reported_post_from_the_queue(live_server, page, screenshots):
    author = UserFactory(username="giveaways")
    post = photo_post(author, 7, caption="Win a free phone! Send your password to enter")
    report, _ = report_create(
        reporter=UserFactory(username="careful"), reason="spam", text="Phishing", post=post
    )
    report_create(reporter=UserFactory(username="wary"), reason="spam", post=post)
    moderator_make(username="sam")

    page.goto("/admin/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    landing = page.locator("#moderation-module")
    expect(landing).to_contain_text("2 open reports")
    landing.get_by_role("link", name="Work the report queue").click()
    expect(page).to_have_url(re.compile(r"/admin/social/report/$"))
    # Two reports on one post: one row, which says so.
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("2 open reports on it")
    expect(rows.first).to_contain_text("Win a free phone!")
    # At 1280 px the whole queue shows, its Waiting and Status columns included.
    for header in ("waiting", "status_short"):
        expect(page.locator(f"#result_list thead th.column-{header}")).to_be_in_viewport(ratio=1)
    spill = page.evaluate(
        "document.querySelector('#result_list').getBoundingClientRect().right"
        " - document.querySelector('#changelist').getBoundingClientRect().right"
    )
    assert spill <= 0, f"the queue is {spill}px wider than its column"
    expect(rows.first).to_contain_text("@careful: “Phishing”")
    screenshots(page, "moderation-queue")

    rows.first.get_by_role("link", name=re.compile(rf"^#{report.pk}\b")).click()
    case = page.locator(".moderation-case")
    expect(case).to_contain_text("Send your password to enter")
    expect(case).to_contain_text("Other open reports on this post (1)")
    expect(case.locator(".moderation-images img")).to_have_count(1)
    screenshots(page, "moderation-report")

    case.get_by_role("button", name="Remove post").click()
    expect(page.get_by_role("heading", name="Remove content")).to_be_visible()
    page.get_by_label("Category").select_option("spam")
    page.get_by_label("Reason").fill("Phishing: asks for passwords")
    screenshots(page, "moderation-reason")
    page.get_by_role("button", name="Remove content").click()

    expect(page.locator(".messagelist")).to_contain_text("Remove content: done for Post")
    expect(page.locator(".moderation-case__status")).to_contain_text("Resolved (action taken)")
    expect(page.get_by_role("button", name="Restore post")).to_be_visible()

    gone = page.goto(f"/p/{post.pk}/")
    assert gone.status == 404
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.RESOLVED}
    entry = ModerationAction.objects.get()
    assert (entry.moderator.username, entry.reason) == ("sam", "Phishing: asks for passwords")
