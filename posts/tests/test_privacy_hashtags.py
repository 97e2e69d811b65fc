"""A hashtag is only as public as its posts: search, tag pages and counts, page and API.

To a viewer who may see none of its posts (all private, removed, by suspended authors or
across a block), a tag answers exactly as a tag no one ever used; counts count only what the
viewer may see.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.models import PostHashtag
from posts.tests.factories import HashtagFactory, PostFactory
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

SEARCH_API = reverse("api:search")
SEARCH_PAGE = reverse("posts:search")


def tag_page(name):
    return reverse("posts:tag", args=[name])


def tag_api(name):
    return reverse("api:tag-posts", args=[name])


def tagged(name, **post_fields):
    post = PostFactory(**post_fields)
    PostHashtag.objects.create(post=post, hashtag=HashtagFactory(name=name))
    return post


def page_client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def without_tokens(html):
    """A page's HTML without what differs on every render (CSRF tokens, nonces)."""
    return re.sub(r'(value|nonce|content)="[A-Za-z0-9+/=_-]{32,}"', r'\1=""', html)


def api_hashtags(user, query):
    response = token_client(user).get(SEARCH_API, {"q": query})
    assert response.status_code == 200
    return {tag["name"]: tag["post_count"] for tag in response.json()["hashtags"]}


def page_hashtags(user, query):
    html = page_client(user).get(SEARCH_PAGE, {"q": query}).text
    return re.findall(r'href="/tags/([^/"]+)/"', html)


@pytest.fixture
def private_tag():
    """#secretgarden, used once, by a private account; with one accepted follower."""
    owner = UserFactory(username="owner", private=True)
    follower = UserFactory()
    FollowFactory(follower=follower, following=owner)
    tagged("secretgarden", author=owner)
    return owner, follower


# --- Search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["anonymous", "stranger"])
def test_search_does_not_reveal_a_hashtag_used_only_in_private(private_tag, reader):
    user = UserFactory() if reader == "stranger" else None

    assert api_hashtags(user, "secret") == {}
    assert page_hashtags(user, "secret") == []


def test_search_shows_a_private_hashtag_to_the_owner_and_followers(private_tag):
    owner, follower = private_tag

    assert api_hashtags(owner, "secret") == {"secretgarden": 1}
    assert api_hashtags(follower, "#secret") == {"secretgarden": 1}
    assert page_hashtags(follower, "secret") == ["secretgarden"]


def test_search_counts_only_the_posts_the_viewer_may_see():
    me = UserFactory()
    tagged("sunset")
    tagged("sunset")
    tagged("sunset", author=UserFactory(private=True))
    tagged("sunset", removed_at=timezone.now())
    tagged("sunset", author=UserFactory(suspended=True))
    blocked = tagged("sunset").author
    BlockFactory(blocker=me, blocked=blocked)
    blocker = tagged("sunset").author
    BlockFactory(blocker=blocker, blocked=me)

    assert api_hashtags(me, "sun") == {"sunset": 2}
    assert api_hashtags(None, "sun") == {"sunset": 4}  # blocks do not touch visitors
    html = page_client(me).get(SEARCH_PAGE, {"q": "sun"}).text
    assert "2 posts" in html


def test_search_ranks_hashtags_by_the_posts_the_viewer_may_see():
    me = UserFactory()
    hidden = UserFactory(private=True)
    for _ in range(3):
        tagged("sunrise", author=hidden)
    tagged("sunrise")
    tagged("sunset")
    tagged("sunset")

    assert list(api_hashtags(me, "sun")) == ["sunset", "sunrise"]


@pytest.mark.parametrize("rule", ["removed", "suspended"])
def test_search_forgets_a_hashtag_whose_only_post_is_gone(rule):
    fields = (
        {"removed_at": timezone.now()}
        if rule == "removed"
        else {"author": UserFactory(suspended=True)}
    )
    tagged("vanished", **fields)

    assert api_hashtags(UserFactory(), "van") == {}
    assert page_hashtags(None, "van") == []


# --- Tag pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["anonymous", "stranger"])
def test_a_hashtag_used_only_in_private_answers_like_one_never_used(private_tag, reader):
    user = UserFactory() if reader == "stranger" else None
    api = token_client(user)
    client = page_client(user)

    never_api = api.get(tag_api("neverused"))
    private_api = api.get(tag_api("secretgarden"))
    never_page = client.get(tag_page("neverused"))
    private_page = client.get(tag_page("secretgarden"))

    assert (private_api.status_code, private_api.json()) == (
        never_api.status_code,
        never_api.json(),
    )
    assert private_api.status_code == 404
    assert private_page.status_code == never_page.status_code == 404
    # Byte for byte, but for the page's own address (in the log-in link's `next`).
    never_html = never_page.text.replace("neverused", "secretgarden")
    assert without_tokens(private_page.text) == without_tokens(never_html)


def test_a_private_hashtag_s_page_opens_for_the_owner_and_followers(private_tag):
    owner, follower = private_tag

    for user in (owner, follower):
        assert page_client(user).get(tag_page("secretgarden")).status_code == 200
        response = token_client(user).get(tag_api("secretgarden"))
        assert response.status_code == 200
        assert len(response.json()["results"]) == 1


@pytest.mark.parametrize("rule", ["removed", "suspended", "blocked", "blocker"])
def test_a_hashtag_whose_posts_the_viewer_may_not_see_is_not_found(rule):
    me = UserFactory()
    author = UserFactory(suspended=rule == "suspended")
    tagged("hidden", author=author, removed_at=timezone.now() if rule == "removed" else None)
    if rule == "blocked":
        BlockFactory(blocker=me, blocked=author)
    if rule == "blocker":
        BlockFactory(blocker=author, blocked=me)

    assert page_client(me).get(tag_page("hidden")).status_code == 404
    assert token_client(me).get(tag_api("hidden")).status_code == 404


def test_a_page_link_from_another_tag_does_not_open_a_private_hashtag(private_tag):
    for _ in range(3):
        tagged("public")
    api = token_client(UserFactory())
    next_link = api.get(tag_api("public"), {"page_size": 1}).json()["next"]
    (cursor,) = parse_qs(urlsplit(next_link).query)["cursor"]

    response = api.get(tag_api("secretgarden"), {"cursor": cursor})
    page = page_client().get(tag_page("secretgarden"), {"cursor": cursor})

    assert (response.status_code, page.status_code) == (404, 404)


def test_the_page_after_the_last_of_a_visible_hashtag_is_an_empty_page_not_a_404():
    older, newer = tagged("public"), tagged("public")
    api = token_client(UserFactory())
    first = api.get(tag_api("public"), {"page_size": 1})
    older.delete()  # the first page's link now leads past the end

    response = api.get(first.json()["next"])

    assert [post["id"] for post in first.json()["results"]] == [newer.pk]
    assert response.status_code == 200
    assert response.json()["results"] == []
