"""Likes and saves as idempotent toggles, exact counters (also under concurrency), recount."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from posts.models import Comment, Like, Post, SavedPost
from posts.services import (
    like_add,
    like_remove,
    post_counters_recount,
    save_add,
    save_remove,
)
from posts.tests.factories import CommentFactory, PostFactory
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

THREADS = 20


def like_count(post):
    post.refresh_from_db()
    return post.like_count


def likes_notified(post):
    return Notification.objects.filter(
        recipient=post.author, kind=Notification.Kind.LIKE, post=post
    )


@pytest.fixture
def post():
    return PostFactory()


# --- Likes ---------------------------------------------------------------------------------------


def test_like_add_counts_the_like_and_tells_the_author(post, committed):
    fan = UserFactory()

    with committed():
        assert like_add(user=fan, post=post) is True

    assert like_count(post) == 1
    assert list(likes_notified(post).values_list("actor", flat=True)) == [fan.pk]


def test_like_add_twice_is_one_like_one_notification(post, committed):
    fan = UserFactory()
    with committed():
        like_add(user=fan, post=post)

    with committed():
        assert like_add(user=fan, post=post) is False

    assert like_count(post) == Like.objects.count() == 1
    assert likes_notified(post).count() == 1


def test_like_add_that_changes_nothing_costs_four_queries(post, django_assert_num_queries):
    fan = UserFactory()
    like_add(user=fan, post=post)

    # 1. the visibility check, 2. SAVEPOINT (the test's transaction wraps ours),
    # 3. the existing like found by get_or_create, 4. RELEASE SAVEPOINT.
    with django_assert_num_queries(4):
        like_add(user=fan, post=post)


def test_like_add_on_ones_own_post_notifies_nobody(post, committed):
    with committed():
        like_add(user=post.author, post=post)

    assert like_count(post) == 1
    assert not Notification.objects.exists()


def test_like_remove_uncounts_the_like_and_withdraws_its_notification(post, committed):
    fan = UserFactory()
    with committed():
        like_add(user=fan, post=post)
    assert likes_notified(post).exists()

    assert like_remove(user=fan, post=post) is True

    assert like_count(post) == 0
    assert not Like.objects.exists()
    assert not likes_notified(post).exists()


def test_like_remove_without_a_like_changes_nothing(post, committed):
    with committed():
        like_add(user=UserFactory(), post=post)

    assert like_remove(user=UserFactory(), post=post) is False

    assert like_count(post) == 1
    assert likes_notified(post).count() == 1


def test_like_remove_keeps_other_notifications_of_the_same_people(post, committed):
    fan = UserFactory()
    with committed():
        like_add(user=fan, post=post)
        like_add(user=fan, post=PostFactory(author=post.author))

    like_remove(user=fan, post=post)

    assert Notification.objects.filter(kind=Notification.Kind.LIKE).count() == 1


def test_like_add_on_a_private_post_needs_an_accepted_follow():
    post = PostFactory(author__is_private=True)
    follower = FollowFactory(following=post.author).follower

    with pytest.raises(Post.DoesNotExist):
        like_add(user=UserFactory(), post=post)
    like_add(user=follower, post=post)

    assert like_count(post) == 1


@pytest.mark.parametrize("toggle", [like_add, like_remove, save_add, save_remove])
@pytest.mark.parametrize("direction", ["author blocked reader", "reader blocked author"])
def test_likes_and_saves_across_a_block_are_not_found(post, toggle, direction, committed):
    reader = UserFactory()
    if direction == "author blocked reader":
        BlockFactory(blocker=post.author, blocked=reader)
    else:
        BlockFactory(blocker=reader, blocked=post.author)

    with committed(), pytest.raises(Post.DoesNotExist):
        toggle(user=reader, post=post)

    assert not Like.objects.exists()
    assert not SavedPost.objects.exists()
    assert not Notification.objects.exists()


def test_like_add_on_a_removed_post_is_not_found():
    post = PostFactory(removed_at=timezone.now())

    with pytest.raises(Post.DoesNotExist):
        like_add(user=UserFactory(), post=post)


# --- Saves ---------------------------------------------------------------------------------------


def test_save_add_and_remove_are_idempotent_toggles(post):
    reader = UserFactory()

    assert save_add(user=reader, post=post) is True
    assert save_add(user=reader, post=post) is False
    assert SavedPost.objects.filter(user=reader, post=post).count() == 1

    assert save_remove(user=reader, post=post) is True
    assert save_remove(user=reader, post=post) is False
    assert not SavedPost.objects.exists()
    assert not Notification.objects.exists()  # saving is private


# --- Recount -------------------------------------------------------------------------------------


def test_post_counters_recount_repairs_drift_and_says_how_many_posts_changed():
    drifted, exact, empty = PostFactory(), PostFactory(), PostFactory()
    for user in UserFactory.create_batch(3):
        Like.objects.create(user=user, post=drifted)
    CommentFactory(post=drifted)
    CommentFactory(post=drifted, removed_at=timezone.now())  # removed: not counted
    like_add(user=UserFactory(), post=exact)
    Post.objects.filter(pk=empty.pk).update(like_count=7, comment_count=2)

    assert post_counters_recount() == 2

    counts = dict(Post.objects.values_list("pk", "like_count"))
    assert counts == {drifted.pk: 3, exact.pk: 1, empty.pk: 0}
    assert [Post.objects.get(pk=p.pk).comment_count for p in (drifted, exact, empty)] == [1, 0, 0]
    assert post_counters_recount() == 0


def test_post_counters_recount_can_be_limited_to_some_posts():
    first, second = PostFactory(), PostFactory()
    Post.objects.filter(pk__in=[first.pk, second.pk]).update(like_count=5)

    assert post_counters_recount(post_ids=[first.pk]) == 1

    assert like_count(first) == 0
    assert like_count(second) == 5
    assert Comment.objects.count() == 0


# --- Concurrency ---------------------------------------------------------------------------------


def run_at_once(work, arguments):
    """Run `work(argument)` in one thread per argument, released together; re-raise failures."""
    barrier = threading.Barrier(len(arguments))
    errors = []

    def run(argument):
        try:
            barrier.wait()
            work(argument)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_by_many_people_are_each_counted_once():
    post = PostFactory()
    fans = UserFactory.create_batch(THREADS)

    def double_tap(fan):
        like_add(user=fan, post=post)
        like_add(user=fan, post=post)

    run_at_once(double_tap, fans)

    assert like_count(post) == Like.objects.filter(post=post).count() == THREADS
    assert Like.objects.values("user").distinct().count() == THREADS
    assert likes_notified(post).count() == THREADS


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_by_one_person_on_many_devices_count_once():
    post = PostFactory()
    fan = UserFactory()

    run_at_once(lambda _: like_add(user=fan, post=post), range(THREADS))

    assert like_count(post) == Like.objects.count() == 1
    assert likes_notified(post).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_and_unlikes_leave_counter_equal_to_rows():
    post = PostFactory()
    fans = UserFactory.create_batch(THREADS)
    stays = set(fans[: THREADS // 2])

    def change_mind(fan):
        like_add(user=fan, post=post)
        like_remove(user=fan, post=post)
        like_add(user=fan, post=post)
        if fan not in stays:
            like_remove(user=fan, post=post)

    run_at_once(change_mind, fans)

    likers = set(Like.objects.filter(post=post).values_list("user", flat=True))
    assert likers == {fan.pk for fan in stays}
    assert like_count(post) == len(stays)
    assert set(likes_notified(post).values_list("actor", flat=True)) == likers
