"""user_privacy_set: going private or public, and the requests it accepts."""

import pytest

from accounts.tests.factories import UserFactory
from social.graph import services as graph
from social.graph.models import Follow
from social.notifications.models import Notification
from social.tests.factories import MuteFactory

GOOD_PASSWORD = "a-long-unusual-passphrase"


# --- user_privacy_set ------------------------------------------------------------------------


@pytest.mark.django_db
def test_going_private_keeps_existing_followers():
    owner, fan = UserFactory(), UserFactory()
    graph.follow_create(follower=fan, following=owner)

    assert graph.user_privacy_set(user=owner, is_private=True) == 0

    owner.refresh_from_db()
    assert owner.is_private is True
    assert owner.follower_count == 1
    assert Follow.objects.accepted().filter(follower=fan, following=owner).exists()


@pytest.mark.django_db
def test_going_public_accepts_every_pending_request(committed):
    owner = UserFactory(private=True)
    requesters = UserFactory.create_batch(3)
    quiet = UserFactory()
    MuteFactory(muter=quiet, muted=owner)
    with committed():
        for requester in [*requesters, quiet]:
            graph.follow_create(follower=requester, following=owner)

    with committed():
        assert graph.user_privacy_set(user=owner, is_private=False) == 4

    owner.refresh_from_db()
    assert owner.is_private is False
    assert owner.follower_count == 4
    assert not Follow.objects.pending().exists()
    for requester in [*requesters, quiet]:
        requester.refresh_from_db()
        assert requester.following_count == 1
    for requester in requesters:
        assert list(
            Notification.objects.filter(recipient=requester).values_list("kind", flat=True)
        ) == [Notification.Kind.FOLLOW_ACCEPTED]
    # Whoever muted the owner still follows, but isn't told.
    assert not Notification.objects.filter(recipient=quiet).exists()
    owner_inbox = Notification.objects.filter(recipient=owner)
    assert set(owner_inbox.values_list("kind", flat=True)) == {Notification.Kind.FOLLOW}
    assert owner_inbox.count() == 4


@pytest.mark.django_db
def test_a_new_follow_after_going_public_is_accepted_at_once():
    owner, fan = UserFactory(private=True), UserFactory()
    graph.user_privacy_set(user=owner, is_private=False)

    follow = graph.follow_create(follower=fan, following=owner)

    assert follow.status == Follow.Status.ACCEPTED
