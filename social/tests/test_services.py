import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.models import User
from accounts.tests.factories import UserFactory
from posts.tests.factories import CommentFactory, PostFactory
from social.graph import services as graph
from social.graph.models import Block, Follow, Mute
from social.graph.triggers import timelines_enabled
from social.moderation import reports
from social.moderation.models import Report
from social.notifications import services as notices
from social.notifications.models import Notification
from social.tests.factories import (
    BlockFactory,
    FollowFactory,
    MuteFactory,
    NotificationFactory,
    ReportFactory,
)

Kind = Notification.Kind


def counts(user):
    user.refresh_from_db()
    return user.follower_count, user.following_count


def kinds_for(recipient, actor=None):
    qs = Notification.objects.filter(recipient=recipient)
    if actor is not None:
        qs = qs.filter(actor=actor)
    return sorted(qs.values_list("kind", flat=True))


def assert_follow_counters_match_rows(*users):
    for user in users:
        user.refresh_from_db()
        accepted = Follow.objects.accepted()
        assert user.follower_count == accepted.filter(following=user).count(), user
        assert user.following_count == accepted.filter(follower=user).count(), user


# --- follow_create ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_following_a_public_account_counts_on_both_sides_and_notifies_them(committed):
    alice, bob = UserFactory(), UserFactory()

    with committed():
        follow = graph.follow_create(follower=alice, following=bob)

    assert follow.status == Follow.Status.ACCEPTED
    assert follow.accepted_at is not None
    assert counts(bob) == (1, 0)
    assert counts(alice) == (0, 1)
    assert kinds_for(bob, actor=alice) == [Kind.FOLLOW]
    assert kinds_for(alice) == []


@pytest.mark.django_db
def test_following_again_changes_nothing(committed):
    alice, bob = UserFactory(), UserFactory()
    with committed():
        first = graph.follow_create(follower=alice, following=bob)

    with committed():
        again = graph.follow_create(follower=alice, following=bob)

    assert again.pk == first.pk
    assert counts(bob) == (1, 0)
    assert counts(alice) == (0, 1)
    assert kinds_for(bob) == [Kind.FOLLOW]


@pytest.mark.django_db
def test_following_yourself_is_refused():
    alice = UserFactory()

    with pytest.raises(ValidationError) as error:
        graph.follow_create(follower=alice, following=alice)

    assert "following" in error.value.message_dict
    assert counts(alice) == (0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("direction", ["target blocked me", "I blocked target"])
def test_following_across_a_block_is_refused_either_way(direction, committed):
    alice, bob = UserFactory(), UserFactory()
    if direction == "target blocked me":
        BlockFactory(blocker=bob, blocked=alice)
    else:
        BlockFactory(blocker=alice, blocked=bob)

    with committed(), pytest.raises(PermissionDenied):
        graph.follow_create(follower=alice, following=bob)

    assert not Follow.objects.exists()
    assert counts(bob) == (0, 0)
    assert kinds_for(bob) == []


@pytest.mark.django_db
def test_a_suspended_account_cannot_be_followed_and_looks_absent():
    alice, bob = UserFactory(), UserFactory(suspended=True)

    with pytest.raises(User.DoesNotExist):
        graph.follow_create(follower=alice, following=bob)

    assert not Follow.objects.exists()
    assert counts(alice) == (0, 0)


@pytest.mark.django_db
def test_following_a_private_account_asks_first_and_counts_nothing(committed):
    alice, bob = UserFactory(), UserFactory(private=True)

    with committed():
        follow = graph.follow_create(follower=alice, following=bob)

    assert follow.status == Follow.Status.PENDING
    assert counts(bob) == (0, 0)
    assert counts(alice) == (0, 0)
    assert kinds_for(bob, actor=alice) == [Kind.FOLLOW_REQUEST]


@pytest.mark.django_db
def test_asking_twice_keeps_one_request_and_one_notification(committed):
    alice, bob = UserFactory(), UserFactory(private=True)
    with committed():
        first = graph.follow_create(follower=alice, following=bob)

    with committed():
        again = graph.follow_create(follower=alice, following=bob)

    assert again.pk == first.pk
    assert again.status == Follow.Status.PENDING
    assert kinds_for(bob) == [Kind.FOLLOW_REQUEST]


@pytest.mark.django_db
def test_a_muted_follower_follows_without_notifying_the_muter(committed):
    alice, bob = UserFactory(), UserFactory()
    MuteFactory(muter=bob, muted=alice)

    with committed():
        graph.follow_create(follower=alice, following=bob)

    assert counts(bob) == (1, 0)
    assert kinds_for(bob) == []


@pytest.mark.django_db
def test_follow_create_takes_a_constant_number_of_queries(django_assert_num_queries):
    alice, bob = UserFactory(), UserFactory()
    # savepoint (the test's transaction); lock both users; block check; get_or_create: get,
    # savepoint, insert, release; two counters; the outbox row of the notification; release.
    # (The notification itself is written after commit, by the worker: not counted here.)
    # With Redis, one more outbox row: the home timeline's merge (social.graph.triggers).
    with django_assert_num_queries(12 if timelines_enabled() else 11):
        graph.follow_create(follower=alice, following=bob)


# --- follow_remove ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_unfollowing_uncounts_both_sides_and_withdraws_the_notification(committed):
    alice, bob = UserFactory(), UserFactory()
    with committed():
        graph.follow_create(follower=alice, following=bob)
    assert kinds_for(bob) == [Kind.FOLLOW]

    assert graph.follow_remove(follower=alice, following=bob) is True

    assert not Follow.objects.exists()
    assert counts(bob) == (0, 0)
    assert counts(alice) == (0, 0)
    assert kinds_for(bob) == []


@pytest.mark.django_db
def test_cancelling_a_request_withdraws_it_without_touching_counters(committed):
    alice, bob = UserFactory(), UserFactory(private=True)
    FollowFactory(follower=UserFactory(), following=bob)  # an existing follower stays counted
    User.objects.filter(pk=bob.pk).update(follower_count=1)
    with committed():
        graph.follow_create(follower=alice, following=bob)
    assert kinds_for(bob, actor=alice) == [Kind.FOLLOW_REQUEST]

    assert graph.follow_remove(follower=alice, following=bob) is True

    assert not Follow.objects.filter(follower=alice).exists()
    assert counts(bob) == (1, 0)
    assert counts(alice) == (0, 0)
    assert kinds_for(bob, actor=alice) == []


@pytest.mark.django_db
def test_unfollowing_someone_you_dont_follow_is_a_harmless_no():
    alice, bob = UserFactory(), UserFactory()

    assert graph.follow_remove(follower=alice, following=bob) is False
    assert counts(bob) == (0, 0)


@pytest.mark.django_db
def test_unfollowing_leaves_other_notifications_alone(committed):
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    with committed():
        graph.follow_create(follower=alice, following=bob)
        graph.follow_create(follower=carol, following=bob)
    NotificationFactory(recipient=bob, actor=alice, kind=Kind.LIKE, post=PostFactory(author=bob))

    graph.follow_remove(follower=alice, following=bob)

    assert kinds_for(bob, actor=alice) == [Kind.LIKE]
    assert kinds_for(bob, actor=carol) == [Kind.FOLLOW]


# --- follow requests -------------------------------------------------------------------------


@pytest.fixture
def request_to_bob(db, committed):
    alice, bob = UserFactory(), UserFactory(private=True)
    with committed():
        follow = graph.follow_create(follower=alice, following=bob)
    return alice, bob, follow


def test_accepting_a_request_counts_both_sides_and_tells_the_requester(request_to_bob, committed):
    alice, bob, follow = request_to_bob

    with committed():
        accepted = graph.follow_request_accept(owner=bob, follow_id=follow.pk)

    assert accepted.status == Follow.Status.ACCEPTED
    assert accepted.accepted_at is not None
    assert counts(bob) == (1, 0)
    assert counts(alice) == (0, 1)
    assert kinds_for(alice, actor=bob) == [Kind.FOLLOW_ACCEPTED]
    # Bob's "asked to follow you" has become "started following you".
    assert kinds_for(bob, actor=alice) == [Kind.FOLLOW]


def test_accepting_twice_counts_once(request_to_bob, committed):
    alice, bob, follow = request_to_bob
    with committed():
        graph.follow_request_accept(owner=bob, follow_id=follow.pk)

    with committed(), pytest.raises(Follow.DoesNotExist):
        graph.follow_request_accept(owner=bob, follow_id=follow.pk)

    assert counts(bob) == (1, 0)
    assert counts(alice) == (0, 1)
    assert kinds_for(alice) == [Kind.FOLLOW_ACCEPTED]


def test_only_the_owner_can_accept_or_decline_a_request(request_to_bob):
    alice, bob, follow = request_to_bob
    mallory = UserFactory()

    for act in (graph.follow_request_accept, graph.follow_request_decline):
        for stranger in (mallory, alice):
            with pytest.raises(Follow.DoesNotExist):
                act(owner=stranger, follow_id=follow.pk)

    follow.refresh_from_db()
    assert follow.status == Follow.Status.PENDING
    assert counts(bob) == (0, 0)


@pytest.mark.django_db
def test_an_accepted_follow_is_not_a_request_to_accept_or_decline():
    alice, bob = UserFactory(), UserFactory(private=True)
    follow = FollowFactory(follower=alice, following=bob, status=Follow.Status.ACCEPTED)

    with pytest.raises(Follow.DoesNotExist):
        graph.follow_request_accept(owner=bob, follow_id=follow.pk)
    with pytest.raises(Follow.DoesNotExist):
        graph.follow_request_decline(owner=bob, follow_id=follow.pk)

    assert Follow.objects.filter(pk=follow.pk).exists()


def test_declining_a_request_removes_it_quietly(request_to_bob, committed):
    alice, bob, follow = request_to_bob
    assert kinds_for(bob) == [Kind.FOLLOW_REQUEST]

    with committed():
        graph.follow_request_decline(owner=bob, follow_id=follow.pk)

    assert not Follow.objects.exists()
    assert counts(bob) == (0, 0)
    assert counts(alice) == (0, 0)
    assert kinds_for(bob) == []
    assert kinds_for(alice) == []


def test_declining_twice_answers_does_not_exist(request_to_bob):
    _, bob, follow = request_to_bob
    graph.follow_request_decline(owner=bob, follow_id=follow.pk)

    with pytest.raises(Follow.DoesNotExist):
        graph.follow_request_decline(owner=bob, follow_id=follow.pk)


def test_a_declined_requester_may_ask_again(request_to_bob, committed):
    alice, bob, follow = request_to_bob
    graph.follow_request_decline(owner=bob, follow_id=follow.pk)

    with committed():
        again = graph.follow_create(follower=alice, following=bob)

    assert again.status == Follow.Status.PENDING
    assert kinds_for(bob) == [Kind.FOLLOW_REQUEST]


@pytest.mark.django_db
def test_accepting_all_requests_counts_everyone_and_tells_each_requester(committed):
    owner = UserFactory(private=True)
    requesters = UserFactory.create_batch(3)
    old_follower = UserFactory()
    FollowFactory(follower=old_follower, following=owner)
    User.objects.filter(pk=owner.pk).update(follower_count=1)
    User.objects.filter(pk=old_follower.pk).update(following_count=1)
    with committed():
        for requester in requesters:
            graph.follow_create(follower=requester, following=owner)

    with committed():
        assert graph.follow_requests_accept_all(owner=owner) == 3

    assert not Follow.objects.pending().exists()
    assert_follow_counters_match_rows(owner, old_follower, *requesters)
    assert counts(owner) == (4, 0)
    for requester in requesters:
        assert kinds_for(requester) == [Kind.FOLLOW_ACCEPTED]
        assert kinds_for(owner, actor=requester) == [Kind.FOLLOW]
    assert kinds_for(old_follower) == []


@pytest.mark.django_db
def test_accepting_all_with_no_requests_accepts_none():
    owner = UserFactory(private=True)

    assert graph.follow_requests_accept_all(owner=owner) == 0
    assert counts(owner) == (0, 0)


# --- blocks ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_blocking_ends_follows_both_ways_and_keeps_counters_right():
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    graph.follow_create(follower=alice, following=bob)
    graph.follow_create(follower=bob, following=alice)
    graph.follow_create(follower=carol, following=bob)

    graph.block_create(blocker=alice, blocked=bob)

    assert not Follow.objects.filter(follower__in=[alice, bob], following__in=[alice, bob]).exists()
    assert counts(alice) == (0, 0)
    assert counts(bob) == (1, 0)  # carol still follows bob
    assert counts(carol) == (0, 1)
    assert_follow_counters_match_rows(alice, bob, carol)


@pytest.mark.django_db
def test_blocking_withdraws_pending_requests_both_ways_without_touching_counters():
    alice, bob = UserFactory(private=True), UserFactory(private=True)
    graph.follow_create(follower=alice, following=bob)
    graph.follow_create(follower=bob, following=alice)

    graph.block_create(blocker=bob, blocked=alice)

    assert not Follow.objects.exists()
    assert counts(alice) == (0, 0)
    assert counts(bob) == (0, 0)


@pytest.mark.django_db
def test_blocking_deletes_notifications_between_the_two_only():
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    post = PostFactory(author=alice)
    NotificationFactory(recipient=alice, actor=bob, kind=Kind.LIKE, post=post)
    NotificationFactory(recipient=bob, actor=alice, kind=Kind.FOLLOW)
    NotificationFactory(recipient=alice, actor=carol, kind=Kind.LIKE, post=post)

    graph.block_create(blocker=alice, blocked=bob)

    assert kinds_for(alice) == [Kind.LIKE]
    assert kinds_for(alice, actor=carol) == [Kind.LIKE]
    assert kinds_for(bob) == []


@pytest.mark.django_db
def test_blocking_twice_keeps_one_block():
    alice, bob = UserFactory(), UserFactory()
    graph.follow_create(follower=bob, following=alice)
    first = graph.block_create(blocker=alice, blocked=bob)

    again = graph.block_create(blocker=alice, blocked=bob)

    assert again.pk == first.pk
    assert Block.objects.count() == 1
    assert counts(alice) == (0, 0)
    assert counts(bob) == (0, 0)


@pytest.mark.django_db
def test_blocking_yourself_is_refused():
    alice = UserFactory()

    with pytest.raises(ValidationError):
        graph.block_create(blocker=alice, blocked=alice)
    with pytest.raises(ValidationError):
        graph.block_remove(blocker=alice, blocked=alice)


@pytest.mark.django_db
def test_unblocking_lets_them_follow_again_but_restores_nothing():
    alice, bob = UserFactory(), UserFactory()
    graph.follow_create(follower=bob, following=alice)
    graph.block_create(blocker=alice, blocked=bob)

    assert graph.block_remove(blocker=alice, blocked=bob) is True
    assert graph.block_remove(blocker=alice, blocked=bob) is False

    assert not Follow.objects.exists()
    graph.follow_create(follower=bob, following=alice)
    assert counts(alice) == (1, 0)


@pytest.mark.django_db
def test_unblocking_only_undoes_my_own_block():
    alice, bob = UserFactory(), UserFactory()
    BlockFactory(blocker=bob, blocked=alice)

    assert graph.block_remove(blocker=alice, blocked=bob) is False
    assert Block.objects.filter(blocker=bob, blocked=alice).exists()


# --- mutes -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_muting_is_idempotent_and_the_muted_person_is_not_told():
    alice, bob = UserFactory(), UserFactory()

    first = graph.mute_create(muter=alice, muted=bob)
    again = graph.mute_create(muter=alice, muted=bob)

    assert again.pk == first.pk
    assert Mute.objects.count() == 1
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_muted_account_stops_notifying_but_still_follows(committed):
    alice, bob = UserFactory(), UserFactory()
    graph.mute_create(muter=alice, muted=bob)

    with committed():
        graph.follow_create(follower=bob, following=alice)

    assert counts(alice) == (1, 0)
    assert kinds_for(alice) == []


@pytest.mark.django_db
def test_unmuting_brings_notifications_back(committed):
    alice, bob = UserFactory(), UserFactory()
    graph.mute_create(muter=alice, muted=bob)

    assert graph.mute_remove(muter=alice, muted=bob) is True
    assert graph.mute_remove(muter=alice, muted=bob) is False

    with committed():
        graph.follow_create(follower=bob, following=alice)
    assert kinds_for(alice) == [Kind.FOLLOW]


@pytest.mark.django_db
def test_muting_yourself_is_refused():
    alice = UserFactory()

    with pytest.raises(ValidationError):
        graph.mute_create(muter=alice, muted=alice)
    with pytest.raises(ValidationError):
        graph.mute_remove(muter=alice, muted=alice)


# --- notifications ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_notification_for_your_own_action_or_across_a_block():
    alice, bob = UserFactory(), UserFactory()

    assert notices.notification_create(recipient=alice, actor=alice, kind=Kind.FOLLOW) is None
    BlockFactory(blocker=bob, blocked=alice)
    assert notices.notification_create(recipient=alice, actor=bob, kind=Kind.FOLLOW) is None
    assert notices.notification_create(recipient=bob, actor=alice, kind=Kind.FOLLOW) is None
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_marking_all_read_clears_only_my_unread_badge():
    alice, bob = UserFactory(), UserFactory()
    NotificationFactory.create_batch(3, recipient=alice)
    NotificationFactory(recipient=bob)

    assert notices.notification_mark_all_read(user=alice) == 3
    assert notices.notification_mark_all_read(user=alice) == 0

    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1


# --- reports ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["post", "comment", "user"])
def test_anyone_can_report_a_post_comment_or_account(kind):
    reporter = UserFactory()
    target = {"post": PostFactory, "comment": CommentFactory, "user": UserFactory}[kind]()

    report, _ = reports.report_create(
        reporter=reporter, reason=Report.Reason.SPAM, text="  buy followers  ", **{kind: target}
    )

    assert report.status == Report.Status.OPEN
    assert report.target == target
    assert report.text == "buy followers"


@pytest.mark.django_db
def test_reporting_again_while_open_returns_the_same_report_unchanged():
    reporter, post = UserFactory(), PostFactory()
    first, _ = reports.report_create(reporter=reporter, reason=Report.Reason.SPAM, post=post)

    again, created = reports.report_create(
        reporter=reporter, reason=Report.Reason.HATE, text="more", post=post
    )

    assert again.pk == first.pk
    assert created is False
    again.refresh_from_db()
    assert (again.reason, again.text) == (Report.Reason.SPAM, "")
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_handled_report_does_not_stop_a_new_one():
    reporter, bob = UserFactory(), UserFactory()
    ReportFactory(reporter=reporter, user=bob, status=Report.Status.DISMISSED)

    report, _ = reports.report_create(reporter=reporter, reason=Report.Reason.HARASSMENT, user=bob)

    assert report.status == Report.Status.OPEN
    assert Report.objects.count() == 2


@pytest.mark.django_db
def test_other_reporters_each_get_their_own_report():
    post = PostFactory()
    for reporter in UserFactory.create_batch(2):
        reports.report_create(reporter=reporter, reason=Report.Reason.SPAM, post=post)

    assert Report.objects.filter(post=post).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("targets", [set(), {"post", "user"}, {"post", "comment", "user"}])
def test_a_report_needs_exactly_one_target(targets):
    available = {"post": PostFactory(), "comment": CommentFactory(), "user": UserFactory()}

    with pytest.raises(ValidationError) as error:
        reports.report_create(
            reporter=UserFactory(),
            reason=Report.Reason.SPAM,
            **{kind: available[kind] for kind in targets},
        )

    assert "exactly one" in error.value.messages[0]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_needs_a_known_reason_and_short_text():
    with pytest.raises(ValidationError) as error:
        reports.report_create(
            reporter=UserFactory(), reason="boring", text="x" * 1001, user=UserFactory()
        )

    assert set(error.value.message_dict) == {"reason", "text"}
    assert "1000" in error.value.message_dict["text"][0]
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_a_report_of_exactly_1000_characters_is_fine():
    report, _ = reports.report_create(
        reporter=UserFactory(), reason=Report.Reason.OTHER, text="x" * 1000, user=UserFactory()
    )

    assert len(report.text) == 1000


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["post", "comment", "user"])
def test_you_cannot_report_yourself_or_your_own_content(kind):
    me = UserFactory()
    target = {
        "post": lambda: PostFactory(author=me),
        "comment": lambda: CommentFactory(author=me),
        "user": lambda: me,
    }[kind]()

    with pytest.raises(ValidationError) as error:
        reports.report_create(reporter=me, reason=Report.Reason.SPAM, **{kind: target})

    assert kind in error.value.message_dict
    assert not Report.objects.exists()


# --- concurrency -----------------------------------------------------------------------------


def run_at_once(calls):
    """Run each call in its own thread, released together; return the errors they raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def worker(call):
        try:
            barrier.wait()
            call()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_follows_of_one_account_count_exactly_once_each():
    star = UserFactory()
    fans = UserFactory.create_batch(20)
    # Twenty fans follow at once, and four of them tap "follow" a second time meanwhile.
    calls = [
        lambda fan=fan: graph.follow_create(follower=fan, following=star)
        for fan in [*fans, *fans[:4]]
    ]

    assert run_at_once(calls) == []

    star.refresh_from_db()
    rows = Follow.objects.accepted().filter(following=star)
    assert star.follower_count == rows.count() == 20
    assert set(rows.values_list("follower_id", flat=True)) == {fan.pk for fan in fans}
    for fan in fans:
        fan.refresh_from_db()
        assert fan.following_count == 1
    assert Notification.objects.filter(recipient=star, kind=Kind.FOLLOW).count() == 20


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_follows_and_unfollows_leaves_counters_equal_to_rows():
    star = UserFactory()
    leaving = UserFactory.create_batch(6)
    arriving = UserFactory.create_batch(6)
    for fan in leaving:
        graph.follow_create(follower=fan, following=star)
    calls = [lambda fan=fan: graph.follow_remove(follower=fan, following=star) for fan in leaving]
    calls += [lambda fan=fan: graph.follow_create(follower=fan, following=star) for fan in arriving]
    # Someone following and unfollowing at once ends either way, but never off by one.
    flipper = UserFactory()
    calls += [
        lambda: graph.follow_create(follower=flipper, following=star),
        lambda: graph.follow_remove(follower=flipper, following=star),
    ] * 3
    # Mutual follows at the same moment take the two row locks in the same order.
    calls += [lambda fan=fan: graph.follow_create(follower=star, following=fan) for fan in arriving]

    assert run_at_once(calls) == []

    followers = set(Follow.objects.filter(following=star).values_list("follower_id", flat=True))
    assert followers - {flipper.pk} == {fan.pk for fan in arriving}
    assert_follow_counters_match_rows(star, flipper, *leaving, *arriving)


@pytest.mark.django_db(transaction=True)
def test_concurrent_reports_of_one_post_make_one_open_report():
    reporter, post = UserFactory(), PostFactory()
    calls = [
        lambda: reports.report_create(reporter=reporter, reason=Report.Reason.SPAM, post=post)
    ] * 8

    assert run_at_once(calls) == []

    assert Report.objects.filter(reporter=reporter, post=post).count() == 1
