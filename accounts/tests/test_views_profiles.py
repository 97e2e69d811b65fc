"""Profiles, their grids and follow lists: who sees what, and what it costs in queries."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory
from social.graph.models import Follow
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db


def profile_url(user, page=""):
    name = {"": "profile", "followers": "followers", "following": "following"}[page]
    return reverse(f"accounts:{name}", args=[user.username])


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def post_links(response):
    return response.text.count('class="tile" href="/p/')


def posts_by(user, n):
    posts = PostFactory.create_batch(n, author=user)
    User.objects.filter(pk=user.pk).update(post_count=n)
    return posts


# --- Who sees what -----------------------------------------------------------------------------


def test_a_public_profile_shows_header_and_grid_to_visitors(client):
    owner = UserFactory(
        display_name="Ada L.", bio="Engines and #maths", website="https://ada.example"
    )
    posts_by(owner, 3)

    response = client.get(profile_url(owner))

    assert response.status_code == 200
    html = response.text
    assert "Ada L." in html
    assert 'href="/tags/maths/"' in html
    assert "ada.example</a>" in html
    assert "<strong>3</strong> posts" in html
    assert post_links(response) == 3
    assert profile_url(owner, "followers") in html
    # A visitor's follow button sends them to log in first.
    assert f'href="/accounts/login/?next={profile_url(owner)}"' in html


def test_the_username_is_found_in_any_case(client):
    UserFactory(username="Grace")

    assert client.get("/u/grace/").status_code == 200


def test_a_private_profile_shows_the_header_and_a_lock_to_strangers():
    owner = UserFactory(is_private=True, bio="Only friends")
    posts_by(owner, 2)

    for viewer in (None, UserFactory()):
        response = client_for(viewer).get(profile_url(owner))

        assert response.status_code == 200
        assert "Only friends" in response.text
        assert "<strong>2</strong> posts" in response.text
        assert post_links(response) == 0
        assert "This account is private" in response.text
        # The counts don't link to lists the viewer can't open.
        assert profile_url(owner, "followers") not in response.text


@pytest.mark.parametrize("who", ["owner", "follower"])
def test_a_private_profile_shows_its_grid_to_the_owner_and_followers(who):
    owner = UserFactory(is_private=True)
    posts_by(owner, 2)
    viewer = owner if who == "owner" else FollowFactory(following=owner).follower

    response = client_for(viewer).get(profile_url(owner))

    assert post_links(response) == 2
    assert "This account is private" not in response.text


def test_a_pending_request_shows_requested_and_still_the_lock():
    owner = UserFactory(is_private=True)
    posts_by(owner, 1)
    requester = FollowFactory(following=owner, status=Follow.Status.PENDING).follower

    response = client_for(requester).get(profile_url(owner))

    assert 'data-follow-state="pending"' in response.text
    assert "Requested" in response.text
    assert "Your follow request is waiting" in response.text
    assert post_links(response) == 0


@pytest.mark.parametrize(
    ("relation", "button"),
    [(None, 'data-follow-state=""'), ("accepted", 'data-follow-state="accepted"')],
)
def test_the_follow_button_says_how_i_follow_them(relation, button):
    owner, viewer = UserFactory(), UserFactory()
    if relation:
        FollowFactory(follower=viewer, following=owner)

    response = client_for(viewer).get(profile_url(owner))

    assert button in response.text
    assert f'action="/u/{owner.username}/{"unfollow" if relation else "follow"}/"' in response.text


def test_my_own_profile_offers_edit_instead_of_follow():
    me = UserFactory()

    response = client_for(me).get(profile_url(me))

    assert "Edit profile" in response.text
    assert "data-follow-state" not in response.text
    assert "Share your first photo" in response.text


def test_the_menu_offers_mute_block_and_report_and_unmute_when_muted():
    owner, viewer = UserFactory(), UserFactory()

    before = client_for(viewer).get(profile_url(owner)).text
    MuteFactory(muter=viewer, muted=owner)
    after = client_for(viewer).get(profile_url(owner)).text

    assert f'action="/u/{owner.username}/mute/"' in before
    assert f'href="/u/{owner.username}/block/"' in before
    assert f'href="/u/{owner.username}/report/"' in before
    assert f'action="/u/{owner.username}/unmute/"' in after


def test_a_profile_that_blocked_me_is_a_plain_404():
    owner, viewer = UserFactory(bio="secret bio"), UserFactory()
    posts_by(owner, 1)
    BlockFactory(blocker=owner, blocked=viewer)

    response = client_for(viewer).get(profile_url(owner))

    assert response.status_code == 404
    assert "secret bio" not in response.text
    assert owner.username not in response.text
    assert post_links(response) == 0


def test_a_profile_i_blocked_is_a_404_that_offers_to_unblock():
    owner, viewer = UserFactory(bio="secret bio"), UserFactory()
    posts_by(owner, 1)
    BlockFactory(blocker=viewer, blocked=owner)

    response = client_for(viewer).get(profile_url(owner))

    assert response.status_code == 404
    assert f'action="/u/{owner.username}/unblock/"' in response.text
    assert "secret bio" not in response.text
    assert post_links(response) == 0


@pytest.mark.parametrize("hide", ["suspended", "deactivated", "missing"])
def test_suspended_deactivated_and_missing_profiles_are_404(client, hide):
    owner = UserFactory()
    if hide == "suspended":
        User.objects.filter(pk=owner.pk).update(suspended_at=timezone.now())
    elif hide == "deactivated":
        User.objects.filter(pk=owner.pk).update(is_active=False)
    url = profile_url(owner) if hide != "missing" else "/u/nobody-here/"

    for page in ("", "followers/", "following/"):
        assert client.get(url + page).status_code == 404


# --- The grid's pages --------------------------------------------------------------------------


def test_the_grid_pages_in_whole_rows_with_a_load_more_link(client, settings):
    settings.SHUTTER = {**settings.SHUTTER, "PAGE_SIZE": 4}
    owner = UserFactory()
    posts = posts_by(owner, 8)

    first = client.get(profile_url(owner))
    assert post_links(first) == 6
    link = first.context["next_cursor"]
    assert 'data-load-more="grid"' in first.text
    second = client.get(profile_url(owner), {"cursor": link})

    assert post_links(second) == 2
    assert 'data-load-more="grid"' not in second.text
    assert f'href="/p/{posts[0].pk}/"' in second.text


def test_a_forged_cursor_is_a_bad_request(client):
    owner = UserFactory()

    response = client.get(profile_url(owner), {"cursor": "forged:cursor"})

    assert response.status_code == 400


# --- Followers and following ---------------------------------------------------------------------


def test_followers_list_each_with_my_follow_button():
    owner, viewer = UserFactory(), UserFactory()
    followed_by_me = FollowFactory(following=owner).follower
    FollowFactory(follower=viewer, following=followed_by_me)
    stranger = FollowFactory(following=owner).follower

    response = client_for(viewer).get(profile_url(owner, "followers"))

    assert response.status_code == 200
    html = response.text
    assert f'href="/u/{followed_by_me.username}/"' in html
    assert f'href="/u/{stranger.username}/"' in html
    assert f'data-username="{followed_by_me.username}"' in html
    row = html.split(f'data-username="{followed_by_me.username}"', 1)[1][:400]
    assert 'data-follow-state="accepted"' in row


def test_following_lists_whom_they_follow():
    owner = UserFactory()
    followed = FollowFactory(follower=owner).following

    response = Client().get(profile_url(owner, "following"))

    assert f'href="/u/{followed.username}/"' in response.text


@pytest.mark.parametrize("page", ["followers", "following"])
def test_a_private_accounts_lists_are_locked_for_strangers(page):
    owner = UserFactory(is_private=True)
    secret = FollowFactory(following=owner).follower
    FollowFactory(follower=owner, following=secret)

    response = client_for(UserFactory()).get(profile_url(owner, page))

    assert response.status_code == 200
    assert "This account is private" in response.text
    assert secret.username not in response.text


@pytest.mark.parametrize("page", ["followers", "following"])
def test_lists_across_a_block_are_404(page):
    owner, viewer = UserFactory(), UserFactory()
    BlockFactory(blocker=owner, blocked=viewer)

    assert client_for(viewer).get(profile_url(owner, page)).status_code == 404


def test_a_follow_list_leaves_out_people_who_blocked_me():
    owner, viewer = UserFactory(), UserFactory()
    hidden = FollowFactory(following=owner).follower
    BlockFactory(blocker=hidden, blocked=viewer)

    response = client_for(viewer).get(profile_url(owner, "followers"))

    assert hidden.username not in response.text


# --- Query counts: the same for 5 items as for 20 ------------------------------------------------

# Logged in, every page costs the user and the unread badge (the session is read from the cache).
PAGE_BASE = 2


@pytest.mark.parametrize("n", [5, 20])
def test_the_profile_grid_costs_the_same_queries_whatever_its_length(n, django_assert_num_queries):
    owner, viewer = UserFactory(), UserFactory()
    posts_by(owner, n)
    client = client_for(viewer)
    client.get(profile_url(owner))  # the header is cached after the first view

    # the header's flags (header from the cache), the owner's visibility, the posts with their
    # authors and flags; their cards (images) came from the cache too
    with django_assert_num_queries(PAGE_BASE + 3):
        response = client.get(profile_url(owner))

    assert post_links(response) == n


@pytest.mark.parametrize("n", [5, 20])
@pytest.mark.parametrize("page", ["followers", "following"])
def test_follow_lists_cost_the_same_queries_whatever_their_length(
    n, page, django_assert_num_queries
):
    owner, viewer = UserFactory(), UserFactory()
    for _ in range(n):
        if page == "followers":
            FollowFactory(following=owner)
        else:
            FollowFactory(follower=owner)
    client = client_for(viewer)
    client.get(profile_url(owner, page))

    # the header's flags, the owner's visibility, the accounts with my flags on each
    with django_assert_num_queries(PAGE_BASE + 3):
        response = client.get(profile_url(owner, page))

    assert response.text.count('class="user-row"') == n
