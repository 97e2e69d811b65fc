"""Home timelines in Redis (posts/timelines.py): the feed they serve is the pull query's.

The tests marked `services` need Redis (REDIS_URL; `make test-services` runs them, or
`REDIS_URL=redis://127.0.0.1:<port>/0 pytest -m services posts/tests/test_timelines.py`
against a redis-server of your own) and fail without it. The others hold on either tier.
"""

import contextlib
import itertools
import os

import pytest
import redis
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from core.pagination import InvalidCursor
from posts import timelines
from posts.models import Post
from posts.selectors import home_feed, home_feed_pull
from posts.services import post_create, post_delete
from posts.tests.factories import PostFactory, photo_upload
from posts.timelines import member_of, redis_backoff_reset, timeline_key
from social.graph.services import (
    block_create,
    block_remove,
    follow_create,
    follow_remove,
    follow_request_accept,
    mute_create,
    mute_remove,
    user_privacy_set,
)
from social.graph.triggers import timelines_enabled
from social.lifecycle import user_delete_by_staff
from social.moderation.services import post_remove, post_restore, user_suspend, user_unsuspend
from social.tests.factories import FollowFactory
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db
services = pytest.mark.services

_seeds = itertools.count(1)


@pytest.fixture
def redis_timelines():
    """The Redis the timelines live in; a failure, not a skip, when there is none."""
    if not timelines_enabled():
        pytest.fail(
            "These tests need Redis as the cache (REDIS_URL): run make test-services, or set "
            "REDIS_URL to a redis-server of your own."
        )
    from django_redis import get_redis_connection

    redis_backoff_reset()
    yield get_redis_connection("default")
    redis_backoff_reset()


def publish(committed, author):
    """A post through post_create (fan-out and all), after its commit."""
    with committed():
        return post_create(author=author, images=[photo_upload(seed=next(_seeds), size=(96, 72))])


def timeline_ids(connection, user):
    members = connection.zrevrange(timeline_key(user.pk), 0, -1)
    return [int(member) for member in members if member != b"~floor"]


def page_through(viewer, page_size, pages=("mixed",)):
    """Every post id of `viewer`'s feed, page by page, each page from the path `pages` names
    in turn: "feed" (home_feed: Redis when it can), "pull" (the pull query alone)."""
    ids, cursor = [], None
    for path in itertools.cycle(pages):
        read = home_feed if path == "feed" else home_feed_pull
        page = read(viewer=viewer, cursor=cursor, page_size=page_size)
        assert len(page.items) == page_size or not page.has_next
        ids += [post.pk for post in page.items]
        if not page.has_next:
            return ids
        cursor = page.next_cursor


def pull_ids(viewer):
    return [post.pk for post in home_feed_pull(viewer=viewer, page_size=100)]


@pytest.fixture
def answered(monkeypatch):
    """Counts the pages the Redis timeline answered (the others fell back to the pull query)."""
    counts = {"redis": 0, "pull": 0}
    real = timelines.timeline_page

    def counting(**kwargs):
        page = real(**kwargs)
        counts["pull" if page is None else "redis"] += 1
        return page

    monkeypatch.setattr("posts.selectors.timeline_page", counting)
    return counts


# --- The property: the Redis feed is the pull feed -----------------------------------------

OPS = [
    "post",
    "post",
    "read",
    "follow",
    "unfollow",
    "block",
    "unblock",
    "mute",
    "unmute",
    "remove",
    "restore",
    "delete",
    "private",
    "public",
    "accept",
    "suspend",
    "unsuspend",
]


def _apply(op, a, b, users, posts, moderator):
    """Do `op` with users a and b (a post of b's for post operations) through the services."""
    me, other = users[a], users[b]
    mine = [post for post in posts if post.author_id == other.pk]
    post = mine[a % len(mine)] if mine else None
    match op:
        case "follow":
            follow_create(follower=me, following=other)
        case "unfollow":
            follow_remove(follower=me, following=other)
        case "block":
            block_create(blocker=me, blocked=other)
        case "unblock":
            block_remove(blocker=me, blocked=other)
        case "mute":
            mute_create(muter=me, muted=other)
        case "unmute":
            mute_remove(muter=me, muted=other)
        case "private" | "public":
            other.refresh_from_db()
            user_privacy_set(user=other, is_private=op == "private")
        case "accept":
            for follow in other.follower_set.filter(status="pending")[:1]:
                follow_request_accept(owner=other, follow_id=follow.pk)
        case "suspend" | "unsuspend":
            other.refresh_from_db()
            (user_suspend if op == "suspend" else user_unsuspend)(
                moderator=moderator, user=other, reason="test"
            )
        case "remove" | "restore" if post is not None:
            post.refresh_from_db()
            (post_remove if op == "remove" else post_restore)(
                moderator=moderator, post=post, reason="test"
            )
        case "delete" if post is not None:
            post_delete(actor=other, post=post)
            posts.remove(post)


@services
@hypothesis_settings(
    max_examples=int(os.environ.get("TIMELINE_EXAMPLES", 30)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(OPS), st.integers(0, 3), st.integers(0, 3)),
        min_size=1,
        max_size=25,
    ),
    page_size=st.integers(1, 4),
)
def test_the_redis_feed_and_the_pull_feed_show_the_same_posts_in_the_same_order(
    redis_timelines, committed, settings, answered, steps, page_size
):
    # A small cap and threshold, so that floors, continuation from the database, big authors
    # merged at read time and authors crossing the threshold all happen in a few steps.
    settings.SHUTTER = {
        **settings.SHUTTER,
        "TIMELINE_SIZE": 4,
        "TIMELINE_FANOUT_MAX_FOLLOWERS": 1,
    }
    users = UserFactory.create_batch(4)
    moderator = moderator_make()
    posts = []
    for user in users:
        posts.append(publish(committed, user))
        home_feed(viewer=user)  # every timeline starts warm
    for op, a, b in steps:
        if op == "post":
            # Refused when it looks like an image moderators removed: nothing stored.
            with contextlib.suppress(ValidationError):
                posts.append(publish(committed, users[b]))
            continue
        if op == "read":
            expected = pull_ids(users[a])
            story = f"user {a} reading after {steps}, pages of {page_size}"
            assert page_through(users[a], page_size, ("feed",)) == expected, story
            continue
        if a == b and op not in {"remove", "restore", "delete", "suspend", "unsuspend"}:
            continue
        try:
            with committed():
                _apply(op, a, b, users, posts, moderator)
        except (ValidationError, PermissionDenied, ObjectDoesNotExist):
            pass  # refused (already suspended, blocked...): nothing changed
    for user in users:
        user.refresh_from_db()
        expected = pull_ids(user)
        # Redis all the way (where it can vouch), and a cursor of one path continued by the other.
        story = f"user {users.index(user)} after {steps}, pages of {page_size}"
        assert page_through(user, page_size, ("feed",)) == expected, story
        assert page_through(user, page_size, ("feed", "pull")) == expected, story
        assert page_through(user, page_size, ("pull", "feed")) == expected, story
    assert answered["redis"] > 0


# --- Fan-out --------------------------------------------------------------------------------


@services
def test_a_post_reaches_the_timelines_of_active_followers_only_and_the_others_rebuild_on_read(
    redis_timelines, committed
):
    author, active, inactive = UserFactory.create_batch(3)
    FollowFactory(follower=active, following=author)
    FollowFactory(follower=inactive, following=author)
    home_feed(viewer=active)  # reading the feed is being active: the timeline exists

    post = publish(committed, author)

    assert timeline_ids(redis_timelines, active) == [post.pk]
    assert not redis_timelines.exists(timeline_key(inactive.pk))
    assert [item.pk for item in home_feed(viewer=inactive).items] == [post.pk]
    assert timeline_ids(redis_timelines, inactive) == [post.pk]


@services
def test_a_big_authors_post_is_not_fanned_out_yet_shows_through_the_read_time_merge(
    redis_timelines, committed, settings, answered
):
    settings.SHUTTER = {**settings.SHUTTER, "TIMELINE_FANOUT_MAX_FOLLOWERS": 2}
    star, small = UserFactory.create_batch(2)
    fans = UserFactory.create_batch(3)
    with committed():
        for fan in fans:
            follow_create(follower=fan, following=star)
        follow_create(follower=fans[0], following=small)
    for reader in (*fans, star):
        home_feed(viewer=reader)
    older = publish(committed, small)
    starred = publish(committed, star)
    newer = publish(committed, small)

    assert timeline_ids(redis_timelines, fans[0]) == [newer.pk, older.pk]
    assert timeline_ids(redis_timelines, star) == [starred.pk]  # the author's own, always
    assert page_through(fans[0], 1, ("feed",)) == [newer.pk, starred.pk, older.pk]
    assert page_through(fans[1], 2, ("feed",)) == [starred.pk]
    assert answered == {"redis": 8, "pull": 0}


@services
def test_an_author_falling_back_under_the_threshold_is_fanned_out_again(
    redis_timelines, committed, settings
):
    settings.SHUTTER = {**settings.SHUTTER, "TIMELINE_FANOUT_MAX_FOLLOWERS": 1}
    star, stays, leaves = UserFactory.create_batch(3)
    with committed():
        follow_create(follower=stays, following=star)
        follow_create(follower=leaves, following=star)
    home_feed(viewer=stays)
    post = publish(committed, star)
    assert post.pk not in timeline_ids(redis_timelines, stays)

    with committed():
        follow_remove(follower=leaves, following=star)

    assert timeline_ids(redis_timelines, stays) == [post.pk]
    assert [item.pk for item in home_feed(viewer=stays).items] == [post.pk]


@services
def test_an_author_brought_under_the_threshold_by_a_deleted_account_is_fanned_out_again(
    redis_timelines, committed, settings
):
    settings.SHUTTER = {**settings.SHUTTER, "TIMELINE_FANOUT_MAX_FOLLOWERS": 1}
    star, stays, leaves = UserFactory.create_batch(3)
    with committed():
        follow_create(follower=stays, following=star)
        follow_create(follower=leaves, following=star)
    home_feed(viewer=stays)
    post = publish(committed, star)

    with committed():
        user_delete_by_staff(user=leaves)

    assert timeline_ids(redis_timelines, stays) == [post.pk]


# --- Writes that take posts in and out -------------------------------------------------------


@services
def test_follow_unfollow_mute_block_removal_and_suspension_move_the_authors_posts(
    redis_timelines, committed
):
    me, author, moderator = UserFactory(), UserFactory(), moderator_make()
    first, second = publish(committed, author), publish(committed, author)
    home_feed(viewer=me)
    assert timeline_ids(redis_timelines, me) == []

    with committed():
        follow_create(follower=me, following=author)
    assert timeline_ids(redis_timelines, me) == [second.pk, first.pk]
    with committed():
        mute_create(muter=me, muted=author)
    assert timeline_ids(redis_timelines, me) == []
    with committed():
        mute_remove(muter=me, muted=author)
    assert timeline_ids(redis_timelines, me) == [second.pk, first.pk]
    with committed():
        post_remove(moderator=moderator, post=first, reason="spam")
    assert timeline_ids(redis_timelines, me) == [second.pk]
    with committed():
        post_restore(moderator=moderator, post=Post.objects.get(pk=first.pk), reason="ok")
    assert timeline_ids(redis_timelines, me) == [second.pk, first.pk]
    with committed():
        user_suspend(moderator=moderator, user=author, reason="spam")
    assert timeline_ids(redis_timelines, me) == []
    assert home_feed(viewer=me).items == []
    with committed():
        user_unsuspend(moderator=moderator, user=author, reason="appeal")
    assert timeline_ids(redis_timelines, me) == [second.pk, first.pk]
    with committed():
        post_delete(actor=author, post=second)
    assert timeline_ids(redis_timelines, me) == [first.pk]
    with committed():
        follow_remove(follower=me, following=author)
    assert timeline_ids(redis_timelines, me) == []
    with committed():
        follow_create(follower=me, following=author)
        follow_create(follower=author, following=me)
    home_feed(viewer=author)
    mine = publish(committed, me)
    assert timeline_ids(redis_timelines, author) == [mine.pk, first.pk]
    with committed():
        block_create(blocker=author, blocked=me)  # both ways: each leaves the other's timeline
    assert timeline_ids(redis_timelines, me) == [mine.pk]
    assert timeline_ids(redis_timelines, author) == [first.pk]


@services
def test_a_private_accounts_accepted_request_merges_its_posts_in(redis_timelines, committed):
    me, owner = UserFactory(), UserFactory(is_private=True)
    post = publish(committed, owner)
    home_feed(viewer=me)
    with committed():
        follow = follow_create(follower=me, following=owner)
    assert timeline_ids(redis_timelines, me) == []  # a request shows nothing yet
    with committed():
        follow_request_accept(owner=owner, follow_id=follow.pk)
    assert [item.pk for item in home_feed(viewer=me).items] == [post.pk]
    assert timeline_ids(redis_timelines, me) == [post.pk]


@services
def test_a_stale_id_never_leaks_and_the_page_still_fills(redis_timelines, committed):
    me, friend, stranger = UserFactory(), UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=me, following=friend)
    friends = [publish(committed, friend) for _ in range(3)]
    home_feed(viewer=me)
    secret = PostFactory(author=stranger)
    # An id that should never have been there, newer than everything: the check drops it.
    redis_timelines.zadd(timeline_key(me.pk), {member_of(secret.pk): 10**16})

    page = home_feed(viewer=me, page_size=3)

    assert [post.pk for post in page.items] == [post.pk for post in reversed(friends)]


# --- Cap, floor, cold and evicted timelines ----------------------------------------------------


@services
def test_past_the_cap_the_feed_continues_from_the_database(
    redis_timelines, committed, settings, answered
):
    settings.SHUTTER = {**settings.SHUTTER, "TIMELINE_SIZE": 5}
    me, author = UserFactory(), UserFactory()
    FollowFactory(follower=me, following=author)
    home_feed(viewer=me)
    posts = [publish(committed, author) for _ in range(12)]

    assert len(timeline_ids(redis_timelines, me)) == 5
    assert page_through(me, 4, ("feed",)) == [post.pk for post in reversed(posts)]
    assert answered["redis"] >= 1 and answered["pull"] >= 1  # the last pages: the database


@services
def test_a_cold_or_evicted_timeline_is_rebuilt_on_read_and_its_cursor_still_holds(
    redis_timelines,
):
    me, author = UserFactory(), UserFactory()
    FollowFactory(follower=me, following=author)
    posts = [PostFactory(author=author) for _ in range(5)]
    expected = [post.pk for post in reversed(posts)]

    first = home_feed(viewer=me, page_size=2)
    assert timeline_ids(redis_timelines, me) == expected
    redis_timelines.delete(timeline_key(me.pk))  # evicted between two pages
    second = home_feed(viewer=me, cursor=first.next_cursor, page_size=2)
    third = home_feed(viewer=me, cursor=second.next_cursor, page_size=2)

    assert [post.pk for page in (first, second, third) for post in page.items] == expected
    assert not third.has_next


@services
def test_posts_made_in_the_same_microsecond_page_in_id_order_on_both_paths(redis_timelines):
    me, author = UserFactory(), UserFactory()
    FollowFactory(follower=me, following=author)
    posts = [PostFactory(author=author) for _ in range(6)]
    Post.objects.filter(pk__in=[post.pk for post in posts[1:5]]).update(
        created_at=posts[0].created_at
    )
    expected = pull_ids(me)

    assert page_through(me, 2, ("feed",)) == expected
    assert page_through(me, 3, ("feed", "pull")) == expected
    assert page_through(me, 1, ("pull", "feed")) == expected


# --- Cost, failure ------------------------------------------------------------------------------


@pytest.fixture
def round_trips(monkeypatch):
    """Counts the commands sent to Redis as one write each: a pipeline is one round trip."""
    sent = []
    real = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return real(self, command, check_health)

    monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
    return sent


@services
@pytest.mark.parametrize("size", [5, 20, 50])
def test_a_page_of_the_timeline_costs_the_same_redis_round_trips_and_queries_at_any_size(
    redis_timelines, size, round_trips, django_assert_num_queries, answered
):
    me = UserFactory()
    authors = UserFactory.create_batch(3)
    for author in authors:
        FollowFactory(follower=me, following=author)
    for i in range(2 * size + 1):
        PostFactory(author=authors[i % 3])
    first = home_feed(viewer=me, page_size=size)  # cold: read + rebuild
    round_trips.clear()

    # The big authors I follow, the page's ids checked (with their posts merged) reading the
    # cards' rows, then the images of the cards not cached yet (posts.hydration's cache has
    # tests of its own). Redis: the timeline's read, the cards' read, the write of new ones.
    with django_assert_num_queries(3):
        second = home_feed(viewer=me, cursor=first.next_cursor, page_size=size)
    assert len(round_trips) == 3
    # Cards cached: no images to read; the timeline's read and the cards' read.
    round_trips.clear()
    with django_assert_num_queries(2):
        again = home_feed(viewer=me, cursor=first.next_cursor, page_size=size)

    assert len(round_trips) == 2
    assert len(second.items) == size and second.has_next
    assert [card.pk for card in again.items] == [card.pk for card in second.items]
    assert answered == {"redis": 3, "pull": 0}


@services
def test_with_redis_unreachable_the_pull_query_serves_the_feed_and_pages_answer(
    redis_timelines, monkeypatch, client, committed
):
    me, author = UserFactory(), UserFactory()
    FollowFactory(follower=me, following=author)
    post = publish(committed, author)
    dead = redis.Redis(port=1, socket_connect_timeout=0.2)
    monkeypatch.setattr(timelines, "_connection", lambda: dead)
    client.force_login(me)
    api = APIClient()
    api.force_authenticate(me)

    page = client.get(reverse("posts:home"))
    feed = api.get(reverse("api:feed"))

    assert page.status_code == 200 and f"/p/{post.pk}/" in page.content.decode()
    assert feed.status_code == 200
    assert [item["id"] for item in feed.json()["results"]] == [post.pk]


def test_without_redis_the_pull_query_serves_the_feed_and_no_timeline_work_is_queued(committed):
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        me, author = UserFactory(), UserFactory()
        with committed():
            follow_create(follower=me, following=author)
        post = publish(committed, author)

        assert [item.pk for item in home_feed(viewer=me).items] == [post.pk]
        assert timelines.timeline_page(viewer=me) is None
        assert not OutboxMessage.objects.filter(task__startswith="posts.tasks.timeline").exists()


def test_a_forged_cursor_is_refused_on_the_timeline_path_too():
    with pytest.raises(InvalidCursor):
        timelines.timeline_page(viewer=UserFactory(), cursor="made-up")
