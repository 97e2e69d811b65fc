"""social.lifecycle: deleting an account and repairing counters, across every app."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services
from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from posts.models import Comment, Like, Post
from posts.services import comment_add, comment_like_add, post_counters_recount
from posts.tests.factories import CommentFactory, PostFactory, image_upload
from social import lifecycle
from social.graph import services as graph
from social.graph.models import Follow
from social.tests.factories import FollowFactory

GOOD_PASSWORD = "a-long-unusual-passphrase"


# --- user_delete -----------------------------------------------------------------------------


def like(user, post):
    Like.objects.create(user=user, post=post)
    Post.objects.filter(pk=post.pk).update(like_count=post.likes.count())


def comment(user, post, removed=False):
    CommentFactory(author=user, post=post, removed_at=timezone.now() if removed else None)
    live = Comment.objects.filter(post=post, removed_at__isnull=True).count()
    Post.objects.filter(pk=post.pk).update(comment_count=live)


def assert_every_counter_matches_its_rows():
    for post in Post.objects.annotate(
        likes_n=Count("likes", distinct=True),
        comments_n=Count("comments", filter=Q(comments__removed_at__isnull=True), distinct=True),
    ):
        assert (post.like_count, post.comment_count) == (post.likes_n, post.comments_n), post
    for user in User.objects.all():
        accepted = Follow.objects.accepted()
        assert user.follower_count == accepted.filter(following=user).count(), user
        assert user.following_count == accepted.filter(follower=user).count(), user
        assert user.post_count == Post.objects.filter(author=user, removed_at=None).count(), user


@pytest.fixture
def network(db):
    """Leaving takes part in everything; the others' counters start equal to their rows."""
    leaving, ann, ben, cat = UserFactory(), UserFactory(), UserFactory(), UserFactory(private=True)
    anns, bens = PostFactory(author=ann), PostFactory(author=ben)
    own = PostFactory(author=leaving)
    User.objects.filter(pk__in=[ann.pk, ben.pk, leaving.pk]).update(post_count=1)
    for liker, post in [(leaving, anns), (ben, anns), (leaving, bens), (ann, own)]:
        like(liker, post)
    for author, post in [
        (leaving, anns),
        (leaving, anns),
        (ben, anns),
        (leaving, bens),
        (ann, own),
    ]:
        comment(author, post)
    comment(leaving, bens, removed=True)
    for follower, following in [(leaving, ann), (leaving, ben), (ann, leaving), (ben, ann)]:
        graph.follow_create(follower=follower, following=following)
    graph.follow_create(follower=leaving, following=cat)  # stays a request
    graph.follow_create(follower=cat, following=leaving)
    assert_every_counter_matches_its_rows()
    return leaving, ann, ben, cat, anns, bens


def test_deleting_an_account_needs_the_right_password(network):
    leaving = network[0]

    with pytest.raises(ValidationError) as error:
        lifecycle.user_delete(user=leaving, password="wrong password")

    assert list(error.value.message_dict) == ["password"]
    assert User.objects.filter(pk=leaving.pk).exists()


def test_deleting_an_account_removes_its_content_and_keeps_everyone_elses_counters(network):
    leaving, ann, ben, cat, anns, bens = network

    lifecycle.user_delete(user=leaving, password=PASSWORD)

    assert not User.objects.filter(pk=leaving.pk).exists()
    assert not Post.objects.filter(author_id=leaving.pk).exists()
    assert not Comment.objects.filter(author_id=leaving.pk).exists()
    assert not Like.objects.filter(user_id=leaving.pk).exists()
    assert not Follow.objects.filter(
        Q(follower_id=leaving.pk) | Q(following_id=leaving.pk)
    ).exists()
    assert_every_counter_matches_its_rows()
    anns.refresh_from_db()
    bens.refresh_from_db()
    assert (anns.like_count, anns.comment_count) == (1, 1)
    assert (bens.like_count, bens.comment_count) == (0, 0)
    for user in (ann, ben, cat):
        user.refresh_from_db()
    assert (ann.follower_count, ann.following_count) == (1, 0)
    assert (ben.follower_count, ben.following_count) == (0, 1)
    assert (cat.follower_count, cat.following_count) == (0, 0)


@pytest.mark.django_db
def test_deleting_an_account_takes_the_same_queries_for_many_likes_as_for_few():
    ann = UserFactory()
    posts = PostFactory.create_batch(12, author=ann)
    User.objects.filter(pk=ann.pk).update(post_count=12)
    few, many = UserFactory(), UserFactory()
    for user, liked in [(few, posts[:2]), (many, posts)]:
        for post in liked:
            like(user, post)
            comment(user, post)
            graph.follow_create(follower=UserFactory(), following=user)

    query_counts = []
    for user in (few, many):
        with CaptureQueriesContext(connection) as queries:
            lifecycle.user_delete(user=user, password=PASSWORD)
        query_counts.append(len(queries))

    assert query_counts[0] == query_counts[1]
    assert_every_counter_matches_its_rows()


@pytest.mark.django_db
def test_deleting_an_account_removes_its_files_once_committed(django_capture_on_commit_callbacks):
    user = UserFactory()
    services.user_profile_update(user=user, avatar=image_upload("me.jpg"))
    post = PostFactory(author=user)
    files = [user.avatar.path, *(image.image.path for image in post.images.all())]
    storage = user.avatar.storage

    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.user_delete(user=user, password=PASSWORD)

    assert files
    assert not any(storage.exists(path) for path in files)


# --- user_counters_recount -------------------------------------------------------------------


@pytest.mark.django_db
def test_recount_repairs_drifted_counters_and_reports_how_many_users_changed():
    ann, ben, cat = UserFactory(), UserFactory(), UserFactory()
    PostFactory.create_batch(2, author=ann)
    PostFactory(author=ann, removed_at=timezone.now())
    FollowFactory(follower=ben, following=ann)
    FollowFactory(follower=cat, following=ann, status=Follow.Status.PENDING)
    User.objects.filter(pk=ann.pk).update(post_count=9, follower_count=0, following_count=4)
    User.objects.filter(pk=ben.pk).update(following_count=1)  # already right

    assert lifecycle.user_counters_recount() == 1
    assert lifecycle.user_counters_recount() == 0

    for user in (ann, ben, cat):
        user.refresh_from_db()
    assert (ann.post_count, ann.follower_count, ann.following_count) == (2, 1, 0)
    assert (ben.post_count, ben.follower_count, ben.following_count) == (0, 0, 1)
    assert (cat.post_count, cat.follower_count, cat.following_count) == (0, 0, 0)


@pytest.mark.django_db
def test_recount_can_be_limited_to_some_users():
    ann, ben = UserFactory(), UserFactory()
    User.objects.filter(pk__in=[ann.pk, ben.pk]).update(follower_count=5)

    assert lifecycle.user_counters_recount(user_ids=[ann.pk]) == 1

    ann.refresh_from_db()
    ben.refresh_from_db()
    assert (ann.follower_count, ben.follower_count) == (0, 5)


def test_staff_delete_an_account_without_its_password_keeping_everyone_elses_counters(network):
    leaving = network[0]

    lifecycle.user_delete_by_staff(user=leaving)

    assert not User.objects.filter(pk=leaving.pk).exists()
    assert not Post.objects.filter(author_id=leaving.pk).exists()
    assert_every_counter_matches_its_rows()


@pytest.mark.django_db
def test_deleting_an_account_keeps_the_counters_of_threads_it_took_part_in():
    ann, ben, leaving = UserFactory(), UserFactory(), UserFactory()
    post = PostFactory(author=ann)
    anns = comment_add(author=ann, post=post, text="Mine")
    comment_add(author=leaving, post=post, text="A reply", reply_to=anns)
    comment_like_add(user=leaving, comment=anns)
    theirs = comment_add(author=leaving, post=post, text="Theirs")
    comment_add(author=ben, post=post, text="Goes with it", reply_to=theirs)
    comment_like_add(user=ben, comment=anns)

    lifecycle.user_delete(user=leaving, password=PASSWORD)

    post.refresh_from_db()
    anns.refresh_from_db()
    assert post.comment_count == Comment.objects.filter(post=post).count() == 1
    assert (anns.reply_count, anns.like_count) == (0, 1)
    assert post_counters_recount() == 0
