"""Post cards (posts.hydration): a page of any size costs the same few queries and cache round
trips, and whatever changes a post shows on the next read, through the API and the pages.

Run by `make test` with LocMemCache and by `make test-services` with Redis (REDIS_URL switches
the cache in config/settings/test.py): the same assertions hold for both.
"""

import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.services import user_profile_update
from accounts.tests.factories import UserFactory
from config.tests.clients import token_client as api
from posts import hydration
from posts.models import Like, Post, PostHashtag, SavedPost
from posts.services import comment_add, like_add, post_image_variants_create, post_update
from posts.tests.factories import HashtagFactory, PostFactory, image_upload, photo_upload
from social.moderation.services import post_remove
from social.tests.factories import FollowFactory
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db

SIZES = [5, 20, 50]


class CountingCache:
    """Stands in for the cache in posts.hydration and counts its round trips."""

    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        method = getattr(cache, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return counted


@pytest.fixture
def round_trips(monkeypatch):
    counting = CountingCache()
    monkeypatch.setattr(hydration, "cache", counting)
    return counting


def queries_of(call):
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


# --- post_cards: what a Redis timeline calls with its ids ------------------------------------


@pytest.mark.parametrize("n", SIZES)
def test_cards_of_any_number_of_ids_cost_two_queries_and_two_round_trips_then_one_each(
    n, round_trips
):
    author, viewer = UserFactory(), UserFactory()
    posts = [PostFactory(author=author, images=2) for _ in range(n)]
    Like.objects.create(user=viewer, post=posts[0])
    ids = [post.pk for post in reversed(posts)]

    cold, cards = queries_of(lambda: hydration.post_cards(ids, viewer=viewer))
    assert (cold, round_trips.calls) == (2, ["get_many", "set_many"])  # ROWS, IMAGES

    round_trips.calls.clear()
    warm, again = queries_of(lambda: hydration.post_cards(ids, viewer=viewer))
    assert (warm, round_trips.calls) == (1, ["get_many"])  # ROWS

    assert [card.id for card in cards] == [card.id for card in again] == ids
    assert [len(card.images) for card in again] == [2] * n
    assert [card.liked for card in again] == [False] * (n - 1) + [True]


def test_cards_keep_the_order_given_and_leave_out_posts_gone():
    first, second, gone = PostFactory(), PostFactory(), PostFactory()
    gone_id = gone.pk
    gone.delete()

    cards = hydration.post_cards([second.pk, gone_id, first.pk, second.pk], viewer=None)

    assert [card.id for card in cards] == [second.pk, first.pk]


def test_a_card_carries_the_images_in_order_with_their_urls():
    post = PostFactory(images=3)
    images = list(post.images.order_by("position"))

    (card,) = hydration.post_cards([post.pk], viewer=None)

    assert [image.url for image in card.images] == [image.image.url for image in images]
    assert [image.src for image in card.images] == [image.image.url for image in images]
    assert card.urls["detail"] == reverse("posts:post-detail", args=[post.pk])
    assert card.author.profile_url == reverse("accounts:profile", args=[post.author.username])


# --- the lists: a flat number of queries, the cards' part from the cache on a second read -----


def _authors(n):
    return UserFactory.create_batch(3)


def feed_of(n):
    me, followed = UserFactory(), UserFactory()
    FollowFactory(follower=me, following=followed)
    for i in range(n):
        PostFactory(author=(me, followed)[i % 2], images=2)
    return me, reverse("api:feed"), reverse("posts:home")


def explore_of(n):
    authors = _authors(n)
    for i in range(n):
        PostFactory(author=authors[i % 3], images=2, like_count=i)
    return UserFactory(), reverse("api:explore"), reverse("posts:explore")


def tag_of(n):
    tag = HashtagFactory(name="sunset")
    authors = _authors(n)
    for i in range(n):
        PostHashtag.objects.create(post=PostFactory(author=authors[i % 3], images=2), hashtag=tag)
    return (
        UserFactory(),
        reverse("api:tag-posts", args=["sunset"]),
        reverse("posts:tag", args=["sunset"]),
    )


def saved_of(n):
    me = UserFactory()
    authors = _authors(n)
    for i in range(n):
        SavedPost.objects.create(user=me, post=PostFactory(author=authors[i % 3], images=2))
    return me, reverse("api:saved"), reverse("posts:saved")


def profile_of(n):
    author = UserFactory()
    for _ in range(n):
        PostFactory(author=author, images=2)
    return (
        UserFactory(),
        reverse("api:user-posts", args=[author.username]),
        reverse("accounts:profile", args=[author.username]),
    )


LISTS = {
    "feed": feed_of,
    "explore": explore_of,
    "tag": tag_of,
    "saved": saved_of,
    "profile": profile_of,
}


@pytest.fixture
def big_pages(settings):
    # Pages take page_size from the settings: 50 lets one page hold every post made here.
    settings.SHUTTER = {**settings.SHUTTER, "PAGE_SIZE": 51}


def _costs(name, n, *, page):
    viewer, api_url, page_url = LISTS[name](n)
    if page:
        from django.test import Client

        client = Client()
        client.force_login(viewer)
        url, params = page_url, {}
    else:
        client, url, params = api(viewer), api_url, {"page_size": n}
    client.get(url, params)  # warms what a first request fills: session, token, header cache
    cache.delete_many([hydration.card_key(pk) for pk in Post.objects.values_list("pk", flat=True)])
    cold, response = queries_of(lambda: client.get(url, params))
    assert response.status_code == 200
    warm, response = queries_of(lambda: client.get(url, params))
    return cold, warm, response


@pytest.mark.parametrize("page", [False, True], ids=["api", "page"])
@pytest.mark.parametrize("name", LISTS)
def test_a_list_costs_the_same_queries_for_5_20_or_50_posts_and_one_less_once_cards_are_cached(
    name, page, big_pages
):
    costs = {}
    for n in SIZES:
        cold, warm, response = _costs(name, n, page=page)
        shown = (
            len(re.findall(r'data-post-card="|class="tile"', response.content.decode()))
            if page
            else len(response.json()["results"])
        )
        assert shown == n
        costs[n] = (cold, warm)
        Post.objects.all().delete()
        User.objects.all().delete()
        cache.clear()  # the explore ranking, the header cache: each size starts afresh

    assert len(set(costs.values())) == 1, costs
    cold, warm = costs[5]
    assert warm == cold - 1  # the images of the page came with the cached cards


# --- every change shows on the next read -----------------------------------------------------


@pytest.fixture
def scene(client):
    """A public post with a caption, followed by `reader`, read once everywhere (cards cached)."""
    author = UserFactory(username="author", display_name="The Author")
    reader = UserFactory()
    FollowFactory(follower=reader, following=author)
    post = PostFactory(author=author, caption="first words", images=1)
    client.force_login(reader)
    views = Views(client, reader, author)
    views.read_all()
    return SimpleNamespace(author=author, reader=reader, post=post, views=views)


class Views:
    """The lists a post shows in, read through the API and as pages."""

    def __init__(self, client, reader, author):
        self.client, self.reader, self.author = client, reader, author

    def api_items(self):
        client = api(self.reader)
        urls = [
            reverse("api:feed"),
            reverse("api:explore"),
            reverse("api:user-posts", args=[self.author.username]),
        ]
        return [client.get(url).json()["results"] for url in urls]

    def pages(self):
        urls = [
            reverse("posts:home"),
            reverse("posts:explore"),
            reverse("accounts:profile", args=[self.author.username]),
        ]
        return [self.client.get(url).content.decode() for url in urls]

    def read_all(self):
        return self.api_items(), self.pages()


def test_a_like_shows_in_the_counts_at_once(scene):
    like_add(user=UserFactory(), post=scene.post)

    items, pages = scene.views.read_all()

    assert all(results[0]["like_count"] == 1 for results in items)
    home, _, _ = pages
    assert 'data-count="1"' in home


def test_a_caption_edit_shows_at_once(scene):
    post_update(actor=scene.author, post=scene.post, caption="new words #fresh")

    items, pages = scene.views.read_all()

    assert all(results[0]["caption"] == "new words #fresh" for results in items)
    assert all(results[0]["edited_at"] is not None for results in items)
    home, _, _ = pages
    assert "new words" in home and 'href="/tags/fresh/"' in home
    assert "first words" not in home


def test_a_caption_changed_without_the_service_still_shows(scene):
    Post.objects.filter(pk=scene.post.pk).update(caption="raw update")

    items, _ = scene.views.read_all()

    assert all(results[0]["caption"] == "raw update" for results in items)


def test_a_comment_shows_in_the_count_at_once(scene):
    comment_add(author=scene.reader, post=scene.post, text="nice")

    items, pages = scene.views.read_all()

    assert all(results[0]["comment_count"] == 1 for results in items)
    assert "View 1 comment" in pages[0]


def test_a_removed_post_leaves_every_list_at_once(scene):
    post_remove(moderator=moderator_make(), post=scene.post, reason="spam")

    items, pages = scene.views.read_all()

    assert items == [[], [], []]
    assert all(f"/p/{scene.post.pk}/" not in html for html in pages)


def test_an_author_renamed_shows_under_the_new_name_at_once(scene):
    # A raw update, as an admin's rename could be: nothing forgets the cached card, and
    # nothing needs to, as the author's name is read with the page's rows.
    User.objects.filter(pk=scene.author.pk).update(username="renamed", display_name="New Name")
    scene.views.author = User.objects.get(pk=scene.author.pk)

    items, pages = scene.views.read_all()

    for results in items:
        assert results[0]["author"]["username"] == "renamed"
        assert results[0]["author"]["display_name"] == "New Name"
    assert all('href="/u/renamed/"' in html for html in pages[:1])
    assert 'href="/u/author/"' not in pages[0]


def test_a_new_avatar_shows_at_once(scene):
    before = scene.views.api_items()[0][0]["author"]["avatar_url"]
    user_profile_update(user=scene.author, avatar=image_upload("me.png"))
    scene.author.refresh_from_db()

    items, pages = scene.views.read_all()

    assert before is None
    for results in items:
        assert results[0]["author"]["avatar_url"].endswith(scene.author.avatar.url)
    assert scene.author.avatar.url in pages[0]


def test_image_variants_made_after_a_read_show_at_once(client):
    from posts.services import post_create

    author = UserFactory()
    # Variants wait for the commit (on_commit), which this test never reaches: read first.
    post = post_create(author=author, images=[photo_upload()], caption="")
    reader = UserFactory()
    FollowFactory(follower=reader, following=author)
    first = api(reader).get(reverse("api:feed")).json()["results"][0]["images"][0]
    assert first["display_url"] == first["url"]

    post_image_variants_create(image_id=post.images.get().pk)

    image = post.images.get()
    shown = api(reader).get(reverse("api:feed")).json()["results"][0]["images"][0]
    assert shown["display_url"].endswith(image.display.url)
    assert shown["thumbnail_url"].endswith(image.thumbnail.url)
    client.force_login(reader)
    assert image.display.url in client.get(reverse("posts:home")).content.decode()
