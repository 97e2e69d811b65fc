import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from posts.models import Comment, Post
from posts.tests.factories import CommentFactory, PostFactory
from social.graph.models import Follow
from social.graph.selectors import follow_requests_pending
from social.notifications.models import Notification
from social.notifications.selectors import notifications_list, notifications_unread_count
from social.tests.factories import BlockFactory, FollowFactory, NotificationFactory

pytestmark = pytest.mark.django_db


def pks(items):
    return [item.pk for item in items]


def like_of(me, post=None, **kwargs):
    post = post or PostFactory(author=me)
    return NotificationFactory(recipient=me, kind=Notification.Kind.LIKE, post=post, **kwargs)


# --- notifications -------------------------------------------------------------------------


def test_notifications_come_newest_first_and_only_my_own():
    me = UserFactory()
    older = NotificationFactory(recipient=me)
    newer = like_of(me)
    NotificationFactory()  # someone else's

    assert pks(notifications_list(user=me)) == [newer.pk, older.pk]


def test_a_notification_carries_its_post_with_only_the_first_image():
    me = UserFactory()
    post = PostFactory(author=me, images=3)
    like_of(me, post)

    (note,) = notifications_list(user=me)

    assert [image.position for image in note.post.cover_images] == [0]


@pytest.mark.parametrize(
    "hide",
    [
        lambda note: BlockFactory(blocker=note.recipient, blocked=note.actor),
        lambda note: BlockFactory(blocker=note.actor, blocked=note.recipient),
        lambda note: User.objects.filter(pk=note.actor_id).update(suspended_at=timezone.now()),
        lambda note: Post.objects.filter(pk=note.post_id).update(removed_at=timezone.now()),
        lambda note: Comment.objects.filter(pk=note.comment_id).update(removed_at=timezone.now()),
    ],
    ids=[
        "i-blocked-actor",
        "actor-blocked-me",
        "actor-suspended",
        "post-removed",
        "comment-removed",
    ],
)
def test_notifications_are_hidden_from_the_list_and_the_badge(hide):
    me = UserFactory()
    post = PostFactory(author=me)
    note = NotificationFactory(
        recipient=me,
        kind=Notification.Kind.COMMENT,
        post=post,
        comment=CommentFactory(post=post),
    )
    kept = NotificationFactory(recipient=me)

    hide(note)

    assert pks(notifications_list(user=me)) == [kept.pk]
    assert notifications_unread_count(user=me) == 1


def test_restoring_a_removed_post_brings_its_notification_back():
    me = UserFactory()
    note = like_of(me)
    Post.objects.filter(pk=note.post_id).update(removed_at=timezone.now())
    assert notifications_list(user=me).items == []

    Post.objects.filter(pk=note.post_id).update(removed_at=None)

    assert pks(notifications_list(user=me)) == [note.pk]


def test_unread_count_leaves_out_what_was_read():
    me = UserFactory()
    NotificationFactory.create_batch(3, recipient=me)
    NotificationFactory(recipient=me, read_at=timezone.now())
    NotificationFactory()

    assert notifications_unread_count(user=me) == 3


@pytest.mark.parametrize("n", [5, 20, 50])
def test_a_notifications_page_costs_the_same_queries_whatever_its_length(
    n, django_assert_num_queries
):
    me = UserFactory()
    posts = [PostFactory(author=me, images=2) for _ in range(3)]
    for i in range(n):
        post = posts[i % 3]
        comment = CommentFactory(post=post) if i % 2 else None
        actor = comment.author if comment else UserFactory()
        kind = Notification.Kind.COMMENT if comment else Notification.Kind.LIKE
        NotificationFactory(recipient=me, actor=actor, kind=kind, post=post, comment=comment)

    # 1: notifications with actor, post and comment joined; 2: the first image of each post.
    with django_assert_num_queries(2):
        page = notifications_list(user=me, page_size=50)
        rendered = [
            (
                note.actor.username,
                note.actor.avatar,
                note.get_kind_display(),
                [image.thumbnail for image in note.post.cover_images],
                note.comment.text if note.comment else "",
            )
            for note in page
        ]

    assert len(rendered) == n


# --- follow requests -----------------------------------------------------------------------


def test_pending_requests_come_newest_first_with_the_requester_loaded(django_assert_num_queries):
    owner = UserFactory(is_private=True)
    older = FollowFactory(following=owner, status=Follow.Status.PENDING)
    newer = FollowFactory(following=owner, status=Follow.Status.PENDING)
    FollowFactory(following=owner)  # already accepted
    FollowFactory(status=Follow.Status.PENDING)  # to someone else

    with django_assert_num_queries(1):
        page = follow_requests_pending(owner=owner)
        names = [request.follower.username for request in page]

    assert pks(page) == [newer.pk, older.pk]
    assert names == [newer.follower.username, older.follower.username]


def test_pending_requests_leave_out_suspended_and_blocked_requesters():
    owner = UserFactory(is_private=True)
    kept = FollowFactory(following=owner, status=Follow.Status.PENDING)
    suspended = FollowFactory(following=owner, status=Follow.Status.PENDING)
    User.objects.filter(pk=suspended.follower_id).update(suspended_at=timezone.now())
    blocked = FollowFactory(following=owner, status=Follow.Status.PENDING)
    BlockFactory(blocker=owner, blocked=blocked.follower)

    assert pks(follow_requests_pending(owner=owner)) == [kept.pk]
