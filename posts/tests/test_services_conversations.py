"""Replies (one level, as on Instagram) and likes on comments: threads, exact counters (also
under concurrency), what deleting and moderating a comment does to its replies, who is told."""

import pytest
from django.core.exceptions import ValidationError

from accounts.tests.factories import UserFactory
from posts.models import Comment, CommentLike, Post
from posts.services import (
    comment_add,
    comment_delete,
    comment_like_add,
    comment_like_remove,
    post_counters_recount,
)
from posts.tests.factories import PostFactory
from posts.tests.test_services_engagement import THREADS, run_at_once
from social.moderation.services import comment_remove, comment_restore
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, FollowFactory
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def counts(post, *comments):
    post.refresh_from_db()
    found = []
    for comment in comments:
        comment.refresh_from_db()
        found.append((comment.reply_count, comment.like_count))
    return post.comment_count, found


def told(kind, recipient):
    return list(
        Notification.objects.filter(kind=kind, recipient=recipient).values_list(
            "actor__username", flat=True
        )
    )


@pytest.fixture
def thread(committed):
    """alice's post; bob's comment on it."""
    post = PostFactory(author__username="alice")
    with committed():
        top = comment_add(author=UserFactory(username="bob"), post=post, text="Lovely")
    return post, top


# --- Replies -------------------------------------------------------------------------------------


def test_a_reply_joins_the_comment_and_tells_its_author_and_the_post_author(thread, committed):
    post, top = thread
    cat = UserFactory(username="cat")

    with committed():
        reply = comment_add(author=cat, post=post, text="Agreed", reply_to=top)

    assert reply.parent == top
    assert counts(post, top) == (2, [(1, 0)])
    assert told(Kind.REPLY, top.author) == ["cat"]
    assert told(Kind.COMMENT, post.author) == ["bob", "cat"]


def test_a_reply_to_a_reply_attaches_to_the_top_comment_and_mentions_the_person(thread, committed):
    post, top = thread
    with committed():
        first = comment_add(author=UserFactory(username="cat"), post=post, text="Hi", reply_to=top)
        second = comment_add(
            author=UserFactory(username="dan"), post=post, text="Yes!", reply_to=first
        )

    assert second.parent_id == top.pk
    assert second.text == "@cat Yes!"
    assert counts(post, top) == (3, [(2, 0)])
    assert told(Kind.MENTION, first.author) == ["dan"]
    assert told(Kind.REPLY, top.author) == ["cat", "dan"]


def test_replying_on_ones_own_post_comment_tells_the_post_author_once(committed):
    post = PostFactory()
    with committed():
        top = comment_add(author=post.author, post=post, text="Mine")
        comment_add(author=UserFactory(), post=post, text="Nice", reply_to=top)

    kinds = Notification.objects.filter(recipient=post.author).values_list("kind", flat=True)
    assert list(kinds) == [Kind.REPLY]


def test_a_reply_to_a_comment_of_another_post_is_refused(thread):
    _post, top = thread

    with pytest.raises(ValidationError):
        comment_add(author=UserFactory(), post=PostFactory(), text="Hi", reply_to=top)

    assert Comment.objects.count() == 1


def test_a_reply_across_a_block_with_the_comment_author_is_not_found(thread):
    post, top = thread
    stranger = UserFactory()
    BlockFactory(blocker=top.author, blocked=stranger)

    with pytest.raises(Comment.DoesNotExist):
        comment_add(author=stranger, post=post, text="Hi", reply_to=top)
    with pytest.raises(Comment.DoesNotExist):
        comment_like_add(user=stranger, comment=top)

    assert counts(post, top) == (1, [(0, 0)])


def test_replies_and_likes_on_a_private_post_need_an_accepted_follow(committed):
    post = PostFactory(author__is_private=True)
    follower = FollowFactory(following=post.author).follower
    top = comment_add(author=post.author, post=post, text="Mine")

    with pytest.raises(Post.DoesNotExist):
        comment_add(author=UserFactory(), post=post, text="Hi", reply_to=top)
    with pytest.raises(Comment.DoesNotExist):
        comment_like_add(user=UserFactory(), comment=top)
    comment_add(author=follower, post=post, text="Hi", reply_to=top)
    comment_like_add(user=follower, comment=top)

    assert counts(post, top) == (2, [(1, 1)])


# --- Deleting and moderating ---------------------------------------------------------------------


def test_deleting_a_comment_deletes_its_replies_and_moves_the_counters(thread):
    post, top = thread
    for _ in range(3):
        comment_add(author=UserFactory(), post=post, text="Hi", reply_to=top)
    other = comment_add(author=UserFactory(), post=post, text="Another")

    comment_delete(actor=top.author, comment=top)

    assert list(Comment.objects.values_list("pk", flat=True)) == [other.pk]
    assert counts(post)[0] == 1


def test_deleting_a_reply_moves_both_counters(thread):
    post, top = thread
    reply = comment_add(author=UserFactory(), post=post, text="Hi", reply_to=top)

    comment_delete(actor=post.author, comment=reply)

    assert counts(post, top) == (1, [(0, 0)])


def test_removing_a_comment_hides_its_replies_and_restoring_brings_them_back(thread):
    post, top = thread
    replies = [
        comment_add(author=UserFactory(), post=post, text="Hi", reply_to=top) for _ in range(2)
    ]
    moderator = moderator_make()

    comment_remove(moderator=moderator, comment=top, reason="Spam")

    assert counts(post, top) == (0, [(2, 0)])
    assert not Comment.objects.visible_to(None).filter(pk__in=[r.pk for r in replies]).exists()

    comment_remove(moderator=moderator, comment=replies[0], reason="Spam")
    comment_restore(moderator=moderator, comment=top, reason="Appeal")

    assert counts(post, top) == (2, [(1, 0)])
    assert post_counters_recount() == 0


def test_recount_repairs_reply_and_like_counts(thread):
    post, top = thread
    comment_add(author=UserFactory(), post=post, text="Hi", reply_to=top)
    comment_like_add(user=UserFactory(), comment=top)
    Comment.objects.filter(pk=top.pk).update(reply_count=9, like_count=9)
    Post.objects.filter(pk=post.pk).update(comment_count=9)

    assert post_counters_recount() == 1

    assert counts(post, top) == (2, [(1, 1)])


# --- Likes ---------------------------------------------------------------------------------------


def test_liking_a_comment_counts_once_and_tells_its_author(thread, committed):
    post, top = thread
    fan = UserFactory(username="fan")

    with committed():
        assert comment_like_add(user=fan, comment=top) is True
        assert comment_like_add(user=fan, comment=top) is False

    assert counts(post, top) == (1, [(0, 1)])
    assert told(Kind.COMMENT_LIKE, top.author) == ["fan"]

    assert comment_like_remove(user=fan, comment=top) is True
    assert comment_like_remove(user=fan, comment=top) is False

    assert counts(post, top) == (1, [(0, 0)])
    assert told(Kind.COMMENT_LIKE, top.author) == []


# --- Concurrency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_comment_likes_and_unlikes_leave_the_counter_equal_to_rows():
    post = PostFactory()
    top = comment_add(author=UserFactory(), post=post, text="Hi")
    fans = UserFactory.create_batch(THREADS)
    stays = set(fans[: THREADS // 2])

    def change_mind(fan):
        comment_like_add(user=fan, comment=top)
        comment_like_add(user=fan, comment=top)
        comment_like_remove(user=fan, comment=top)
        comment_like_add(user=fan, comment=top)
        if fan not in stays:
            comment_like_remove(user=fan, comment=top)

    run_at_once(change_mind, fans)

    likers = set(CommentLike.objects.values_list("user", flat=True))
    assert likers == {fan.pk for fan in stays}
    assert counts(post, top) == (1, [(0, len(stays))])


@pytest.mark.django_db(transaction=True)
def test_concurrent_replies_and_deletes_keep_thread_and_post_counters_exact():
    post = PostFactory()
    top = comment_add(author=UserFactory(), post=post, text="Hi")
    people = UserFactory.create_batch(THREADS)
    stays = set(people[: THREADS // 2])

    def reply_and_maybe_delete(person):
        reply = comment_add(author=person, post=post, text="Hello", reply_to=top)
        comment_add(author=person, post=post, text="Again", reply_to=reply)
        if person not in stays:
            comment_delete(actor=person, comment=reply)

    run_at_once(reply_and_maybe_delete, people)

    replies = Comment.objects.filter(parent=top).count()
    assert replies == THREADS + len(stays)
    assert counts(post, top) == (1 + replies, [(replies, 0)])
    assert post_counters_recount() == 0
