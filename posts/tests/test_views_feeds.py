"""The list pages: home feed (explore for visitors), explore, tag pages, search, saved posts.

Query counts are pinned for the whole response, base.html included. For a member the base
costs two queries: the user of the session (the session itself is read from the cache) and
the unread-notifications badge. Visitors cost none.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from posts.models import Post, PostHashtag, SavedPost
from posts.tests.factories import HashtagFactory, PostFactory
from social.graph.triggers import timelines_enabled
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

HOME = reverse("posts:home")
EXPLORE = reverse("posts:explore")
SEARCH = reverse("posts:search")
SAVED = reverse("posts:saved")


def tag_url(name):
    return reverse("posts:tag", args=[name])


def post_links(response):
    """The ids of the posts a page links to as cards or tiles, in page order."""
    html = response.content.decode()
    found = re.findall(r'(?:id="post-|class="tile" href="/p/)(\d+)', html)
    return [int(pk) for pk in dict.fromkeys(found)]


def next_link(response, key):
    """The query string of a list's "load more" link (what infinite scroll follows)."""
    found = re.search(
        rf'href="(\?[^"]+)" rel="next" data-load-more="{key}"', response.content.decode()
    )
    return found.group(1).replace("&amp;", "&")


def tagged(name, **post_fields):
    post = PostFactory(**post_fields)
    PostHashtag.objects.create(post=post, hashtag=HashtagFactory(name=name))
    return post


# --- Home --------------------------------------------------------------------------------------


def test_home_shows_a_visitor_explore_with_an_invitation_to_join(client):
    public = PostFactory()
    PostFactory(author=UserFactory(private=True))

    response = client.get(HOME)

    assert response.status_code == 200
    assert post_links(response) == [public.pk]
    assert "Share your photos on Shutter" in response.content.decode()
    assert 'href="/accounts/signup/"' in response.content.decode()


@pytest.mark.parametrize("path", [HOME, EXPLORE, SEARCH])
def test_pages_answer_head_requests_like_get(client, path):
    # Uptime checks and link previewers send HEAD.
    assert client.head(path).status_code == 200


def test_home_shows_my_posts_and_those_i_follow_newest_first(client, me):
    followed, stranger = UserFactory(), UserFactory(private=True)
    FollowFactory(follower=me, following=followed)
    older = PostFactory(author=followed)
    mine = PostFactory(author=me)
    PostFactory(author=stranger)
    PostFactory()  # a public stranger: explore, not home

    response = client.get(HOME)

    assert response.status_code == 200
    assert post_links(response) == [mine.pk, older.pk]


def test_home_leaves_out_muted_and_blocked_accounts(client, me):
    muted, blocker = UserFactory(), UserFactory()
    for other in (muted, blocker):
        FollowFactory(follower=me, following=other)
        PostFactory(author=other)
    MuteFactory(muter=me, muted=muted)
    BlockFactory(blocker=blocker, blocked=me)

    assert post_links(client.get(HOME)) == []


def test_empty_home_suggests_explore(client, me):
    response = client.get(HOME)

    html = response.content.decode()
    assert "Welcome to Shutter" in html
    assert f'href="{EXPLORE}">Explore photos</a>' in html
    assert f'href="{reverse("posts:post-new")}"' in html


def test_home_pages_by_a_load_more_link_that_infinite_scroll_follows(client, me, settings):
    settings.SHUTTER = {**settings.SHUTTER, "PAGE_SIZE": 3}
    posts = [PostFactory(author=me) for _ in range(5)]

    first = client.get(HOME)
    second = client.get(HOME + next_link(first, "posts"))

    newest_first = [post.pk for post in reversed(posts)]
    assert post_links(first) == newest_first[:3]
    assert post_links(second) == newest_first[3:]
    assert 'data-load-more="posts"' not in second.content.decode()
    # Only the first image of the first page loads eagerly.
    assert first.content.decode().count('fetchpriority="high"') == 1
    assert 'fetchpriority="high"' not in second.content.decode()


def test_a_forged_page_link_is_a_400_not_a_500(client, me):
    response = client.get(HOME, {"cursor": "made-up"})

    assert response.status_code == 400
    assert "That request didn't make sense" in response.content.decode()


@pytest.mark.parametrize("count", [5, 20])
def test_home_costs_the_same_queries_for_5_or_20_posts(
    client, me, count, django_assert_num_queries
):
    followed = UserFactory()
    FollowFactory(follower=me, following=followed)
    for _ in range(count):
        PostFactory(author=followed, images=2)

    # user of the session, posts (author, flags), their images, unread badge; with Redis
    # timelines the page's ids first (posts/timelines.py)
    with django_assert_num_queries(5 if timelines_enabled() else 4):
        response = client.get(HOME)

    assert len(post_links(response)) == count


def test_feed_images_carry_size_srcset_alt_and_lazy_loading(client, me):
    post = PostFactory(author=me, images=2)
    post.images.filter(position=1).update(alt_text="A red kite over the ridge")

    html = client.get(HOME).content.decode()

    imgs = re.findall(r"<img [^>]*>", html[html.index(f'id="post-{post.pk}"') :])[:2]
    assert all("srcset=" in img and 'width="64" height="48"' in img for img in imgs)
    assert 'fetchpriority="high"' in imgs[0]
    assert 'loading="lazy"' in imgs[1] and 'alt="A red kite over the ridge"' in imgs[1]


# --- Explore -----------------------------------------------------------------------------------


def test_explore_ranks_public_posts_by_engagement_without_what_i_cant_see(client, me):
    calm = PostFactory()
    popular = PostFactory(like_count=5)
    PostFactory(author=UserFactory(private=True), like_count=9)
    blocked = UserFactory()
    BlockFactory(blocker=me, blocked=blocked)
    PostFactory(author=blocked, like_count=9)
    PostFactory(author=me, like_count=9)  # never my own
    old = PostFactory(like_count=9)
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=365))

    response = client.get(EXPLORE)

    assert response.status_code == 200
    assert post_links(response) == [popular.pk, calm.pk]


def test_explore_grid_uses_thumbnails_with_srcset_and_lazy_loading_below_the_first_row(client):
    for _ in range(4):
        PostFactory()

    html = client.get(EXPLORE).content.decode()

    tiles = re.findall(r'<a class="tile"[^>]*>\s*<img [^>]*>', html)
    assert len(tiles) == 4
    assert all('width="320" height="320"' in tile and "srcset=" in tile for tile in tiles)
    assert ['loading="lazy"' in tile for tile in tiles] == [False, False, False, True]


@pytest.mark.parametrize("count", [5, 20])
def test_explore_costs_the_same_queries_for_5_or_20_posts(client, count, django_assert_num_queries):
    for _ in range(count):
        PostFactory(images=2)

    # the ranking (then cached for everyone), the page of posts, their images
    with django_assert_num_queries(3):
        response = client.get(EXPLORE)

    assert len(post_links(response)) == count


# --- Tag page ----------------------------------------------------------------------------------


def test_tag_page_lists_visible_posts_with_the_tag_newest_first(client, me):
    first = tagged("sunset")
    second = tagged("sunset")
    tagged("sunset", author=UserFactory(private=True))
    tagged("sea")

    response = client.get(tag_url("Sunset"))

    assert response.status_code == 200
    assert '<h1 class="page-title">#sunset</h1>' in response.content.decode()
    assert post_links(response) == [second.pk, first.pk]


def test_tag_page_of_an_unknown_hashtag_is_404(client):
    assert client.get(tag_url("nothing")).status_code == 404


def test_tag_page_never_shows_a_blocked_account_s_posts(client, me):
    blocker = UserFactory()
    BlockFactory(blocker=blocker, blocked=me)
    tagged("sunset", author=blocker)
    shown = tagged("sunset")

    response = client.get(tag_url("sunset"))

    assert response.status_code == 200
    assert post_links(response) == [shown.pk]


@pytest.mark.parametrize("count", [5, 20])
def test_tag_page_costs_the_same_queries_for_5_or_20_posts(
    client, me, count, django_assert_num_queries
):
    hashtag = HashtagFactory(name="sunset")
    for _ in range(count):
        PostHashtag.objects.create(post=PostFactory(images=2), hashtag=hashtag)

    # user of the session, the hashtag (then cached), posts, their images, unread badge
    with django_assert_num_queries(5):
        response = client.get(tag_url("sunset"))

    assert len(post_links(response)) == count


# --- Search ------------------------------------------------------------------------------------


def test_search_without_a_query_shows_a_prompt(client):
    response = client.get(SEARCH)

    assert response.status_code == 200
    assert "Search Shutter" in response.content.decode()


def test_search_finds_accounts_and_hashtags_by_prefix(client, me):
    UserFactory(username="maya")
    UserFactory(username="amaya", display_name="Maya Angel")
    UserFactory(username="bob")
    tagged("mayday")
    tagged("may")

    response = client.get(SEARCH, {"q": "  MAY "})

    html = response.content.decode()
    people = re.findall(r'class="user-row__link" href="/u/([^/]+)/"', html)
    assert sorted(people) == ["amaya", "maya"]
    assert f'href="{tag_url("may")}"' in html and f'href="{tag_url("mayday")}"' in html
    assert 'value="MAY"' in html


def test_search_shows_follow_buttons_in_their_current_state(client, me):
    followed = UserFactory(username="maya")
    FollowFactory(follower=me, following=followed)
    UserFactory(username="mayo")

    html = client.get(SEARCH, {"q": "may"}).content.decode()

    assert 'action="/u/maya/unfollow/"' in html
    assert 'action="/u/mayo/follow/"' in html


def test_search_never_lists_accounts_across_a_block(client, me):
    blocker = UserFactory(username="maya")
    BlockFactory(blocker=blocker, blocked=me)

    response = client.get(SEARCH, {"q": "maya"})

    assert "/u/maya/" not in response.content.decode()
    assert "No results" in response.content.decode()


@pytest.mark.parametrize("count", [5, 20])
def test_search_costs_the_same_queries_for_5_or_20_results(
    client, me, count, django_assert_num_queries
):
    for n in range(count):
        UserFactory(username=f"find{n}")
        tagged(f"find{n}")

    # user of the session, accounts (with follow flags), hashtags (with counts), unread badge
    with django_assert_num_queries(4):
        response = client.get(SEARCH, {"q": "find"})

    # Up to 20 accounts and 10 hashtags are listed.
    assert response.content.decode().count('class="user-row__link"') == count + min(count, 10)


# --- Saved -------------------------------------------------------------------------------------


def test_saved_asks_a_visitor_to_log_in(client):
    response = client.get(SAVED)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={SAVED}"


def test_saved_lists_my_saved_posts_latest_save_first_and_only_mine(client, me):
    first, second, theirs = PostFactory(), PostFactory(), PostFactory()
    SavedPost.objects.create(user=me, post=second)
    SavedPost.objects.create(user=me, post=first)
    SavedPost.objects.create(user=UserFactory(), post=theirs)

    response = client.get(SAVED)

    assert post_links(response) == [first.pk, second.pk]


def test_saved_drops_a_post_whose_author_went_private(client, me):
    post = PostFactory()
    SavedPost.objects.create(user=me, post=post)
    post.author.is_private = True
    post.author.save()

    response = client.get(SAVED)

    assert post_links(response) == []
    assert "Save what you love" in response.content.decode()


@pytest.mark.parametrize("count", [5, 20])
def test_saved_costs_the_same_queries_for_5_or_20_posts(
    client, me, count, django_assert_num_queries
):
    for _ in range(count):
        SavedPost.objects.create(user=me, post=PostFactory(images=2))

    # user of the session, saved posts, their images, unread badge
    with django_assert_num_queries(4):
        response = client.get(SAVED)

    assert len(post_links(response)) == count
