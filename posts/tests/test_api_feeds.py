"""GET /api/v1/feed/, /explore/ and /tags/<name>/posts/: who sees which posts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client as api
from posts.models import Post, PostHashtag
from posts.services import like_add, save_add
from posts.tests.factories import HashtagFactory, PostFactory
from social.graph.models import Follow
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

FEED = reverse("api:feed")
EXPLORE = reverse("api:explore")


def ids(response):
    assert response.status_code == 200, response.content
    return [post["id"] for post in response.json()["results"]]


def tag_url(name):
    return reverse("api:tag-posts", args=[name])


def tagged(name, **post_fields):
    post = PostFactory(**post_fields)
    PostHashtag.objects.create(post=post, hashtag=HashtagFactory(name=name))
    return post


# --- Home feed ---------------------------------------------------------------------------------


def test_the_feed_shows_my_posts_and_those_i_follow_newest_first_as_full_posts():
    me, followed, stranger = UserFactory(), UserFactory(), UserFactory()
    FollowFactory(follower=me, following=followed)
    mine = PostFactory(author=me)
    theirs = PostFactory(author=followed, images=2)
    PostFactory(author=stranger)
    like_add(user=me, post=theirs)
    save_add(user=me, post=theirs)

    response = api(me).get(FEED)

    assert ids(response) == [theirs.pk, mine.pk]
    first = response.json()["results"][0]
    assert first["author"]["username"] == followed.username
    assert len(first["images"]) == 2
    assert (first["liked"], first["saved"], first["like_count"]) == (True, True, 1)


def test_the_feed_leaves_out_muted_accounts_pending_requests_and_blocks():
    me = UserFactory()
    muted, requested, blocked, shown = UserFactory.create_batch(4)
    requested.is_private = True
    requested.save()
    for user in (muted, blocked, shown):
        FollowFactory(follower=me, following=user)
    FollowFactory(follower=me, following=requested, status=Follow.Status.PENDING)
    MuteFactory(muter=me, muted=muted)
    BlockFactory(blocker=blocked, blocked=me)
    for user in (muted, requested, blocked, shown):
        PostFactory(author=user)

    assert ids(api(me).get(FEED)) == [Post.objects.get(author=shown).pk]


def test_the_feed_leaves_out_removed_posts_and_suspended_accounts():
    me, followed, suspended = UserFactory(), UserFactory(), UserFactory(suspended=True)
    FollowFactory(follower=me, following=followed)
    FollowFactory(follower=me, following=suspended)
    PostFactory(author=followed, removed_at=timezone.now())
    PostFactory(author=suspended)
    kept = PostFactory(author=followed)

    assert ids(api(me).get(FEED)) == [kept.pk]


def test_the_feed_needs_an_account():
    response = api().get(FEED)

    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_suspended_accounts_token_no_longer_opens_the_feed():
    me = UserFactory()
    client = api(me)
    type(me).objects.filter(pk=me.pk).update(suspended_at=timezone.now())

    assert client.get(FEED).status_code == 401


def test_the_feed_works_with_the_browser_session_too():
    me = UserFactory()
    post = PostFactory(author=me)
    client = APIClient()
    client.force_login(me)

    assert ids(client.get(FEED)) == [post.pk]


# --- Explore -----------------------------------------------------------------------------------


def test_explore_ranks_public_posts_by_engagement_for_anyone():
    quiet = PostFactory(like_count=0)
    liked = PostFactory(like_count=3)
    discussed = PostFactory(comment_count=2)

    assert ids(api().get(EXPLORE)) == [discussed.pk, liked.pk, quiet.pk]


def test_explore_leaves_out_private_old_blocked_and_my_own_posts(settings):
    me = UserFactory()
    blocker = UserFactory()
    BlockFactory(blocker=blocker, blocked=me)
    follower_only = UserFactory(private=True)
    FollowFactory(follower=me, following=follower_only)
    PostFactory(author=me)
    PostFactory(author=blocker)
    PostFactory(author=follower_only)
    old = PostFactory()
    old_date = timezone.now() - timedelta(days=settings.SHUTTER["EXPLORE_WINDOW_DAYS"] + 1)
    Post.objects.filter(pk=old.pk).update(created_at=old_date)
    shown = PostFactory()

    assert ids(api(me).get(EXPLORE)) == [shown.pk]


def test_explore_tells_a_visitor_nothing_is_liked_or_saved():
    post = PostFactory()
    like_add(user=UserFactory(), post=post)

    (item,) = api().get(EXPLORE).json()["results"]

    assert (item["liked"], item["saved"], item["like_count"]) == (False, False, 1)


# --- Tags --------------------------------------------------------------------------------------


def test_a_tag_lists_its_posts_newest_first_whatever_case_is_asked():
    older = tagged("sunset")
    newer = tagged("sunset")
    tagged("other")

    assert ids(api().get(tag_url("SunSet"))) == [newer.pk, older.pk]


@pytest.mark.parametrize(
    ("reader", "shown"),
    [("owner", True), ("follower", True), ("stranger", False), ("anonymous", False)],
)
def test_a_private_accounts_tagged_post_shows_only_to_owner_and_followers(reader, shown):
    owner = UserFactory(private=True)
    post = tagged("sunset", author=owner)
    readers = {"owner": owner, "follower": UserFactory(), "stranger": UserFactory()}
    FollowFactory(follower=readers["follower"], following=owner)

    assert ids(api(readers.get(reader)).get(tag_url("sunset"))) == ([post.pk] if shown else [])


def test_a_tagged_post_across_a_block_is_left_out():
    me = UserFactory()
    post = tagged("sunset")
    BlockFactory(blocker=me, blocked=post.author)

    assert ids(api(me).get(tag_url("sunset"))) == []


def test_an_unknown_tag_is_not_found():
    response = api().get(tag_url("nothing-here"))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
