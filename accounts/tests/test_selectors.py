import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from accounts.selectors import (
    profile_get,
    user_followers,
    user_following,
    user_search,
)
from accounts.tests.factories import UserFactory
from social.graph.models import Follow
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

FLAGS = ("is_following", "follow_requested", "is_followed_by", "is_blocking", "is_muting")


def pks(items):
    return [item.pk for item in items]


def flags(profile):
    return {name: getattr(profile, name) for name in FLAGS}


# --- one profile ---------------------------------------------------------------------------


def test_profile_is_found_by_username_in_any_case():
    UserFactory(username="Ada_Lovelace")

    assert profile_get(viewer=None, username="ada_LOVELACE").username == "Ada_Lovelace"


@pytest.mark.parametrize(
    "hide",
    [
        lambda me, them: BlockFactory(blocker=them, blocked=me),
        lambda me, them: BlockFactory(blocker=me, blocked=them),
        lambda me, them: User.objects.filter(pk=them.pk).update(suspended_at=timezone.now()),
        lambda me, them: User.objects.filter(pk=them.pk).update(is_active=False),
    ],
    ids=["they-blocked-me", "i-blocked-them", "suspended", "deactivated"],
)
def test_profile_is_not_found(hide):
    me, them = UserFactory(), UserFactory()
    hide(me, them)

    with pytest.raises(User.DoesNotExist):
        profile_get(viewer=me, username=them.username)


def test_profile_says_how_the_viewer_relates_to_the_account(django_assert_num_queries):
    me, them = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=me, following=them, status=Follow.Status.PENDING)
    FollowFactory(follower=them, following=me)
    MuteFactory(muter=me, muted=them)

    with django_assert_num_queries(1):  # the account with every flag as a subquery
        profile = profile_get(viewer=me, username=them.username)

    assert flags(profile) == {
        "is_following": False,
        "follow_requested": True,
        "is_followed_by": True,
        "is_blocking": False,
        "is_muting": True,
    }
    assert profile.can_see_content is False


def test_an_accepted_follow_shows_as_following_and_opens_a_private_account():
    me, them = UserFactory(), UserFactory(is_private=True)
    FollowFactory(follower=me, following=them)

    profile = profile_get(viewer=me, username=them.username)

    assert profile.is_following and not profile.follow_requested and profile.can_see_content


def test_someone_signed_out_sees_a_public_profile_with_every_flag_off():
    them = UserFactory()

    profile = profile_get(viewer=AnonymousUser(), username=them.username)

    assert not any(flags(profile).values()) and profile.can_see_content


# --- who may see an account's content ------------------------------------------------------


def can_see_content(*, viewer, owner):
    """The `can_see_content` flag profile pages read, for `owner` as `viewer` finds it (False
    when a block hides the account altogether)."""
    return bool(
        User.objects.visible_to(viewer)
        .with_content_visibility(viewer)
        .filter(pk=owner.pk)
        .values_list("can_see_content", flat=True)
        .first()
    )


@pytest.mark.parametrize(
    ("private", "relation", "expected"),
    [
        (False, None, True),
        (True, None, False),
        (True, Follow.Status.PENDING, False),
        (True, Follow.Status.ACCEPTED, True),
        (False, "blocked", False),
        (True, "follows-but-blocked", False),
    ],
)
def test_who_can_see_an_accounts_content(private, relation, expected):
    me, owner = UserFactory(), UserFactory(is_private=private)
    if relation in Follow.Status.values:
        FollowFactory(follower=me, following=owner, status=relation)
    if relation == "follows-but-blocked":
        FollowFactory(follower=me, following=owner)
    if relation in ("blocked", "follows-but-blocked"):
        BlockFactory(blocker=owner, blocked=me)

    assert can_see_content(viewer=me, owner=owner) is expected


def test_owners_and_signed_out_people_see_what_privacy_allows():
    public, private = UserFactory(), UserFactory(is_private=True)

    assert can_see_content(viewer=private, owner=private) is True
    assert can_see_content(viewer=None, owner=public) is True
    assert can_see_content(viewer=AnonymousUser(), owner=private) is False


# --- followers and following ---------------------------------------------------------------


def test_followers_come_latest_first_without_requests_suspended_or_blocked_accounts():
    me, owner = UserFactory(), UserFactory()
    first = FollowFactory(following=owner).follower
    FollowFactory(following=owner, status=Follow.Status.PENDING)
    suspended = FollowFactory(following=owner, follower__suspended_at=timezone.now()).follower
    blocks_me = FollowFactory(following=owner).follower
    BlockFactory(blocker=blocks_me, blocked=me)
    last = FollowFactory(following=owner).follower

    followers = user_followers(viewer=me, user=owner)

    assert pks(followers) == [last.pk, first.pk]
    assert suspended.pk not in pks(followers)


def test_following_lists_the_accounts_the_user_follows_latest_first():
    owner = UserFactory()
    older = FollowFactory(follower=owner).following
    FollowFactory(follower=owner, status=Follow.Status.PENDING)
    newer = FollowFactory(follower=owner).following
    FollowFactory(following=owner)  # a follower, not followed

    assert pks(user_following(viewer=None, user=owner)) == [newer.pk, older.pk]


def test_follow_lists_of_a_private_account_are_empty_for_people_who_do_not_follow_it():
    owner = UserFactory(is_private=True)
    FollowFactory(following=owner)
    FollowFactory(follower=owner)
    requester = FollowFactory(following=owner, status=Follow.Status.PENDING).follower

    for viewer in (None, UserFactory(), requester):
        assert user_followers(viewer=viewer, user=owner).items == []
        assert user_following(viewer=viewer, user=owner).items == []
    assert len(user_followers(viewer=owner, user=owner)) == 1


def test_follow_lists_across_a_block_are_not_found():
    me, owner = UserFactory(), UserFactory()
    BlockFactory(blocker=owner, blocked=me)

    with pytest.raises(User.DoesNotExist):
        user_followers(viewer=me, user=owner)
    with pytest.raises(User.DoesNotExist):
        user_following(viewer=me, user=owner)


def test_followers_page_through_without_repeats():
    owner = UserFactory()
    everyone = {FollowFactory(following=owner).follower.pk for _ in range(5)}

    first = user_followers(viewer=None, user=owner, page_size=2)
    second = user_followers(viewer=None, user=owner, cursor=first.next_cursor, page_size=2)
    third = user_followers(viewer=None, user=owner, cursor=second.next_cursor, page_size=2)

    assert pks(first) + pks(second) + pks(third) == sorted(everyone, reverse=True)
    assert not third.has_next


@pytest.mark.parametrize("n", [5, 20, 50])
def test_a_followers_page_costs_the_same_queries_whatever_its_length(n, django_assert_num_queries):
    me, owner = UserFactory(), UserFactory()
    for follow in FollowFactory.create_batch(n, following=owner)[::2]:
        FollowFactory(follower=me, following=follow.follower)

    # 1: the owner (is it visible, may the viewer see its lists); 2: the followers with flags.
    with django_assert_num_queries(2):
        page = user_followers(viewer=me, user=owner, page_size=50)
        following = [user.is_following for user in page]
        [(user.username, user.avatar, user.follow_requested) for user in page]

    assert len(page) == n and following.count(True) == (n + 1) // 2


# --- search --------------------------------------------------------------------------------


def test_search_matches_username_or_display_name_in_any_case_prefixes_first():
    by_username = UserFactory(username="marina", display_name="Sea")
    by_name = UserFactory(username="zed", display_name="Marie Curie")
    inside = UserFactory(username="amar", display_name="Omar")
    UserFactory(username="bob", display_name="Bob")

    found = pks(user_search(viewer=None, prefix="@MAR"))

    # Issue 13: a name is found by any part of it, not only its start; starts rank first.
    assert set(found[:2]) == {by_username.pk, by_name.pk}
    assert found[2:] == [inside.pk]


def test_search_lists_private_accounts_but_never_suspended_or_blocked_ones():
    me = UserFactory()
    private = UserFactory(username="pat_private", is_private=True)
    UserFactory(username="pat_suspended", suspended_at=timezone.now())
    BlockFactory(blocker=UserFactory(username="pat_blocks_me"), blocked=me)
    BlockFactory(blocker=me, blocked=UserFactory(username="pat_i_blocked"))

    assert pks(user_search(viewer=me, prefix="pat")) == [private.pk]


def test_search_lists_most_followed_first_up_to_the_limit():
    quiet = UserFactory(username="sam_quiet")
    popular = UserFactory(username="sam_popular", follower_count=10)
    UserFactory(username="sam_zzz")

    assert pks(user_search(viewer=None, prefix="sam", limit=2)) == [popular.pk, quiet.pk]


def test_search_with_nothing_typed_finds_nobody():
    UserFactory()

    assert user_search(viewer=None, prefix="  @ ") == []
