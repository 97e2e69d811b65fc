"""The moderation admin through the test client: who gets in, the report queue (order,
filters, search, the content inline), every action single and bulk with its reason page and
its undo, the audit log, and changelists whose query count doesn't grow with the rows."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from posts.services import comment_add
from posts.tests.factories import CommentFactory, PostFactory
from social.moderation import services as moderation
from social.moderation.models import ModerationAction, Report
from social.notifications.models import Notification
from social.tests.factories import ReportFactory
from social.tests.moderation_helpers import moderator_make, photo_post

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action
QUEUE = reverse("admin:social_report_changelist")
AUDIT = reverse("admin:social_moderationaction_changelist")


@pytest.fixture
def moderator():
    return moderator_make(username="sam")


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def report_page(report):
    return reverse("admin:social_report_change", args=[report.pk])


def post_report(post=None, **fields):
    return ReportFactory(user=None, post=post or PostFactory(), **fields)


def aged(report, **ago):
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(**ago))
    return report


def listed(response):
    return [obj.pk for obj in response.context["cl"].result_list]


def act(client, url, action, pks, *, reason=None, field="action", category="spam"):
    """Run an admin action: the first POST shows the reason page; with `reason`, the second
    POST (what the reason page sends) runs it."""
    data = {field: action, "_selected_action": [str(pk) for pk in pks]}
    if field == "action":
        data["index"] = "0"
    first = client.post(url, data)
    if reason is None or not asked_for_reason(first):
        return first
    data.pop("index", None)
    return client.post(url, {**data, "reason": reason, "category": category, "apply": "yes"})


def asked_for_reason(response):
    return response.status_code == 200 and "admin/moderation/reason.html" in [
        t.name for t in response.templates
    ]


def messages_of(client, response):
    return [str(m) for m in client.get(response["Location"]).context["messages"]]


# --- Who gets in ------------------------------------------------------------------------------


def test_a_moderator_lands_on_the_queue_summary_and_opens_every_moderation_page(mod_client):
    aged(post_report(), days=2)
    post_report()

    index = mod_client.get(reverse("admin:index"))

    assert index.status_code == 200
    assert "<strong>2</strong> open reports; the oldest has waited 2\xa0days" in index.text
    assert QUEUE in index.text
    for name in (
        "social_report",
        "social_moderationaction",
        "social_bannedimage",
        "posts_post",
        "posts_comment",
        "accounts_user",
    ):
        assert mod_client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name


@pytest.mark.parametrize(
    "make", [lambda: UserFactory(is_staff=True), lambda: UserFactory()], ids=["staff", "member"]
)
def test_someone_who_is_not_a_moderator_gets_nothing(client, make):
    report = post_report()
    client.force_login(make())

    pages = [QUEUE, report_page(report), AUDIT, reverse("admin:social_bannedimage_changelist")]

    for url in pages:
        assert client.get(url).status_code in (302, 403), url
    response = act(client, QUEUE, "remove_content", [report.pk], reason="spam")
    assert response.status_code in (302, 403)
    assert not asked_for_reason(response)
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    assert report.post.removed_at is None
    assert 'id="moderation-module"' not in client.get(reverse("admin:index")).text


def test_staff_who_may_view_reports_but_not_moderate_get_no_actions(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_report"))
    report = post_report()
    client.force_login(viewer)

    queue = client.get(QUEUE)
    response = act(client, QUEUE, "remove_content", [report.pk], reason="spam")

    assert queue.status_code == 200
    assert "remove_content" not in queue.text
    assert not asked_for_reason(response)
    report.refresh_from_db()
    assert report.post.removed_at is None


def test_moderators_cannot_edit_accounts_passwords_groups_or_reports(mod_client, moderator):
    member = UserFactory(username="member")
    report = post_report()
    change_user = reverse("admin:accounts_user_change", args=[member.pk])

    assert mod_client.get(change_user).status_code == 200  # they may look
    assert mod_client.post(change_user, {"username": "renamed"}).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[member.pk])
    assert mod_client.get(password).status_code == 403
    assert mod_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert mod_client.get(reverse("admin:accounts_user_add")).status_code == 403
    assert mod_client.post(report_page(report), {"status": "dismissed"}).status_code == 403
    assert mod_client.get(reverse("admin:social_report_add")).status_code == 403
    member.refresh_from_db()
    moderator.refresh_from_db()
    assert member.username == "member"
    assert not moderator.is_superuser


def test_the_audit_log_is_read_only_for_moderators_too(mod_client, moderator):
    action = moderation.post_remove(moderator=moderator, post=PostFactory(), reason="spam")
    url = reverse("admin:social_moderationaction_change", args=[action.pk])

    assert mod_client.get(url).status_code == 200
    assert mod_client.post(url, {"reason": "rewritten"}).status_code == 403
    delete = reverse("admin:social_moderationaction_delete", args=[action.pk])
    assert mod_client.post(delete, {"post": "yes"}).status_code == 403
    action.refresh_from_db()
    assert action.reason == "spam"


# --- The queue --------------------------------------------------------------------------------


def test_the_queue_shows_open_reports_oldest_first(mod_client):
    newest = post_report()
    oldest = aged(post_report(), days=3)
    middle = aged(post_report(), hours=5)
    ReportFactory(status=Report.Status.DISMISSED)

    assert listed(mod_client.get(QUEUE)) == [oldest.pk, middle.pk, newest.pk]


def test_all_statuses_list_open_reports_first(mod_client):
    handled = aged(ReportFactory(status=Report.Status.RESOLVED), days=9)
    waiting = post_report()

    assert listed(mod_client.get(QUEUE, {"status": "all"})) == [waiting.pk, handled.pk]
    assert listed(mod_client.get(QUEUE, {"status": "resolved"})) == [handled.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"reason__exact": "hate"}, {"hate_post"}),
        ({"target": "comment"}, {"comment"}),
        ({"target": "user"}, {"account"}),
        ({"age": "week+"}, {"old"}),
        ({"age": "hour"}, {"hate_post", "comment", "account"}),
    ],
)
def test_the_queue_filters_by_reason_target_and_age(mod_client, params, expected):
    reports = {
        "hate_post": post_report(reason="hate"),
        "comment": ReportFactory(user=None, comment=CommentFactory()),
        "account": ReportFactory(),
        "old": aged(post_report(), days=8),
    }

    shown = set(listed(mod_client.get(QUEUE, params)))

    assert shown == {reports[name].pk for name in expected}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("carol", {"by_carol"}),
        ("@Dave", {"about_dave_post", "about_dave_account"}),
        ("giveaway", {"by_carol"}),
        ("scam", {"about_dave_post"}),
    ],
)
def test_the_queue_searches_reporter_author_and_text(mod_client, term, expected):
    carol, dave = UserFactory(username="carol"), UserFactory(username="dave")
    reports = {
        "by_carol": post_report(reporter=carol, text="Fake giveaway"),
        "about_dave_post": post_report(post=PostFactory(author=dave, caption="Scam link")),
        "about_dave_account": ReportFactory(user=dave),
        "other": post_report(),
    }

    shown = set(listed(mod_client.get(QUEUE, {"q": term})))

    assert shown == {reports[name].pk for name in expected}


def test_the_queue_finds_a_report_by_its_number(mod_client):
    wanted = post_report()
    post_report()

    assert listed(mod_client.get(QUEUE, {"q": f"#{wanted.pk}"})) == [wanted.pk]


def test_the_queue_row_shows_the_content_open_count_and_author_record(mod_client, moderator):
    author = UserFactory(username="repeat")
    moderation.post_remove(moderator=moderator, post=PostFactory(author=author), reason="spam")
    post = PostFactory(author=author, caption="Buy followers now")
    post.images.update(thumbnail="posts/thumbs/cover.jpg")
    post_report(post=post)
    post_report(post=post)

    response = mod_client.get(QUEUE)

    assert "Buy followers now" in response.text
    assert "/media/posts/thumbs/cover.jpg" in response.text
    assert "1 earlier removal/suspension" in response.text
    row = response.context["cl"].result_list[0]
    assert row.open_on_target == 2


def test_the_queue_costs_the_same_queries_for_5_or_40_reports(mod_client):
    def make(n):
        for i in range(n):
            kind = i % 3
            if kind == 0:
                post_report()
            elif kind == 1:
                ReportFactory(user=None, comment=CommentFactory())
            else:
                ReportFactory()

    make(5)
    mod_client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        mod_client.get(QUEUE)
    make(35)
    with CaptureQueriesContext(connection) as many:
        response = mod_client.get(QUEUE)

    assert len(response.context["cl"].result_list) == 40
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_admin_says_shutter_moderation(mod_client):
    for url in (reverse("admin:index"), QUEUE):
        page = mod_client.get(url).text
        assert "Shutter moderation" in page
        assert "Django administration" not in page
        assert "Django site admin" not in page


def test_reports_on_the_same_target_share_one_row_with_their_count(mod_client):
    crowded = PostFactory(caption="Reported by many")
    first = aged(post_report(post=crowded), days=2)
    post_report(post=crowded)
    post_report(post=crowded)
    lone = post_report()

    grouped = mod_client.get(QUEUE)
    every = mod_client.get(QUEUE, {"rows": "report"})

    assert listed(grouped) == [first.pk, lone.pk]
    assert "3 open reports on it" in grouped.text
    assert len(listed(every)) == 4
    assert "One per reported target" in grouped.text


def test_the_queue_keeps_to_few_columns_with_waiting_and_status_and_cuts_long_text(mod_client):
    post_report(
        post=PostFactory(caption="word " * 100),
        text="because " * 100,
    )

    response = mod_client.get(QUEUE)
    columns = [header["text"] for header in response.context["result_headers"]]

    assert len(columns) <= 7  # the checkbox and six
    assert {"waiting", "status"} <= {str(c).lower() for c in columns}
    assert "word " * 20 not in response.text
    assert "because " * 10 not in response.text
    assert "social/moderation-admin.css" in response.text


def test_the_reason_and_category_start_empty_and_both_are_required(mod_client):
    report = post_report(reason="spam")

    page = act(mod_client, QUEUE, "remove_content", [report.pk])
    form = page.context["form"]
    no_reason = act(mod_client, QUEUE, "remove_content", [report.pk], reason=" ")
    no_category = act(mod_client, QUEUE, "remove_content", [report.pk], reason="Spam", category="")

    assert form["reason"].value() in (None, "")
    assert form["category"].value() in (None, "")
    assert "Spam" not in page.text.split('name="reason"')[1].split("</textarea>")[0]
    assert "required" in page.text.split('name="reason"')[1].split(">")[0]
    assert "Give a reason: it goes to the audit log." in no_reason.text
    assert "Choose the category the author is told." in no_category.text
    report.refresh_from_db()
    assert report.status == Report.Status.OPEN
    assert report.post.removed_at is None
    assert not ModerationAction.objects.exists()


def test_dismissing_also_starts_with_an_empty_reason(mod_client):
    report = post_report()

    page = act(mod_client, QUEUE, "dismiss_reports", [report.pk])

    assert page.context["form"]["reason"].value() in (None, "")
    assert "community guidelines" not in page.text


def test_the_category_chosen_is_recorded_for_the_author(mod_client):
    report = post_report(reason="spam")

    act(mod_client, QUEUE, "remove_content", [report.pk], reason="Nude photo", category="nudity")

    entry = ModerationAction.objects.get()
    assert (entry.reason, entry.category) == ("Nude photo", "nudity")


# --- A report's page --------------------------------------------------------------------------


def test_a_post_report_page_shows_the_post_other_reports_and_the_author_history(
    mod_client, moderator
):
    author = UserFactory(username="poster", bio="I post sunsets")
    earlier = PostFactory(author=author)
    moderation.post_remove(moderator=moderator, post=earlier, reason="Earlier spam")
    post = PostFactory(author=author, caption="Free crypto, DM me")
    post.images.update(thumbnail="posts/thumbs/free.jpg")
    report = post_report(post=post, reason="spam", text="Scam")
    post_report(post=post, reporter=UserFactory(username="second_reporter"))

    page = mod_client.get(report_page(report)).text

    assert "Free crypto, DM me" in page
    assert "/media/posts/thumbs/free.jpg" in page
    assert "@second_reporter" in page
    assert "Other open reports on this post (1)" in page
    assert "I post sunsets" in page
    assert "Earlier spam" in page
    for label in ("Remove post", "Suspend @poster", "Dismiss: nothing wrong"):
        assert label in page


def test_a_comment_report_page_shows_the_comment(mod_client):
    comment = CommentFactory(text="You people are vermin")
    report = ReportFactory(user=None, comment=comment)

    page = mod_client.get(report_page(report)).text

    assert "You people are vermin" in page
    assert "Remove comment" in page


def test_an_account_report_page_shows_the_profile(mod_client):
    report = ReportFactory(user=UserFactory(username="spammy", bio="Cheap followers here"))

    page = mod_client.get(report_page(report)).text

    assert "Cheap followers here" in page
    assert "Suspend @spammy" in page
    assert "Remove" not in page.split("moderation-case__buttons")[1].split("</div>")[0]


# --- Actions ----------------------------------------------------------------------------------


def test_remove_asks_for_a_reason_first_and_changes_nothing_until_given(mod_client):
    report = post_report()

    page = act(mod_client, QUEUE, "remove_content", [report.pk])
    assert asked_for_reason(page)
    empty = mod_client.post(
        QUEUE,
        {"action": "remove_content", "_selected_action": [report.pk], "reason": "", "apply": "1"},
    )

    assert page.status_code == 200
    assert f"Post {report.post_id} by @" in page.text
    assert empty.status_code == 200
    assert "Give a reason: it goes to the audit log." in empty.text
    report.refresh_from_db()
    assert report.post.removed_at is None
    assert not ModerationAction.objects.exists()


def test_remove_from_the_queue_hides_the_post_resolves_reports_and_logs(mod_client, moderator):
    report = post_report()

    response = act(mod_client, QUEUE, "remove_content", [report.pk], reason="Scam giveaway")

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert report.post.removed_at is not None
    entry = ModerationAction.objects.get()
    assert (entry.moderator, entry.action, entry.reason, entry.report) == (
        moderator,
        Action.REMOVE_POST,
        "Scam giveaway",
        report,
    )
    assert "Remove content: done for" in messages_of(mod_client, response)[0]


def test_bulk_remove_acts_once_per_target_and_resolves_every_report(mod_client):
    post = PostFactory()
    twice = [post_report(post=post), post_report(post=post)]
    comment_report = ReportFactory(user=None, comment=CommentFactory())
    other = post_report()
    account_report = ReportFactory()
    selected = [*twice, comment_report, other, account_report]

    response = act(
        mod_client, QUEUE, "remove_content", [r.pk for r in selected], reason="Spam wave"
    )

    assert response.status_code == 302
    assert sorted(ModerationAction.objects.values_list("action", flat=True)) == sorted(
        [Action.REMOVE_POST, Action.REMOVE_POST, Action.REMOVE_COMMENT]
    )
    statuses = dict(Report.objects.values_list("pk", "status"))
    assert {statuses[r.pk] for r in [*twice, comment_report, other]} == {Report.Status.RESOLVED}
    assert statuses[account_report.pk] == Report.Status.OPEN
    notes = messages_of(mod_client, response)
    assert any("is about an account: suspend it instead" in note for note in notes)


def test_restore_undoes_a_removal_from_the_handled_reports(mod_client):
    report = post_report()
    act(mod_client, QUEUE, "remove_content", [report.pk], reason="spam")

    url = f"{QUEUE}?status=all"
    act(mod_client, url, "restore_content", [report.pk], reason="Reviewed again: fine")

    report.refresh_from_db()
    assert report.post.removed_at is None
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.REMOVE_POST,
        Action.RESTORE_POST,
    ]


def test_bulk_suspend_and_unsuspend_the_authors(mod_client):
    first, second = UserFactory(), UserFactory()
    reports = [
        post_report(post=PostFactory(author=first)),
        ReportFactory(user=None, comment=CommentFactory(author=first)),
        ReportFactory(user=second),
    ]
    pks = [r.pk for r in reports]

    act(mod_client, QUEUE, "suspend_author", pks, reason="Spam ring")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.suspended_at and second.suspended_at
    assert ModerationAction.objects.filter(action=Action.SUSPEND_USER).count() == 2
    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.RESOLVED}

    act(mod_client, f"{QUEUE}?status=all", "unsuspend_author", pks, reason="Wrong ring")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.suspended_at is None and second.suspended_at is None
    assert ModerationAction.objects.filter(action=Action.UNSUSPEND_USER).count() == 2


def test_bulk_dismiss_closes_the_reports_and_tells_the_reporters(mod_client):
    post = PostFactory()
    reports = [post_report(post=post), post_report(post=post), ReportFactory()]

    act(mod_client, QUEUE, "dismiss_reports", [reports[0].pk, reports[2].pk], reason="Fine")

    assert set(Report.objects.values_list("status", flat=True)) == {Report.Status.DISMISSED}
    assert ModerationAction.objects.filter(action=Action.DISMISS_REPORT).count() == 2
    assert Notification.objects.filter(kind=Notification.Kind.REPORT_DISMISSED).count() == 3
    post.refresh_from_db()
    assert post.removed_at is None


def test_actions_from_a_report_page_come_back_to_it(mod_client):
    report = ReportFactory(user=None, comment=CommentFactory())
    url = report_page(report)

    response = act(
        mod_client, url, "remove_content", [report.pk], reason="Insult", field="CHANGE_FORM-action"
    )

    assert response.status_code == 302
    assert response["Location"] == url
    report.refresh_from_db()
    assert report.comment.removed_at is not None
    page = mod_client.get(url).text
    assert "Restore comment" in page
    assert "Resolved (action taken)" in page


@pytest.mark.parametrize(
    ("model", "make", "remove", "restore", "removed"),
    [
        (
            "posts_post",
            PostFactory,
            "remove_posts",
            "restore_posts",
            lambda o: o.removed_at is not None,
        ),
        (
            "posts_comment",
            CommentFactory,
            "remove_comments",
            "restore_comments",
            lambda o: o.removed_at is not None,
        ),
        (
            "accounts_user",
            UserFactory,
            "suspend_accounts",
            "unsuspend_accounts",
            lambda o: o.suspended_at is not None,
        ),
    ],
    ids=["posts", "comments", "accounts"],
)
def test_posts_comments_and_accounts_have_the_actions_and_undo_in_bulk(
    mod_client, model, make, remove, restore, removed
):
    objects = [make(), make()]
    url = reverse(f"admin:{model}_changelist")
    pks = [o.pk for o in objects]

    act(mod_client, url, remove, pks, reason="Bulk clean-up")
    assert all(removed(o) for o in (type(o).objects.get(pk=o.pk) for o in objects))

    act(mod_client, url, restore, pks, reason="Undo")
    assert not any(removed(o) for o in (type(o).objects.get(pk=o.pk) for o in objects))
    assert ModerationAction.objects.count() == 4


def test_removal_fields_cannot_be_edited_by_hand_even_by_a_superuser(admin_client):
    post, user = PostFactory(), UserFactory()

    post_form = admin_client.get(reverse("admin:posts_post_change", args=[post.pk]))
    user_form = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert {"removed_at", "removed_by", "removal_reason"} <= set(
        post_form.context["adminform"].readonly_fields
    )
    assert "suspended_at" in user_form.context["adminform"].readonly_fields


# --- The audit log ----------------------------------------------------------------------------


def test_the_audit_log_filters_by_moderator_and_action(mod_client, moderator):
    other = moderator_make()
    moderation.post_remove(moderator=moderator, post=PostFactory(), reason="a")
    moderation.user_suspend(moderator=other, user=UserFactory(), reason="b")
    moderation.comment_remove(moderator=moderator, comment=CommentFactory(), reason="c")

    mine = mod_client.get(AUDIT, {"moderator": moderator.pk})
    suspensions = mod_client.get(AUDIT, {"action__exact": Action.SUSPEND_USER})

    assert [a.reason for a in mine.context["cl"].result_list] == ["c", "a"]
    assert [a.reason for a in suspensions.context["cl"].result_list] == ["b"]


def test_the_index_lists_my_latest_moderation_actions(mod_client, moderator):
    post = photo_post(UserFactory(), 1)
    comment_add(author=UserFactory(), post=post, text="hello")
    moderation.post_remove(moderator=moderator, post=post, reason="spam")

    index = mod_client.get(reverse("admin:index")).text

    assert "My moderation actions" in index
    assert f"Removed post: Post {post.pk}" in index
