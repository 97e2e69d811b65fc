"""The cached profile header: edits and counts show at once; visibility never comes from it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts import services
from accounts.cache import profile_card_store
from accounts.models import User
from accounts.selectors import profile_get
from accounts.tests.factories import PASSWORD, UserFactory
from posts.services import post_create, post_delete
from posts.tests.factories import photo_upload
from social import lifecycle
from social.graph import services as graph
from social.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def header(viewer, user):
    profile = profile_get(viewer=viewer, username=user.username)
    return {
        "display_name": profile.display_name,
        "bio": profile.bio,
        "is_private": profile.is_private,
        "counts": (profile.post_count, profile.follower_count, profile.following_count),
    }


def test_a_second_read_is_served_from_the_cache_with_one_query_for_the_viewer(
    django_assert_num_queries,
):
    me, them = UserFactory(), UserFactory(bio="before")
    profile_get(viewer=me, username=them.username)
    # Behind the services' back, so nothing forgets the cached header.
    User.objects.filter(pk=them.pk).update(bio="changed without a service")

    with django_assert_num_queries(1):  # visibility and my flags; the header is cached
        profile = profile_get(viewer=me, username=them.username.upper())

    assert profile.bio == "before"
    assert profile.pk == them.pk and profile.username == them.username


def test_a_cached_profile_loads_fields_outside_the_header_when_asked():
    them = UserFactory(email="them@example.com")
    profile_get(viewer=None, username=them.username)

    profile = profile_get(viewer=None, username=them.username)

    assert profile.email == "them@example.com"


def test_a_new_display_name_and_bio_show_at_once():
    me, them = UserFactory(), UserFactory(display_name="Old Name", bio="old bio")
    header(me, them)

    services.user_profile_update(user=them, display_name="New Name", bio="new bio")

    assert header(me, them)["display_name"] == "New Name"
    assert header(me, them)["bio"] == "new bio"


def test_counts_after_a_follow_and_an_unfollow_show_at_once_on_both_profiles():
    me, them = UserFactory(), UserFactory()
    assert header(me, them)["counts"] == header(me, me)["counts"] == (0, 0, 0)

    graph.follow_create(follower=me, following=them)

    assert header(me, them)["counts"] == (0, 1, 0)
    assert header(me, me)["counts"] == (0, 0, 1)

    graph.follow_remove(follower=me, following=them)

    assert header(me, them)["counts"] == (0, 0, 0)
    assert header(me, me)["counts"] == (0, 0, 0)


def test_counts_after_accepting_requests_show_at_once():
    owner, one, two = UserFactory(private=True), UserFactory(), UserFactory()
    first = graph.follow_create(follower=one, following=owner)
    graph.follow_create(follower=two, following=owner)
    header(one, owner)

    graph.follow_request_accept(owner=owner, follow_id=first.pk)
    assert header(one, owner)["counts"] == (0, 1, 0)

    graph.user_privacy_set(user=owner, is_private=False)  # accepts the other request
    assert header(one, owner) == {**header(one, owner), "is_private": False, "counts": (0, 2, 0)}
    assert header(owner, two)["counts"] == (0, 0, 1)


def test_a_new_and_a_deleted_post_count_at_once(committed):
    me = UserFactory()
    header(None, me)

    with committed():
        post = post_create(author=me, images=[photo_upload()])
    assert header(None, me)["counts"] == (1, 0, 0)

    post_delete(actor=me, post=post)
    assert header(None, me)["counts"] == (0, 0, 0)


def test_blocking_ends_follows_and_their_counts_show_at_once():
    me, them = UserFactory(), UserFactory()
    graph.follow_create(follower=them, following=me)
    header(me, me)

    graph.block_create(blocker=me, blocked=them)

    assert header(me, me)["counts"] == (0, 0, 0)


@pytest.mark.parametrize(
    "hide",
    [
        lambda me, them: BlockFactory(blocker=them, blocked=me),
        # Raw updates: no service or signal forgets the header, the database check still holds.
        lambda me, them: User.objects.filter(pk=them.pk).update(suspended_at="2026-01-01T00:00Z"),
        lambda me, them: User.objects.filter(pk=them.pk).update(is_active=False),
    ],
    ids=["blocked", "suspended", "deactivated"],
)
def test_a_cached_header_never_shows_an_account_the_viewer_may_no_longer_see(hide):
    me, them = UserFactory(), UserFactory()
    profile_get(viewer=me, username=them.username)
    hide(me, them)

    with pytest.raises(User.DoesNotExist):
        profile_get(viewer=me, username=them.username)


def test_going_private_closes_the_content_at_once_even_with_a_cached_header():
    them = UserFactory()
    assert profile_get(viewer=AnonymousUser(), username=them.username).can_see_content

    User.objects.filter(pk=them.pk).update(is_private=True)  # no invalidation on purpose

    assert not profile_get(viewer=AnonymousUser(), username=them.username).can_see_content


def test_a_moderator_suspending_in_the_admin_forgets_the_header():
    them = UserFactory(display_name="Before")
    profile_get(viewer=None, username=them.username)

    them.display_name = "After"
    them.save()  # what the admin does

    assert header(None, them)["display_name"] == "After"


def test_a_username_freed_by_a_deleted_account_shows_its_new_owner():
    gone = UserFactory(username="maya", display_name="First Maya")
    lifecycle.user_delete(user=gone, password=PASSWORD)
    # As if forgetting the old header had failed (Redis away at that moment).
    profile_card_store(gone)

    UserFactory(username="maya", display_name="Second Maya")

    assert header(None, User.objects.get(username="maya"))["display_name"] == "Second Maya"
