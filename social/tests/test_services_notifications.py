"""Notifications off the request: queued with the write, written after commit, exactly once.

`notification_enqueue` only writes an outbox row in the write's transaction; the worker's
`notifications_deliver` writes the Notification once the write has committed. These tests
drive both halves directly, to show what a late, repeated or outdated delivery does.
"""

import pytest

from accounts.tests.factories import UserFactory
from core.models import OutboxMessage
from posts.models import Like, Mention
from posts.services import comment_add, like_add, like_remove
from posts.tests.factories import CommentFactory, PostFactory
from social.graph import services as graph
from social.graph.models import Follow
from social.notifications import services as notices
from social.notifications.models import Notification
from social.notifications.triggers import NOTIFY_TASK
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("actor", "kind", "post"))


def queued():
    """What the outbox holds, as (kind, source ids) of notification messages."""
    return [
        tuple(message.args)
        for message in OutboxMessage.objects.filter(task=NOTIFY_TASK).order_by("pk")
    ]


def test_a_like_queues_its_notification_with_the_write_and_nothing_is_written_before_commit():
    post, fan = PostFactory(), UserFactory()

    like_add(user=fan, post=post)

    like = Like.objects.get()
    assert queued() == [(Kind.LIKE, [like.pk])]
    assert inbox(post.author) == []


def test_after_commit_the_notification_is_written_and_its_outbox_row_is_gone(committed):
    post, fan = PostFactory(), UserFactory()

    with committed():
        like_add(user=fan, post=post)

    assert inbox(post.author) == [(fan.pk, Kind.LIKE, post.pk)]
    assert not OutboxMessage.objects.exists()


def test_delivering_twice_writes_one_notification():
    post, fan = PostFactory(), UserFactory()
    like_add(user=fan, post=post)
    like = Like.objects.get()

    first = notices.notifications_deliver(kind=Kind.LIKE, source_ids=[like.pk])
    second = notices.notifications_deliver(kind=Kind.LIKE, source_ids=[like.pk])

    assert (first, second) == (1, 0)
    assert inbox(post.author) == [(fan.pk, Kind.LIKE, post.pk)]


def test_a_like_taken_back_before_delivery_notifies_nobody():
    post, fan = PostFactory(), UserFactory()
    like_add(user=fan, post=post)
    like_id = Like.objects.get().pk
    like_remove(user=fan, post=post)

    assert notices.notifications_deliver(kind=Kind.LIKE, source_ids=[like_id]) == 0
    assert inbox(post.author) == []


def test_taking_a_like_back_removes_its_notification_at_once_without_a_worker(committed):
    post, fan = PostFactory(), UserFactory()
    with committed():
        like_add(user=fan, post=post)

    # No committed(): the removal is part of the unlike's own transaction.
    like_remove(user=fan, post=post)

    assert inbox(post.author) == []


@pytest.mark.parametrize("since", ["blocked", "muted"])
def test_a_block_or_mute_made_before_delivery_stops_the_notification(since):
    post, fan = PostFactory(), UserFactory()
    like_add(user=fan, post=post)
    if since == "blocked":
        BlockFactory(blocker=post.author, blocked=fan)
    else:
        MuteFactory(muter=post.author, muted=fan)

    notices.notifications_deliver(kind=Kind.LIKE, source_ids=[Like.objects.get().pk])

    assert inbox(post.author) == []


def test_a_comment_removed_by_moderators_before_delivery_notifies_nobody():
    comment = CommentFactory()
    comment.removed_at = comment.created_at
    comment.save()

    assert notices.notifications_deliver(kind=Kind.COMMENT, source_ids=[comment.pk]) == 0
    assert inbox(comment.post.author) == []


def test_a_mention_in_a_comment_tells_the_person_where_it_was(committed):
    post, dana, writer = PostFactory(), UserFactory(username="dana"), UserFactory()

    with committed():
        comment = comment_add(author=writer, post=post, text="@dana look")

    mention = Notification.objects.get(recipient=dana)
    assert (mention.kind, mention.actor, mention.post, mention.comment) == (
        Kind.MENTION,
        writer,
        post,
        comment,
    )


def test_a_mention_edited_away_before_delivery_notifies_nobody():
    post, dana = PostFactory(), UserFactory(username="dana")
    comment = CommentFactory(post=post)
    mention = Mention.objects.create(user=dana, comment=comment)
    mention_id = mention.pk
    mention.delete()

    assert notices.notifications_deliver(kind=Kind.MENTION, source_ids=[mention_id]) == 0


def test_a_request_accepted_before_its_notification_went_out_is_told_as_a_follow():
    owner, fan = UserFactory(private=True), UserFactory()
    follow = graph.follow_create(follower=fan, following=owner)
    graph.follow_request_accept(owner=owner, follow_id=follow.pk)

    # Both deliveries arrive late, the request's first.
    notices.notifications_deliver(kind=Kind.FOLLOW, source_ids=[follow.pk])
    notices.notifications_deliver(kind=Kind.FOLLOW_ACCEPTED, source_ids=[follow.pk])

    assert inbox(owner) == [(fan.pk, Kind.FOLLOW, None)]
    assert inbox(fan) == [(owner.pk, Kind.FOLLOW_ACCEPTED, None)]


def test_a_request_delivered_again_after_acceptance_is_not_told_twice(committed):
    owner, fan = UserFactory(private=True), UserFactory()
    with committed():
        follow = graph.follow_create(follower=fan, following=owner)
    with committed():
        graph.follow_request_accept(owner=owner, follow_id=follow.pk)

    notices.notifications_deliver(kind=Kind.FOLLOW, source_ids=[follow.pk])

    assert inbox(owner) == [(fan.pk, Kind.FOLLOW, None)]


def test_a_declined_request_delivered_late_notifies_nobody():
    owner, fan = UserFactory(private=True), UserFactory()
    follow = graph.follow_create(follower=fan, following=owner)
    graph.follow_request_decline(owner=owner, follow_id=follow.pk)

    assert notices.notifications_deliver(kind=Kind.FOLLOW, source_ids=[follow.pk]) == 0
    assert not Follow.objects.exists()


def test_accepting_many_requests_queues_them_in_one_message_per_batch(monkeypatch):
    monkeypatch.setattr("social.notifications.triggers.NOTIFY_BATCH", 2)
    owner = UserFactory(private=True)
    follows = [FollowFactory(following=owner, status=Follow.Status.PENDING) for _ in range(3)]

    graph.follow_requests_accept_all(owner=owner)

    accepted = [(kind, ids) for kind, ids in queued() if kind == Kind.FOLLOW_ACCEPTED]
    assert [len(ids) for _, ids in accepted] == [2, 1]
    assert sorted(i for _, ids in accepted for i in ids) == sorted(f.pk for f in follows)


def test_delivery_of_a_batch_writes_each_notification_once():
    owner = UserFactory(private=True)
    follows = [FollowFactory(following=owner) for _ in range(3)]
    ids = [follow.pk for follow in follows]

    assert notices.notifications_deliver(kind=Kind.FOLLOW_ACCEPTED, source_ids=ids) == 3
    assert notices.notifications_deliver(kind=Kind.FOLLOW_ACCEPTED, source_ids=ids) == 0
    assert Notification.objects.filter(kind=Kind.FOLLOW_ACCEPTED).count() == 3
