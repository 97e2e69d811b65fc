"""social.moderation.services: every action and its undo, the audit row each writes, the
reports each closes (and the reporters told), the counters kept exact, and who may act."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import UserFactory
from posts.models import Post
from posts.services import comment_add, post_counters_recount
from posts.tests.factories import CommentFactory, PostFactory
from social.lifecycle import user_counters_recount
from social.moderation import services
from social.moderation.models import BannedImage, ModerationAction, Report
from social.notifications.models import Notification
from social.tests.factories import ReportFactory
from social.tests.moderation_helpers import moderator_make, photo_post

Action = ModerationAction.Action
Kind = Notification.Kind
pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return moderator_make()


@pytest.fixture
def author():
    return UserFactory()


def report_on(**target):
    return ReportFactory(user=None, **target) if "user" not in target else ReportFactory(**target)


def audit(**filters):
    return list(
        ModerationAction.objects.filter(**filters).order_by("pk").values_list("action", flat=True)
    )


def told(reporter):
    return sorted(Notification.objects.filter(recipient=reporter).values_list("kind", flat=True))


# --- Posts ------------------------------------------------------------------------------------


def test_post_remove_hides_the_post_and_keeps_the_row(moderator, author):
    post = photo_post(author, 1)

    services.post_remove(moderator=moderator, post=post, reason="Spam giveaway")

    post.refresh_from_db()
    assert post.removed_at is not None
    assert post.removed_by == moderator
    assert post.removal_reason == "Spam giveaway"
    assert not Post.objects.visible_to(UserFactory()).filter(pk=post.pk).exists()
    assert Post.objects.filter(pk=post.pk).exists()


def test_post_remove_writes_an_audit_row_naming_who_what_target_and_why(moderator, author):
    post = photo_post(author, 1, caption="Win a phone! #giveaway")
    report = report_on(post=post)

    action = services.post_remove(
        moderator=moderator, post=post, reason="Fake giveaway", report=report
    )

    action.refresh_from_db()
    assert action.moderator == moderator
    assert action.action == Action.REMOVE_POST
    assert (action.post, action.user, action.report) == (post, author, report)
    assert action.reason == "Fake giveaway"
    assert f"Post {post.pk} by @{author.username}: Win a phone!" in action.target_repr
    assert action.created_at is not None


def test_post_remove_and_restore_keep_post_count_equal_to_live_posts(moderator, author):
    post = photo_post(author, 1)
    photo_post(author, 2)

    services.post_remove(moderator=moderator, post=post, reason="spam")
    author.refresh_from_db()
    assert author.post_count == 1
    assert user_counters_recount(user_ids=[author.pk]) == 0

    services.post_restore(moderator=moderator, post=post, reason="mistake")
    author.refresh_from_db()
    assert author.post_count == 2
    assert user_counters_recount(user_ids=[author.pk]) == 0


def test_post_remove_resolves_every_open_report_on_it_and_tells_each_reporter(moderator, author):
    post = photo_post(author, 1)
    reports = [report_on(post=post) for _ in range(3)]
    elsewhere = report_on(post=PostFactory())

    services.post_remove(moderator=moderator, post=post, reason="spam", report=reports[0])

    for report in reports:
        report.refresh_from_db()
        assert report.status == Report.Status.RESOLVED
        assert report.handled_by == moderator
        assert report.handled_at is not None
        assert told(report.reporter) == [Kind.REPORT_RESOLVED]
    elsewhere.refresh_from_db()
    assert elsewhere.status == Report.Status.OPEN
    assert told(elsewhere.reporter) == []


def test_the_reporter_notification_names_no_moderator(moderator, author):
    post = photo_post(author, 1)
    report = report_on(post=post)

    services.post_remove(moderator=moderator, post=post, reason="spam")

    note = Notification.objects.get(recipient=report.reporter)
    assert note.actor == report.reporter
    assert (note.post, note.comment) == (None, None)


def test_post_remove_bans_the_images_and_restore_lifts_the_ban(moderator, author):
    post = photo_post(author, 1, 2)
    hashes = set(post.images.values_list("phash", flat=True))

    services.post_remove(moderator=moderator, post=post, reason="nudity")
    assert set(BannedImage.objects.filter(view="").values_list("phash", flat=True)) == hashes

    services.post_restore(moderator=moderator, post=post, reason="mistake")
    assert not BannedImage.objects.exists()


def test_post_remove_then_the_task_bans_cropped_views_too(
    moderator, author, django_capture_on_commit_callbacks
):
    post = photo_post(author, 1)

    with django_capture_on_commit_callbacks(execute=True):
        services.post_remove(moderator=moderator, post=post, reason="nudity")

    views = set(BannedImage.objects.filter(post=post).values_list("view", flat=True))
    assert "" in views
    assert len(views) == 1 + 9 + 4  # the frame, 3x3 crops of both sides, 4 one-side crops


def test_cropped_views_task_adds_nothing_once_the_post_is_restored(moderator, author):
    from social.moderation.banned_images import banned_image_views_add

    post = photo_post(author, 1)
    services.post_remove(moderator=moderator, post=post, reason="nudity")
    services.post_restore(moderator=moderator, post=post, reason="mistake")

    assert banned_image_views_add(post_id=post.pk) == 0
    assert not BannedImage.objects.exists()


def test_cropped_views_task_is_idempotent(moderator, author):
    from social.moderation.banned_images import banned_image_views_add

    post = photo_post(author, 1)
    services.post_remove(moderator=moderator, post=post, reason="nudity")

    banned_image_views_add(post_id=post.pk)
    rows = BannedImage.objects.count()
    banned_image_views_add(post_id=post.pk)

    assert BannedImage.objects.count() == rows == 14


def test_post_restore_shows_the_post_again_and_logs_it(moderator, author):
    post = photo_post(author, 1)
    services.post_remove(moderator=moderator, post=post, reason="spam")

    services.post_restore(moderator=moderator, post=post, reason="Reviewed: not spam")

    post.refresh_from_db()
    assert (post.removed_at, post.removed_by, post.removal_reason) == (None, None, "")
    assert Post.objects.visible_to(UserFactory()).filter(pk=post.pk).exists()
    assert audit(post=post) == [Action.REMOVE_POST, Action.RESTORE_POST]


def test_removing_a_removed_post_or_restoring_a_live_one_changes_nothing(moderator, author):
    post = photo_post(author, 1)

    with pytest.raises(ValidationError, match="is not removed"):
        services.post_restore(moderator=moderator, post=post, reason="x")
    services.post_remove(moderator=moderator, post=post, reason="spam")
    with pytest.raises(ValidationError, match="already removed"):
        services.post_remove(moderator=moderator, post=post, reason="again")

    author.refresh_from_db()
    assert author.post_count == 0
    assert audit(post=post) == [Action.REMOVE_POST]


def test_author_deleting_a_removed_post_does_not_count_it_twice(moderator, author):
    from posts.services import post_delete

    removed, kept = photo_post(author, 1), photo_post(author, 2)
    services.post_remove(moderator=moderator, post=removed, reason="spam")

    post_delete(actor=author, post=removed)

    author.refresh_from_db()
    assert author.post_count == 1
    assert Post.objects.filter(pk=kept.pk).exists()
    # The audit row outlives its target, and still says what it was about.
    assert ModerationAction.objects.get(action=Action.REMOVE_POST).target_repr.startswith("Post")


# --- Comments ---------------------------------------------------------------------------------


def test_comment_remove_and_restore_keep_comment_count_exact_and_are_logged(moderator, author):
    post = photo_post(author, 1)
    commenter = UserFactory()
    comment = comment_add(author=commenter, post=post, text="You are an idiot")
    comment_add(author=UserFactory(), post=post, text="Lovely")
    report = report_on(comment=comment)

    services.comment_remove(moderator=moderator, comment=comment, reason="Insult")
    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.comment_count == 1
    assert post_counters_recount(post_ids=[post.pk]) == 0
    assert comment.removed_at is not None and comment.removal_reason == "Insult"
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED
    assert told(report.reporter) == [Kind.REPORT_RESOLVED]

    services.comment_restore(moderator=moderator, comment=comment, reason="Context: a joke")
    post.refresh_from_db()
    assert post.comment_count == 2
    assert post_counters_recount(post_ids=[post.pk]) == 0
    assert audit(comment=comment) == [Action.REMOVE_COMMENT, Action.RESTORE_COMMENT]
    assert ModerationAction.objects.filter(user=commenter).count() == 2


def test_comment_remove_refuses_a_removed_comment(moderator):
    comment = CommentFactory()
    services.comment_remove(moderator=moderator, comment=comment, reason="spam")

    with pytest.raises(ValidationError, match="already removed"):
        services.comment_remove(moderator=moderator, comment=comment, reason="spam")


# --- Accounts ---------------------------------------------------------------------------------


def test_user_suspend_and_unsuspend_flip_the_account_and_are_logged(moderator, author):
    services.user_suspend(moderator=moderator, user=author, reason="Spam account")
    author.refresh_from_db()
    assert author.suspended_at is not None

    services.user_unsuspend(moderator=moderator, user=author, reason="Appeal accepted")
    author.refresh_from_db()
    assert author.suspended_at is None
    assert audit(user=author) == [Action.SUSPEND_USER, Action.UNSUSPEND_USER]


def test_user_suspend_resolves_reports_on_the_account_and_on_what_it_posted(moderator, author):
    post = photo_post(author, 1)
    comment = CommentFactory(author=author)
    reports = [report_on(user=author), report_on(post=post), report_on(comment=comment)]
    unrelated = report_on(user=UserFactory())

    services.user_suspend(moderator=moderator, user=author, reason="spam")

    assert {r.status for r in Report.objects.filter(pk__in=[r.pk for r in reports])} == {
        Report.Status.RESOLVED
    }
    unrelated.refresh_from_db()
    assert unrelated.status == Report.Status.OPEN


def test_user_suspend_keeps_the_counters_which_count_rows(moderator, author):
    photo_post(author, 1)

    services.user_suspend(moderator=moderator, user=author, reason="spam")

    author.refresh_from_db()
    assert author.post_count == 1
    assert user_counters_recount(user_ids=[author.pk]) == 0


def test_moderators_cannot_suspend_themselves_staff_or_superusers(moderator):
    other_moderator = moderator_make()
    superuser = UserFactory(is_staff=True, is_superuser=True)

    with pytest.raises(ValidationError, match="your own account"):
        services.user_suspend(moderator=moderator, user=moderator, reason="x")
    with pytest.raises(PermissionDenied, match="only a superuser"):
        services.user_suspend(moderator=moderator, user=other_moderator, reason="x")
    with pytest.raises(PermissionDenied):
        services.user_suspend(moderator=moderator, user=superuser, reason="x")
    with pytest.raises(PermissionDenied):
        services.user_suspend(moderator=UserFactory(is_superuser=True), user=superuser, reason="x")
    assert not ModerationAction.objects.exists()


def test_a_superuser_may_suspend_a_staff_account(moderator):
    superuser = UserFactory(is_staff=True, is_superuser=True)

    services.user_suspend(moderator=superuser, user=moderator, reason="Compromised account")

    moderator.refresh_from_db()
    assert moderator.suspended_at is not None


def test_suspending_twice_is_refused(moderator, author):
    services.user_suspend(moderator=moderator, user=author, reason="spam")

    with pytest.raises(ValidationError, match="already suspended"):
        services.user_suspend(moderator=moderator, user=author, reason="spam")
    with pytest.raises(ValidationError, match="is not suspended"):
        services.user_unsuspend(moderator=moderator, user=UserFactory(), reason="x")


# --- Reports ----------------------------------------------------------------------------------


def test_report_dismiss_dismisses_every_open_report_on_that_target(moderator, author):
    post = photo_post(author, 1)
    first, second = report_on(post=post), report_on(post=post)
    other = report_on(post=photo_post(author, 2))

    action = services.report_dismiss(moderator=moderator, report=first, reason="Not spam")

    for report in (first, second):
        report.refresh_from_db()
        assert report.status == Report.Status.DISMISSED
        assert told(report.reporter) == [Kind.REPORT_DISMISSED]
    other.refresh_from_db()
    assert other.status == Report.Status.OPEN
    assert (action.action, action.report, action.post, action.user) == (
        Action.DISMISS_REPORT,
        first,
        post,
        author,
    )
    post.refresh_from_db()
    assert post.removed_at is None


def test_report_dismiss_refuses_a_handled_report(moderator):
    report = ReportFactory(status=Report.Status.RESOLVED)

    with pytest.raises(ValidationError, match="already Resolved"):
        services.report_dismiss(moderator=moderator, report=report, reason="x")


# --- Who may act, and the reason ---------------------------------------------------------------


@pytest.mark.parametrize(
    "make_actor",
    [
        lambda: UserFactory(),
        lambda: UserFactory(is_staff=True),
        lambda: moderator_make(suspended=True),
    ],
    ids=["member", "staff-not-moderator", "suspended-moderator"],
)
def test_only_active_moderators_may_act(make_actor, author):
    post = photo_post(author, 1)

    with pytest.raises(PermissionDenied):
        services.post_remove(moderator=make_actor(), post=post, reason="spam")

    post.refresh_from_db()
    assert post.removed_at is None
    assert not ModerationAction.objects.exists()


def test_a_superuser_may_act_without_the_group(author):
    post = photo_post(author, 1)

    services.post_remove(
        moderator=UserFactory(is_staff=True, is_superuser=True), post=post, reason="spam"
    )

    post.refresh_from_db()
    assert post.removed_at is not None


@pytest.mark.parametrize(("reason", "message"), [("   ", "Give a reason"), ("x" * 1001, "1000")])
def test_every_action_needs_a_reason_of_at_most_1000_characters(moderator, reason, message):
    post = PostFactory()

    with pytest.raises(ValidationError, match=message) as error:
        services.post_remove(moderator=moderator, post=post, reason=reason)

    assert "reason" in error.value.message_dict
    post.refresh_from_db()
    assert post.removed_at is None
