"""Timelines through the Mastodon API, and their paging: max_id, since_id, min_id, limit and the
Link header an app follows."""

import re

import pytest

from accounts.tests.factories import UserFactory
from posts.models import Post
from posts.tests.factories import PostFactory
from social.tests.factories import MuteFactory
from social.tests.mastodon.helpers import follow

pytestmark = pytest.mark.django_db


def links(response):
    """{rel: url} of the Link header."""
    found = re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))
    return {rel: url for url, rel in found}


def ids(response):
    return [status["id"] for status in response.json()]


@pytest.fixture
def friend_posts(me):
    friend = UserFactory()
    follow(me, friend)
    return [str(PostFactory(author=friend).pk) for _ in range(5)][::-1]  # newest first


def test_home_is_the_feed_newest_first(api, me, friend_posts):
    PostFactory()  # a stranger's post is not in my home
    mine = str(PostFactory(author=me).pk)

    assert ids(api.get("/api/v1/timelines/home")) == [mine, *friend_posts]


def test_home_leaves_out_muted_accounts(api, me):
    muted = UserFactory()
    follow(me, muted)
    PostFactory(author=muted)
    MuteFactory(muter=me, muted=muted)

    assert api.get("/api/v1/timelines/home").json() == []


def test_home_pages_by_the_link_header(api, friend_posts):
    first = api.get("/api/v1/timelines/home?limit=2")
    assert ids(first) == friend_posts[:2]
    second = api.get(links(first)["next"])
    assert ids(second) == friend_posts[2:4]
    third = api.get(links(second)["next"])
    assert ids(third) == friend_posts[4:]
    assert "next" not in links(third)
    # prev from the second page: what is newer than its first item
    assert ids(api.get(links(second)["prev"])) == friend_posts[:2]


def test_the_link_header_keeps_the_other_parameters(api, friend_posts):
    response = api.get("/api/v1/timelines/home?limit=2&local=true")

    assert "limit=2" in links(response)["next"] and "local=true" in links(response)["next"]
    assert links(response)["next"].startswith("http://testserver/api/v1/timelines/home?")


def test_max_id_since_id_and_min_id_take_status_ids(api, friend_posts):
    newest, second, third, fourth, oldest = friend_posts

    assert ids(api.get(f"/api/v1/timelines/home?max_id={second}")) == [third, fourth, oldest]
    assert ids(api.get(f"/api/v1/timelines/home?since_id={fourth}")) == [newest, second, third]
    assert ids(api.get(f"/api/v1/timelines/home?since_id={fourth}&limit=2")) == [newest, second]
    # min_id: the items right after it, still newest first
    assert ids(api.get(f"/api/v1/timelines/home?min_id={fourth}&limit=2")) == [second, third]
    assert ids(api.get(f"/api/v1/timelines/home?max_id={newest}&since_id={oldest}")) == [
        second,
        third,
        fourth,
    ]
    assert api.get(f"/api/v1/timelines/home?min_id={newest}").json() == []


def test_paging_by_something_not_an_id_is_400(api, friend_posts):
    response = api.get("/api/v1/timelines/home?max_id=knot-a-token")

    assert response.status_code == 400
    assert "error" in response.json()


def test_limit_is_capped_at_40(api, me):
    friend = UserFactory()
    follow(me, friend)
    for _ in range(45):
        PostFactory(author=friend, images=0)

    assert len(api.get("/api/v1/timelines/home?limit=100").json()) == 40
    assert len(api.get("/api/v1/timelines/home").json()) == 20


def test_public_is_explores_public_posts(anon):
    public = PostFactory()
    PostFactory(author=UserFactory(is_private=True))

    assert ids(anon.get("/api/v1/timelines/public")) == [str(public.pk)]
    assert anon.get("/api/v1/timelines/public?remote=true").json() == []


def test_public_pages_by_the_link_header(anon):
    posts = [PostFactory() for _ in range(3)]
    Post.objects.filter(pk=posts[0].pk).update(like_count=5)

    first = anon.get("/api/v1/timelines/public?limit=2")
    second = anon.get(links(first)["next"])

    assert ids(first)[0] == str(posts[0].pk)
    assert sorted(ids(first) + ids(second)) == sorted(str(p.pk) for p in posts)
    # an app may also page with the last id it holds
    by_id = anon.get(f"/api/v1/timelines/public?limit=2&max_id={ids(first)[-1]}")
    assert ids(by_id) == ids(second)


def test_tag_timeline(anon, committed):
    from posts.services.text import post_hashtags_sync

    tagged = PostFactory(caption="Morning #Fog")
    post_hashtags_sync(post=tagged)
    hidden = PostFactory(author=UserFactory(is_private=True), caption="#secret")
    post_hashtags_sync(post=hidden)

    assert ids(anon.get("/api/v1/timelines/tag/fog")) == [str(tagged.pk)]
    assert anon.get("/api/v1/timelines/tag/never").json() == []
    # a tag only private posts carry answers like one never used
    assert anon.get("/api/v1/timelines/tag/secret").json() == []


def test_home_needs_a_caller(anon):
    assert anon.get("/api/v1/timelines/home").status_code == 401
