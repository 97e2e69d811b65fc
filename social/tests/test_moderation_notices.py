"""Moderation that tells people, from the outside: the author hears of a removal or
suspension (category, a way to appeal), the appeal lands in the moderators' queue, the decision
comes back to the author; the reporter's notice names their report; a removed post's page tells
its author (only its author) why. Removed content never shows to anyone but its author."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from posts.services import comment_add
from social.moderation import services as moderation
from social.moderation.models import Appeal, ModerationAction
from social.moderation.reports import report_create
from social.notifications.models import Notification
from social.tests.moderation_helpers import moderator_make, photo_post

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action
APPEALS = reverse("admin:social_appeal_changelist")
CAPTION = "Free phones for everyone who sends a password"


@pytest.fixture
def moderator():
    return moderator_make(username="sam")


@pytest.fixture
def author():
    return UserFactory(username="giveaways", email="giveaways@example.com")


@pytest.fixture
def removed(committed, author, moderator):
    """A post of `author`, reported by @careful, removed for spam; the notices delivered."""
    post = photo_post(author, 3, caption=CAPTION)
    with committed():
        report, _ = report_create(
            reporter=UserFactory(username="careful"), reason="spam", post=post
        )
    with committed():
        action = moderation.post_remove(
            moderator=moderator, post=post, reason="Phishing ring", category="spam", report=report
        )
    return {"post": post, "action": action, "report": report}


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def api_as(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def decide(client, appeal, action):
    """Run an appeal action in the admin: the reason page, then the reason."""
    data = {"action": action, "_selected_action": [str(appeal.pk)], "index": "0"}
    first = client.post(APPEALS, data)
    assert "admin/moderation/reason.html" in [t.name for t in first.templates]
    data.pop("index")
    return client.post(APPEALS, {**data, "reason": "Looked again", "apply": "yes"})


# --- The author hears -------------------------------------------------------------------------


def test_the_author_is_told_their_post_was_removed_with_the_category_and_a_way_to_appeal(
    removed, author
):
    action = removed["action"]

    page = logged_in(author).get("/notifications/").text
    api = api_as(author).get("/api/v1/notifications/").json()["results"]

    assert f'Your post <span class="notification__quote">“{CAPTION[:20]}' in page
    assert "was removed for spam." in page
    assert reverse("social:appeal", args=[action.pk]) in page
    assert "Phishing ring" not in page  # the moderator's own reason stays in the audit log
    assert "sam" not in page
    (notice,) = [n for n in api if n["kind"] == "post_removed"]
    assert notice["moderation"]["category"] == "spam"
    assert notice["moderation"]["target_type"] == "post"
    assert notice["moderation"]["appeal_url"] == reverse("social:appeal", args=[action.pk])


def test_the_notice_is_written_once_however_often_its_task_runs(removed):
    from social.moderation.appeals import moderation_notice_send

    assert moderation_notice_send(action_id=removed["action"].pk) is False
    assert Notification.objects.filter(kind="post_removed").count() == 1


def test_the_reporters_notice_names_the_report_without_the_content(removed):
    report = removed["report"]

    page = logged_in(report.reporter).get("/notifications/").text
    api = api_as(report.reporter).get("/api/v1/notifications/").json()["results"]

    assert (
        f"Our moderators acted on your report #{report.pk} about a post by @giveaways (spam)."
        in page
    )
    assert CAPTION[:20] not in page
    (notice,) = api
    assert notice["report"] == {
        "id": report.pk,
        "target_type": "post",
        "target_owner": "giveaways",
        "reason": "spam",
        "reason_label": "Spam",
        "created_at": notice["report"]["created_at"],
    }
    assert notice["moderation"] is None


def test_a_removed_posts_link_tells_its_author_why_and_is_a_404_to_everyone_else(removed, author):
    url = f"/p/{removed['post'].pk}/"

    mine = logged_in(author).get(url)
    someone = logged_in(UserFactory()).get(url)
    reporter = logged_in(removed["report"].reporter).get(url)
    stranger = Client().get(url)

    assert mine.status_code == 200
    assert "This post was removed for spam" in mine.text
    assert reverse("social:appeal", args=[removed["action"].pk]) in mine.text
    for response in (someone, reporter, stranger):
        assert response.status_code == 404
        assert "removed for" not in response.text
        assert CAPTION[:20] not in response.text


# --- The appeal -------------------------------------------------------------------------------


def test_only_the_author_may_open_the_appeal_page(removed, author):
    url = reverse("social:appeal", args=[removed["action"].pk])

    mine = logged_in(author).get(url)
    others = [logged_in(UserFactory()).get(url), logged_in(removed["report"].reporter).get(url)]

    assert mine.status_code == 200
    assert CAPTION in mine.text
    assert 'for <strong class="moderation-category">spam</strong>' in mine.text
    for response in others:
        assert response.status_code == 404
        assert CAPTION[:20] not in response.text
    assert Client().get(url).status_code == 302  # to log in


def test_an_appeal_lands_in_the_queue_and_reversing_it_restores_the_post_and_tells_the_author(
    removed, author, moderator, committed
):
    post, action = removed["post"], removed["action"]
    author_client = logged_in(author)
    url = reverse("social:appeal", args=[action.pk])

    empty = author_client.post(url, {"text": "  "})
    sent = author_client.post(url, {"text": "It was a real giveaway by my shop."})
    again = author_client.post(url, {"text": "Please!"})

    assert empty.status_code == 400
    assert "Say why we should look again." in empty.text
    assert sent.status_code == 302
    assert again.status_code == 200  # the page says it is waiting, nothing more is stored
    appeal = Appeal.objects.get()
    assert (appeal.appellant, appeal.text, appeal.status) == (
        author,
        "It was a real giveaway by my shop.",
        Appeal.Status.OPEN,
    )
    mod_client = logged_in(moderator)
    index = mod_client.get(reverse("admin:index")).text
    queue = mod_client.get(APPEALS)
    assert "<strong>1</strong> open appeal" in index
    assert [a.pk for a in queue.context["cl"].result_list] == [appeal.pk]
    assert "It was a real giveaway" in queue.text

    with committed():
        decide(mod_client, appeal, "reverse_appeals")

    appeal.refresh_from_db()
    post.refresh_from_db()
    assert appeal.status == Appeal.Status.REVERSED
    assert appeal.decided_by == moderator
    assert post.removed_at is None
    assert list(
        ModerationAction.objects.filter(appeal=appeal).values_list("action", flat=True)
    ) == [Action.REVERSE_APPEAL]
    assert ModerationAction.objects.filter(action=Action.RESTORE_POST, post=post).exists()
    told = author_client.get("/notifications/").text
    assert "reversed their decision: your post is back." in told
    assert author_client.get(f"/p/{post.pk}/").status_code == 200
    assert "kept their decision" not in told


def test_upholding_an_appeal_keeps_the_post_removed_and_tells_the_author(
    removed, author, moderator, committed
):
    from social.moderation.appeals import appeal_create

    appeal = appeal_create(appellant=author, action=removed["action"], text="Mistake")
    with committed():
        decide(logged_in(moderator), appeal, "uphold_appeals")

    appeal.refresh_from_db()
    removed["post"].refresh_from_db()
    assert appeal.status == Appeal.Status.UPHELD
    assert removed["post"].removed_at is not None
    page = logged_in(author).get("/notifications/").text
    assert "Our moderators looked again at your appeal and kept their decision (spam)." in page
    again = logged_in(moderator).post(
        APPEALS,
        {
            "action": "reverse_appeals",
            "_selected_action": [str(appeal.pk)],
            "reason": "x",
            "apply": "yes",
        },
    )
    assert again.status_code == 302
    removed["post"].refresh_from_db()
    assert removed["post"].removed_at is not None  # already decided: nothing ran


def test_a_removed_comments_author_is_told_and_only_they_see_the_comment_on_the_appeal_page(
    committed, author, moderator
):
    post = photo_post(UserFactory(username="host"), 4)
    with committed():
        comment = comment_add(author=author, post=post, text="Click my link for free stuff")
    with committed():
        action = moderation.comment_remove(
            moderator=moderator, comment=comment, reason="spam link", category="spam"
        )
    url = reverse("social:appeal", args=[action.pk])

    page = logged_in(author).get("/notifications/").text
    assert "Your comment" in page
    assert "was removed for spam." in page
    assert "Click my link for free stuff" in logged_in(author).get(url).text
    host = logged_in(post.author).get(url)
    assert host.status_code == 404
    assert "Click my link" not in host.text


# --- A suspended account ----------------------------------------------------------------------


def test_a_suspended_account_is_mailed_a_signed_link_that_works_without_a_session(
    committed, author, moderator
):
    with committed():
        action = moderation.user_suspend(
            moderator=moderator, user=author, reason="Phishing ring", category="spam"
        )

    (message,) = [m for m in mail.outbox if m.to == [author.email]]
    assert "suspended your account @giveaways for spam" in message.body
    assert "Phishing ring" not in message.body
    link = re.search(r"https?://[^/\s]+(/moderation/appeal/\S+/)", message.body).group(1)

    anonymous = Client()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "Your account was suspended" in page.text
    sent = anonymous.post(link, {"text": "I was hacked."})
    assert sent.status_code == 302
    appeal = Appeal.objects.get()
    assert (appeal.action, appeal.appellant) == (action, author)
    assert "A moderator will look again" in anonymous.get(link).text

    with committed():
        decide(logged_in(moderator), appeal, "reverse_appeals")
    author.refresh_from_db()
    assert author.suspended_at is None
    assert any(m.subject == "Your Shutter account is back" for m in mail.outbox)


def test_a_forged_or_altered_appeal_link_is_invalid(committed, author, moderator):
    with committed():
        moderation.user_suspend(moderator=moderator, user=author, reason="x", category="spam")
    link = re.search(r"(/moderation/appeal/\S+/)", mail.outbox[-1].body).group(1)

    altered = Client().get(link[:-3] + "xx/")
    forged = Client().get("/moderation/appeal/1/")

    for response in (altered, forged):
        assert response.status_code == 404
        assert "This link is invalid" in response.text
    assert Client().post(link[:-3] + "xx/", {"text": "hi"}).status_code == 404
    assert not Appeal.objects.exists()


def test_the_refused_log_in_says_why_and_links_the_appeal_only_with_the_right_password(
    author, moderator
):
    moderation.user_suspend(moderator=moderator, user=author, reason="x", category="harassment")

    right = Client().post(
        reverse("accounts:login"), {"username": author.username, "password": PASSWORD}
    )
    wrong = Client().post(
        reverse("accounts:login"), {"username": author.username, "password": "not-it"}
    )

    assert right.status_code == 400
    assert "suspended this account for harassment or bullying" in right.text
    link = re.search(r'href="(/moderation/appeal/[^"]+/)"', right.text).group(1)
    assert Client().get(link).status_code == 200
    assert "/moderation/appeal/" not in wrong.text
    assert "harassment" not in wrong.text


def test_the_api_appeals_a_removal_once_and_only_for_its_author(removed, author):
    url = f"/api/v1/moderation/{removed['action'].pk}/appeal/"
    mine = api_as(author)

    before = mine.get(url)
    blank = mine.post(url, {"text": ""}, format="json")
    sent = mine.post(url, {"text": "Real giveaway"}, format="json")
    again = mine.post(url, {"text": "Please"}, format="json")
    other = api_as(removed["report"].reporter).post(url, {"text": "x"}, format="json")
    read = mine.get(url)

    assert before.status_code == 404
    assert blank.status_code == 400
    assert sent.status_code == 201
    assert sent.json()["status"] == "open"
    assert again.status_code == 400
    assert other.status_code == 404
    assert api_as(removed["report"].reporter).get(url).status_code == 404
    assert read.json() == sent.json()
    assert Appeal.objects.count() == 1


def test_the_notifications_page_costs_the_same_queries_for_1_or_6_moderation_notices(
    committed, author, moderator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seeds = iter(range(20, 40))

    def remove_one():
        # Each a different photo: a removed one is banned.
        post = photo_post(author, next(seeds), caption="Another")
        with committed():
            report, _ = report_create(reporter=UserFactory(), reason="spam", post=post)
        with committed():
            moderation.post_remove(moderator=moderator, post=post, reason="x", report=report)

    client = logged_in(author)
    remove_one()
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    for _ in range(5):
        remove_one()
    with CaptureQueriesContext(connection) as many:
        page = client.get("/notifications/")

    assert page.text.count('data-moderation-notice="post_removed"') == 6
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_removed_post_its_author_deleted_can_no_longer_be_appealed(removed, author):
    from posts.services import post_delete

    post_delete(actor=author, post=removed["post"])
    url = reverse("social:appeal", args=[removed["action"].pk])

    page = logged_in(author).get(url)
    sent = logged_in(author).post(url, {"text": "Please"})

    assert "This post no longer exists." in page.text
    assert sent.status_code == 400
    assert not Appeal.objects.exists()
