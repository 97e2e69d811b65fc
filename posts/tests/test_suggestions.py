"""Suggested for you (issue 13, point 6), from the outside: the page /people/suggested/, the
empty home feed, my own profile, and GET /api/v1/people/suggested/.

Friends of friends first (by how many of the people I follow follow them), then authors of
popular posts with hashtags I used or liked, then popular public accounts; never me, anyone I
follow or asked to follow, muted, blocked either way, or suspended. A private account may be
suggested, but nothing of its content shows.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.models import Like, PostHashtag
from posts.tests.factories import HashtagFactory, PostFactory
from social.graph.models import Follow
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("posts:people-suggested")
API = reverse("api:people-suggested")
HOME = reverse("posts:home")


def suggested_on(response):
    """Usernames in the "Suggested for you" section of a page, in order."""
    html = response.content.decode()
    section = re.search(r"<section class=\"suggestions\".*?</section>", html, re.DOTALL)
    if section is None:
        return []
    return re.findall(r'class="user-row__link" href="/u/([^/]+)/"', section.group(0))


def api_suggested(user, **params):
    response = token_client(user).get(API, params)
    assert response.status_code == 200
    return response.json()["users"]


def follows(follower, *people, status=Follow.Status.ACCEPTED):
    for person in people:
        FollowFactory(follower=follower, following=person, status=status)


@pytest.fixture
def me(client):
    user = UserFactory(username="me")
    client.force_login(user)
    return user


def tagged_post(author, tag, likes=0):
    post = PostFactory(author=author, like_count=likes)
    PostHashtag.objects.create(post=post, hashtag=HashtagFactory(name=tag))
    return post


def test_friends_of_friends_come_first_ranked_by_how_many_of_my_friends_follow_them(client, me):
    ann = UserFactory(username="ann", follower_count=50)
    bob = UserFactory(username="bob", follower_count=10)
    follows(me, ann, bob)
    two = UserFactory(username="two_friends")
    one = UserFactory(username="one_friend")
    follows(ann, two, one)
    follows(bob, two)
    UserFactory(username="star", follower_count=1000)  # popular, but no one I know follows them

    expected = ["two_friends", "one_friend", "star"]
    assert suggested_on(client.get(PAGE)) == expected
    users = api_suggested(me)
    assert [u["username"] for u in users] == expected
    assert users[0]["suggested_because"] == "followed_by"
    assert users[0]["followed_by"] == "ann"  # the most followed of my friends who follow them
    assert users[0]["followed_by_count"] == 2
    assert users[2]["suggested_because"] == "popular" and users[2]["followed_by"] is None
    assert "Followed by ann + 1 more" in client.get(PAGE).content.decode()


def test_authors_of_popular_posts_with_my_hashtags_come_before_plain_popular_ones(client, me):
    tagged_post(me, "hiking")
    liked = tagged_post(UserFactory(), "sunsets")
    Like.objects.create(user=me, post=liked)
    hiker = UserFactory(username="hiker")
    tagged_post(hiker, "hiking", likes=3)
    sunset_fan = UserFactory(username="sunset_fan")
    tagged_post(sunset_fan, "sunsets", likes=10)
    private_hiker = UserFactory(username="private_hiker", is_private=True, follower_count=500)
    tagged_post(private_hiker, "hiking", likes=100)
    UserFactory(username="star", follower_count=1000)

    found = suggested_on(client.get(PAGE))

    assert found[:2] == ["sunset_fan", "hiker"]
    assert "star" in found
    # A private account's hashtags are its own: they never make it a suggestion.
    assert "private_hiker" not in found
    assert "Posts about what you like" in client.get(PAGE).content.decode()


def test_a_new_member_gets_popular_public_accounts(client, me):
    UserFactory(username="big", follower_count=300)
    UserFactory(username="small", follower_count=3)
    UserFactory(username="hidden_big", follower_count=900, is_private=True)

    assert suggested_on(client.get(PAGE)) == ["big", "small"]
    assert [u["username"] for u in api_suggested(me)] == ["big", "small"]


def test_never_me_followed_requested_muted_blocked_or_suspended(client, me):
    friend = UserFactory(username="friend")
    follows(me, friend)
    already = UserFactory(username="already")
    requested = UserFactory(username="requested", is_private=True)
    muted = UserFactory(username="muted")
    blocked_by_me = UserFactory(username="blocked_by_me")
    blocks_me = UserFactory(username="blocks_me")
    suspended = UserFactory(username="suspended", suspended_at=timezone.now())
    fine = UserFactory(username="fine")
    follows(me, already)
    follows(me, requested, status=Follow.Status.PENDING)
    MuteFactory(muter=me, muted=muted)
    BlockFactory(blocker=me, blocked=blocked_by_me)
    BlockFactory(blocker=blocks_me, blocked=me)
    # All followed by my friend (and popular): only the block rules etc. keep them out.
    everyone = [me, already, requested, muted, blocked_by_me, blocks_me, suspended, fine]
    for person in everyone:
        follows(friend, person)
        person.follower_count = 100
        person.save(update_fields=["follower_count"])

    assert suggested_on(client.get(PAGE)) == ["fine"]
    assert [u["username"] for u in api_suggested(me)] == ["fine"]


def test_a_private_account_may_be_suggested_but_shows_none_of_its_posts(client, me):
    friend = UserFactory(username="friend")
    follows(me, friend)
    private = UserFactory(username="secretive", is_private=True)
    follows(friend, private)
    post = PostFactory(author=private, caption="my very private caption")

    response = client.get(PAGE)
    html = response.content.decode()

    assert suggested_on(response) == ["secretive"]
    assert "my very private caption" not in html
    assert post.images.get().image.name.rsplit("/", 1)[-1] not in html
    assert f"/p/{post.pk}/" not in html
    assert 'action="/u/secretive/follow/"' in html
    (user,) = api_suggested(me)
    assert user["username"] == "secretive" and user["is_private"] is True
    assert not {"posts", "bio", "post_count"} & set(user)


def test_following_from_the_page_works_without_scripts_and_drops_the_account(client, me):
    UserFactory(username="big", follower_count=300)
    UserFactory(username="small", follower_count=3)
    html = client.get(PAGE).content.decode()
    assert 'action="/u/big/follow/"' in html and 'name="csrfmiddlewaretoken"' in html

    response = client.post(reverse("social:follow", args=["big"]), {"next": PAGE})

    assert response.status_code == 302 and response.url == PAGE
    assert Follow.objects.filter(follower=me, following__username="big").exists()
    # The ranking is cached, but whom I follow is read afresh.
    assert suggested_on(client.get(PAGE)) == ["small"]


def test_the_empty_home_feed_suggests_people_to_follow(client, me):
    UserFactory(username="big", follower_count=300)

    response = client.get(HOME)

    assert suggested_on(response) == ["big"]
    html = response.content.decode()
    assert 'action="/u/big/follow/"' in html
    assert f'href="{PAGE}"' in html


def test_a_home_feed_with_posts_shows_no_suggestions(client, me):
    PostFactory(author=me)
    UserFactory(username="big", follower_count=300)

    assert suggested_on(client.get(HOME)) == []


def test_my_own_profile_has_a_short_strip_others_have_none(client, me):
    for n in range(5):
        UserFactory(username=f"pop{n}", follower_count=100 - n)
    other = UserFactory(username="other")

    mine = client.get(reverse("accounts:profile", args=["me"]))
    theirs = client.get(reverse("accounts:profile", args=[other.username]))

    assert suggested_on(mine) == ["pop0", "pop1", "pop2"]
    assert f'href="{PAGE}"' in mine.content.decode()
    assert suggested_on(theirs) == []


def test_visitors_are_asked_to_log_in(client):
    assert client.get(PAGE).url == f"/accounts/login/?next={PAGE}"
    assert APIClient().get(API).status_code == 401


@pytest.mark.parametrize("limit", ["0", "61", "lots"])
def test_an_api_limit_out_of_range_is_400_naming_it(me, limit):
    response = token_client(me).get(API, {"limit": limit})

    assert response.status_code == 400
    assert "limit" in response.json()


def test_the_api_takes_a_limit(me):
    for n in range(5):
        UserFactory(username=f"pop{n}", follower_count=100 - n)

    assert [u["username"] for u in api_suggested(me, limit=2)] == ["pop0", "pop1"]


@pytest.mark.parametrize("count", [5, 20])
def test_the_page_costs_the_same_queries_for_5_or_20_suggestions(
    client, me, count, django_assert_num_queries
):
    friends = UserFactory.create_batch(3)
    follows(me, *friends)
    for n in range(count):
        person = UserFactory(username=f"fof{n}")
        for friend in friends[: 1 + n % 3]:
            follows(friend, person)

    # user of the session, the ranking (friends of friends, interests, popular: then cached),
    # the accounts with flags and why, unread badge
    with django_assert_num_queries(6):
        response = client.get(PAGE)
    # Once cached: the ranking costs nothing.
    with django_assert_num_queries(3):
        client.get(PAGE)

    assert len(suggested_on(response)) == count


@pytest.mark.parametrize("count", [5, 20])
def test_the_api_costs_the_same_queries_for_5_or_20_suggestions(
    me, count, django_assert_num_queries
):
    friend = UserFactory()
    follows(me, friend)
    for n in range(count):
        follows(friend, UserFactory(username=f"fof{n}"))
    client = token_client(me)

    # token and user, the ranking (three queries, then cached), the accounts with flags and why
    with django_assert_num_queries(5):
        users = client.get(API).json()["users"]

    assert len(users) == count
    assert {user["followed_by"] for user in users} == {friend.username}


def test_a_suspended_friend_neither_counts_nor_is_named(client, me):
    gone = UserFactory(username="gone", follower_count=999)
    kept = UserFactory(username="kept")
    follows(me, gone, kept)
    target = UserFactory(username="target")
    follows(gone, target)
    follows(kept, target)
    gone.suspended_at = timezone.now()
    gone.save(update_fields=["suspended_at"])

    (user,) = [u for u in api_suggested(me) if u["username"] == "target"]

    assert (user["followed_by"], user["followed_by_count"]) == ("kept", 1)
    assert "gone" not in client.get(PAGE).content.decode()


def test_interests_look_at_recent_posts_only(client, me, settings):
    tagged_post(me, "hiking")
    old = tagged_post(UserFactory(username="old_hiker"), "hiking", likes=50)
    window = settings.SHUTTER["EXPLORE_WINDOW_DAYS"]
    old.created_at = timezone.now() - timedelta(days=window + 1)
    old.save(update_fields=["created_at"])
    tagged_post(UserFactory(username="new_hiker"), "hiking", likes=1)

    users = {u["username"]: u["suggested_because"] for u in api_suggested(me)}

    assert users["new_hiker"] == "interests"
    assert users["old_hiker"] == "popular"


@pytest.mark.parametrize("count", [3, 20])
def test_the_empty_feed_and_my_profile_cost_the_same_queries_however_many_candidates(
    client, me, count, django_assert_num_queries
):
    friend = UserFactory()
    follows(me, friend)
    for n in range(count):
        follows(friend, UserFactory(username=f"fof{n}"))
    # The feed shows my friend's posts no more: I muted them.
    MuteFactory(muter=me, muted=friend)

    # user of the session, the (empty) page of posts, the ranking (three queries, then
    # cached), the accounts with flags and why, unread badge
    with django_assert_num_queries(7):
        feed = client.get(HOME)
    # My profile: its header, its grid, the suggestions (ranking cached: one), and the base.
    with django_assert_num_queries(6):
        profile = client.get(reverse("accounts:profile", args=["me"]))

    assert len(suggested_on(feed)) == min(count, 5)
    assert len(suggested_on(profile)) == 3
