import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import UserFactory
from config.tests.clients import token_client
from posts.models import PostHashtag
from posts.tests.factories import HashtagFactory, PostFactory
from social.graph.models import Follow
from social.graph.services import follow_create
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

TAMPERED_CURSOR = "eyJvIjpbIi1jcmVhdGVkX2F0Il19:forged"


def url(name, username):
    return reverse(f"api:{name}", kwargs={"username": username})


def usernames(response):
    return [item["username"] for item in response.json()["results"]]


def follow(follower, following):
    return FollowFactory(follower=follower, following=following)


# The people a privacy case is seen by; each builds the viewer's client for `owner`.
def as_owner(owner):
    return token_client(owner)


def as_follower(owner):
    return token_client(follow(UserFactory(), owner).follower)


def as_stranger(owner):
    return token_client(UserFactory())


def as_anonymous(owner):
    return APIClient()


def as_requester(owner):
    return token_client(FollowFactory(following=owner, status=Follow.Status.PENDING).follower)


def hide_by_block_from_owner(owner, viewer):
    BlockFactory(blocker=owner, blocked=viewer)


def hide_by_block_from_viewer(owner, viewer):
    BlockFactory(blocker=viewer, blocked=owner)


def hide_by_suspension(owner, viewer):
    User.objects.filter(pk=owner.pk).update(suspended_at=timezone.now())


def hide_by_deactivation(owner, viewer):
    User.objects.filter(pk=owner.pk).update(is_active=False)


HIDDEN = pytest.mark.parametrize(
    "hide",
    [hide_by_block_from_owner, hide_by_block_from_viewer, hide_by_suspension, hide_by_deactivation],
    ids=["owner-blocked-me", "i-blocked-owner", "suspended", "deactivated"],
)


# --- GET /users/<username>/ -------------------------------------------------------------------


def test_a_profile_shows_the_public_fields_counts_and_my_relationship(
    django_assert_num_queries,
):
    owner = UserFactory(
        username="maya",
        display_name="Maya",
        bio="Light chaser",
        website="https://maya.example",
        post_count=4,
        follower_count=7,
        following_count=2,
    )
    me = UserFactory()
    follow(me, owner)
    follow(owner, me)
    client = token_client(me)

    # The token with its user, then the account with every flag as a subquery.
    with django_assert_num_queries(2):
        response = client.get(url("user-detail", "maya"))

    assert response.status_code == 200
    assert response.json() == {
        "id": owner.pk,
        "username": "maya",
        "display_name": "Maya",
        "avatar_url": None,
        "is_private": False,
        "is_following": True,
        "follow_requested": False,
        "is_followed_by": True,
        "is_muting": False,
        "bio": "Light chaser",
        "website": "https://maya.example",
        "post_count": 4,
        "follower_count": 7,
        "following_count": 2,
        "can_see_content": True,
    }


def test_a_profile_is_found_whatever_the_case_of_the_username():
    UserFactory(username="Maya")

    response = token_client(UserFactory()).get(url("user-detail", "mAYA"))

    assert response.status_code == 200
    assert response.json()["username"] == "Maya"


def test_a_visitor_sees_a_public_profile_with_every_flag_false():
    UserFactory(username="maya")

    response = APIClient().get(url("user-detail", "maya"))

    assert response.status_code == 200
    body = response.json()
    assert body["can_see_content"] is True
    assert not any(body[flag] for flag in ("is_following", "follow_requested", "is_followed_by"))


@pytest.mark.parametrize(
    ("viewer", "can_see"),
    [
        (as_owner, True),
        (as_follower, True),
        (as_requester, False),
        (as_stranger, False),
        (as_anonymous, False),
    ],
    ids=["owner", "follower", "requester", "stranger", "anonymous"],
)
def test_a_private_profile_shows_name_bio_and_counts_to_all_and_content_to_followers(
    viewer, can_see
):
    owner = UserFactory(username="hidden", private=True, bio="Ask first", follower_count=3)

    response = viewer(owner).get(url("user-detail", "hidden"))

    assert response.status_code == 200
    body = response.json()
    assert (body["bio"], body["follower_count"], body["is_private"]) == ("Ask first", 3, True)
    assert body["can_see_content"] is can_see


def test_a_pending_request_shows_as_requested_on_the_profile():
    owner = UserFactory(username="hidden", private=True)

    body = as_requester(owner).get(url("user-detail", "hidden")).json()

    assert (body["follow_requested"], body["is_following"]) == (True, False)


def test_a_profile_i_muted_says_so():
    owner = UserFactory(username="loud")
    me = UserFactory()
    MuteFactory(muter=me, muted=owner)

    assert token_client(me).get(url("user-detail", "loud")).json()["is_muting"] is True


@HIDDEN
def test_a_profile_behind_a_block_or_a_suspension_is_404(hide):
    owner = UserFactory(username="gone")
    me = UserFactory()
    hide(owner, me)

    response = token_client(me).get(url("user-detail", "gone"))

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_unknown_username_is_404():
    assert token_client(UserFactory()).get(url("user-detail", "nobody")).status_code == 404


def test_a_profile_cannot_be_written_through_its_url():
    owner = UserFactory(username="maya", bio="Mine")
    client = token_client(owner)

    response = client.patch(url("user-detail", "maya"), {"bio": "Changed"}, format="json")

    assert response.status_code == 405
    owner.refresh_from_db()
    assert owner.bio == "Mine"


# --- GET /users/<username>/posts/ -------------------------------------------------------------


def test_someones_posts_come_newest_first_as_full_posts():
    owner = UserFactory(username="maya")
    older = PostFactory(author=owner, caption="first")
    newer = PostFactory(author=owner, caption="second", images=2)
    PostFactory()  # someone else's

    response = token_client(UserFactory()).get(url("user-posts", "maya"))

    assert response.status_code == 200
    body = response.json()
    assert [post["id"] for post in body["results"]] == [newer.pk, older.pk]
    assert body["next"] is None
    first = body["results"][0]
    assert first["author"]["username"] == "maya"
    assert first["caption"] == "second"
    assert len(first["images"]) == 2
    assert first["images"][0]["thumbnail_url"].startswith("http://testserver/")
    assert (first["liked"], first["saved"]) == (False, False)


def test_someones_posts_page_by_cursor_without_gaps_or_repeats():
    owner = UserFactory(username="maya")
    posts = [PostFactory(author=owner) for _ in range(5)]
    client = token_client(UserFactory())

    first = client.get(url("user-posts", "maya"), {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    seen = [post["id"] for page in (first, second, third) for post in page["results"]]
    assert seen == [post.pk for post in reversed(posts)]
    assert third["next"] is None


@pytest.mark.parametrize(
    ("viewer", "sees_posts"),
    [
        (as_owner, True),
        (as_follower, True),
        (as_requester, False),
        (as_stranger, False),
        (as_anonymous, False),
    ],
    ids=["owner", "follower", "requester", "stranger", "anonymous"],
)
def test_a_private_accounts_posts_are_an_empty_page_unless_i_may_see_them(viewer, sees_posts):
    owner = UserFactory(username="hidden", private=True)
    post = PostFactory(author=owner)

    response = viewer(owner).get(url("user-posts", "hidden"))

    assert response.status_code == 200
    expected = [post.pk] if sees_posts else []
    assert [item["id"] for item in response.json()["results"]] == expected
    assert response.json()["next"] is None


def test_a_visitor_sees_a_public_accounts_posts():
    owner = UserFactory(username="maya")
    post = PostFactory(author=owner)

    response = APIClient().get(url("user-posts", "maya"))

    assert [item["id"] for item in response.json()["results"]] == [post.pk]


def test_removed_posts_are_not_listed():
    owner = UserFactory(username="maya")
    kept = PostFactory(author=owner)
    PostFactory(author=owner, removed_at=timezone.now())

    response = token_client(UserFactory()).get(url("user-posts", "maya"))

    assert [item["id"] for item in response.json()["results"]] == [kept.pk]


@HIDDEN
def test_posts_behind_a_block_or_a_suspension_are_404(hide):
    owner = UserFactory(username="gone")
    PostFactory(author=owner)
    me = UserFactory()
    hide(owner, me)

    assert token_client(me).get(url("user-posts", "gone")).status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_a_page_of_someones_posts_costs_the_same_queries_whatever_its_length(
    n, django_assert_num_queries
):
    owner = UserFactory(username="maya")
    for _ in range(n):
        PostFactory(author=owner, images=3)
    client = token_client(UserFactory())

    # Token and user; the profile by username; whether its posts are visible to me; the page
    # of posts with author and flags; all their images.
    with django_assert_num_queries(5):
        response = client.get(url("user-posts", "maya"), {"page_size": 100})

    assert len(response.json()["results"]) == n


def test_a_tampered_cursor_on_someones_posts_is_400():
    UserFactory(username="maya")

    response = token_client(UserFactory()).get(
        url("user-posts", "maya"), {"cursor": TAMPERED_CURSOR}
    )

    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_a_page_size_that_is_not_a_number_is_400():
    UserFactory(username="maya")

    response = token_client(UserFactory()).get(url("user-posts", "maya"), {"page_size": "ten"})

    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]


# --- GET /users/<username>/followers/ and /following/ -----------------------------------------


def test_followers_come_latest_follow_first_with_my_relationship_to_each():
    owner = UserFactory(username="maya")
    me = UserFactory(username="me")
    early = follow(UserFactory(username="early"), owner).follower
    late = follow(UserFactory(username="late"), owner).follower
    FollowFactory(following=owner, status=Follow.Status.PENDING)  # not a follower yet
    follow(me, late)

    response = token_client(me).get(url("user-followers", "maya"))

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["username"] for item in results] == ["late", "early"]
    assert results[0] == {
        "username": "late",
        "display_name": late.display_name,
        "avatar_url": None,
        "is_private": False,
        "is_following": True,
        "follow_requested": False,
        "is_followed_by": False,
        "is_muting": False,
    }
    assert results[1]["username"] == early.username
    assert results[1]["is_following"] is False


def test_following_lists_the_accounts_someone_follows_latest_first():
    owner = UserFactory(username="maya")
    follow(owner, UserFactory(username="first"))
    follow(owner, UserFactory(username="second"))
    FollowFactory(follower=owner, status=Follow.Status.PENDING)  # a request, not a follow

    response = token_client(UserFactory()).get(url("user-following", "maya"))

    assert usernames(response) == ["second", "first"]


@pytest.mark.parametrize("name", ["user-followers", "user-following"])
@pytest.mark.parametrize(
    ("viewer", "sees_list"),
    [
        (as_owner, True),
        (as_follower, True),
        (as_requester, False),
        (as_stranger, False),
        (as_anonymous, False),
    ],
    ids=["owner", "follower", "requester", "stranger", "anonymous"],
)
def test_a_private_accounts_follow_lists_are_empty_unless_i_may_see_them(name, viewer, sees_list):
    owner = UserFactory(username="hidden", private=True)
    friend = UserFactory(username="friend")
    follow(friend, owner)
    follow(owner, friend)

    response = viewer(owner).get(url(name, "hidden"))

    assert response.status_code == 200
    assert ("friend" in usernames(response)) is sees_list


@pytest.mark.parametrize("name", ["user-followers", "user-following"])
def test_a_visitor_sees_a_public_accounts_follow_lists(name):
    owner = UserFactory(username="maya")
    friend = UserFactory(username="friend")
    follow(friend, owner)
    follow(owner, friend)

    assert usernames(APIClient().get(url(name, "maya"))) == ["friend"]


@pytest.mark.parametrize("name", ["user-followers", "user-following"])
@HIDDEN
def test_follow_lists_behind_a_block_or_a_suspension_are_404(name, hide):
    owner = UserFactory(username="gone")
    me = UserFactory()
    hide(owner, me)

    assert token_client(me).get(url(name, "gone")).status_code == 404


def test_follow_lists_leave_out_accounts_a_block_stands_between_me_and():
    owner = UserFactory(username="maya")
    me = UserFactory()
    blocked = follow(UserFactory(username="blocked"), owner).follower
    blocker = follow(UserFactory(username="blocker"), owner).follower
    follow(UserFactory(username="fine"), owner)
    BlockFactory(blocker=me, blocked=blocked)
    BlockFactory(blocker=blocker, blocked=me)

    assert usernames(token_client(me).get(url("user-followers", "maya"))) == ["fine"]


@pytest.mark.parametrize("name", ["user-followers", "user-following"])
@pytest.mark.parametrize("n", [1, 6])
def test_a_follow_list_page_costs_the_same_queries_whatever_its_length(
    name, n, django_assert_num_queries
):
    owner = UserFactory(username="maya")
    for _ in range(n):
        other = UserFactory()
        follow(other, owner)
        follow(owner, other)
    client = token_client(UserFactory())

    # Token and user; the profile by username; whether its lists are visible to me; the page
    # of accounts with my relationship to each as subqueries.
    with django_assert_num_queries(4):
        response = client.get(url(name, "maya"), {"page_size": 100})

    assert len(response.json()["results"]) == n


@pytest.mark.parametrize("name", ["user-followers", "user-following"])
def test_a_follow_list_pages_by_cursor_and_refuses_a_tampered_one(name):
    owner = UserFactory(username="maya")
    for _ in range(3):
        other = UserFactory()
        follow(other, owner)
        follow(owner, other)
    client = token_client(UserFactory())

    first = client.get(url(name, "maya"), {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    tampered = client.get(url(name, "maya"), {"cursor": TAMPERED_CURSOR})

    assert len(first["results"]) == 2 and len(second["results"]) == 1
    assert second["next"] is None
    assert tampered.status_code == 400
    assert list(tampered.json()) == ["cursor"]


def test_a_cursor_from_one_list_is_refused_by_another():
    owner = UserFactory(username="maya")
    for _ in range(3):
        PostFactory(author=owner)
        follow(UserFactory(), owner)
    client = token_client(UserFactory())
    posts_cursor = client.get(url("user-posts", "maya"), {"page_size": 1}).json()["next"]
    cursor = posts_cursor.split("cursor=")[1].split("&")[0]

    response = client.get(url("user-followers", "maya"), {"cursor": cursor})

    assert response.status_code == 400


# --- GET /search/ -----------------------------------------------------------------------------

SEARCH = reverse("api:search")


def test_search_finds_accounts_and_hashtags_by_prefix(django_assert_num_queries):
    UserFactory(username="sunny", display_name="Sunny Day", follower_count=1)
    UserFactory(username="zed", display_name="Sunflower", follower_count=5)
    UserFactory(username="moon")
    popular = HashtagFactory(name="sunset")
    quiet = HashtagFactory(name="sunrise")
    HashtagFactory(name="moonlight")
    for post in PostFactory.create_batch(2):
        PostHashtag.objects.create(post=post, hashtag=popular)
    PostHashtag.objects.create(post=PostFactory(), hashtag=quiet)
    client = token_client(UserFactory(username="me"))

    # Token and user; the accounts with my relationship flags; the hashtags with their counts.
    with django_assert_num_queries(3):
        response = client.get(SEARCH, {"q": "sun"})

    assert response.status_code == 200
    body = response.json()
    assert [user["username"] for user in body["users"]] == ["zed", "sunny"]
    assert set(body["users"][0]) == {
        "username",
        "display_name",
        "avatar_url",
        "is_private",
        "is_following",
        "follow_requested",
        "is_followed_by",
        "is_muting",
    }
    assert body["hashtags"] == [
        {"name": "sunset", "post_count": 2},
        {"name": "sunrise", "post_count": 1},
    ]


def test_search_takes_an_at_sign_for_accounts_and_a_hash_for_hashtags():
    UserFactory(username="sunny")
    HashtagFactory(name="sunset")
    client = token_client(UserFactory())

    assert [u["username"] for u in client.get(SEARCH, {"q": "@sun"}).json()["users"]] == ["sunny"]
    assert [h["name"] for h in client.get(SEARCH, {"q": "#sun"}).json()["hashtags"]] == ["sunset"]


def test_search_leaves_out_blocked_and_suspended_accounts_but_lists_private_ones():
    me = UserFactory()
    BlockFactory(blocker=me, blocked=UserFactory(username="sun_blocked"))
    BlockFactory(blocker=UserFactory(username="sun_blocker"), blocked=me)
    UserFactory(username="sun_suspended", suspended=True)
    UserFactory(username="sun_private", private=True)

    body = token_client(me).get(SEARCH, {"q": "sun"}).json()

    assert [user["username"] for user in body["users"]] == ["sun_private"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}, {"q": "@"}])
def test_an_empty_search_finds_nothing(params):
    UserFactory(username="sunny")
    HashtagFactory(name="sunset")

    response = token_client(UserFactory()).get(SEARCH, params)

    assert response.status_code == 200
    assert response.json() == {"users": [], "hashtags": []}


def test_a_search_longer_than_the_limit_is_400_naming_q():
    response = token_client(UserFactory()).get(SEARCH, {"q": "s" * 101})

    assert response.status_code == 400
    assert list(response.json()) == ["q"]


def test_a_visitor_can_search():
    UserFactory(username="sunny")

    response = APIClient().get(SEARCH, {"q": "sun"})

    assert response.status_code == 200
    assert [user["username"] for user in response.json()["users"]] == ["sunny"]


def test_my_own_follow_shows_in_search_results():
    me = UserFactory()
    other = UserFactory(username="sunny")
    follow_create(follower=me, following=other)

    (user,) = token_client(me).get(SEARCH, {"q": "sun"}).json()["users"]

    assert user["is_following"] is True
