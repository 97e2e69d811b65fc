"""Cached reads of posts: the explore ranking and hashtags, and why they never leak."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from posts.cache import EXPLORE_KEY
from posts.models import Hashtag, Post
from posts.selectors import (
    EXPLORE_CANDIDATES,
    explore,
    hashtag_get,
    tag_posts,
)
from posts.services import post_create
from posts.tests.factories import PostFactory, photo_upload
from social.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def ids(page):
    return [post.pk for post in page]


# --- explore ---------------------------------------------------------------------------------


def test_the_explore_ranking_is_shared_and_a_hit_saves_its_query(django_assert_num_queries):
    for likes in (3, 9, 1):
        PostFactory(like_count=likes)
    someone, someone_else = UserFactory(), UserFactory()
    first = ids(explore(viewer=someone))

    # POSTS among the cached ids; the cards (images) were cached by the first read: no ranking
    with django_assert_num_queries(1):
        again = ids(explore(viewer=someone_else))

    assert first == again
    assert [Post.objects.get(pk=pk).like_count for pk in again] == [9, 3, 1]


def test_the_page_orders_by_the_current_scores_within_the_cached_ranking():
    low, high = PostFactory(like_count=1), PostFactory(like_count=5)
    explore(viewer=None)
    Post.objects.filter(pk=low.pk).update(like_count=50)

    assert ids(explore(viewer=None)) == [low.pk, high.pk]


def test_a_new_post_waits_for_the_ranking_to_expire():
    old = PostFactory()
    explore(viewer=None)
    new = PostFactory(like_count=100)

    assert ids(explore(viewer=None)) == [old.pk]

    cache.delete(EXPLORE_KEY)  # what the TTL (SHUTTER_CACHE_TTL["EXPLORE"]) does
    assert ids(explore(viewer=None)) == [new.pk, old.pk]


@pytest.mark.parametrize(
    "hide",
    [
        lambda viewer, post: Post.objects.filter(pk=post.pk).update(removed_at=timezone.now()),
        lambda viewer, post: User.objects.filter(pk=post.author_id).update(is_private=True),
        lambda viewer, post: User.objects.filter(pk=post.author_id).update(
            suspended_at=timezone.now()
        ),
        lambda viewer, post: BlockFactory(blocker=post.author, blocked=viewer),
        lambda viewer, post: Post.objects.filter(pk=post.pk).delete(),
    ],
    ids=["removed", "author-went-private", "author-suspended", "author-blocked-me", "deleted"],
)
def test_a_cached_ranking_never_shows_a_post_the_viewer_may_no_longer_see(hide):
    viewer = UserFactory()
    hidden, kept = PostFactory(like_count=5), PostFactory()
    assert ids(explore(viewer=viewer)) == [hidden.pk, kept.pk]

    hide(viewer, hidden)

    assert ids(explore(viewer=viewer)) == [kept.pk]


def test_the_ranking_is_the_same_for_everyone_and_my_own_posts_are_left_out_per_viewer():
    me = UserFactory()
    mine, theirs = PostFactory(author=me, like_count=9), PostFactory()

    assert ids(explore(viewer=None)) == [mine.pk, theirs.pk]
    assert ids(explore(viewer=me)) == [theirs.pk]


def test_explore_goes_as_deep_as_the_ranking(monkeypatch):
    monkeypatch.setattr("posts.selectors.EXPLORE_CANDIDATES", 3)
    posts = [PostFactory(like_count=n) for n in range(5)]

    assert ids(explore(viewer=None, page_size=10)) == [p.pk for p in posts[::-1][:3]]
    assert EXPLORE_CANDIDATES == 500


# --- hashtags --------------------------------------------------------------------------------


def tagged(caption, author=None):
    return post_create(author=author or UserFactory(), images=[photo_upload()], caption=caption)


def test_a_hashtag_found_once_is_looked_up_from_the_cache(django_assert_num_queries):
    tagged("#Sunset")
    hashtag_get(name="sunset")

    with django_assert_num_queries(0):
        hashtag = hashtag_get(name="#SUNSET")

    assert (hashtag.name, hashtag.pk) == ("sunset", Hashtag.objects.get().pk)


def test_a_tag_page_costs_a_query_less_once_its_hashtag_is_cached(django_assert_num_queries):
    post = tagged("#sunset")
    tag_posts(viewer=None, name="sunset")

    with django_assert_num_queries(1):  # POSTS; the hashtag and the post's card were cached
        page = tag_posts(viewer=None, name="sunset")

    assert ids(page) == [post.pk]


def test_an_unknown_hashtag_is_not_cached_so_its_first_post_finds_it():
    with pytest.raises(Hashtag.DoesNotExist):
        hashtag_get(name="brandnew")

    post = tagged("#brandnew")

    assert ids(tag_posts(viewer=None, name="brandnew")) == [post.pk]
