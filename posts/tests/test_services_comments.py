"""comment_add and comment_delete: who may, what gets counted, who is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.tests.factories import UserFactory
from posts.models import Comment, Mention, Post
from posts.services import comment_add, comment_delete
from posts.tests.factories import PostFactory
from social.notifications.models import Notification
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db


def comment_count(post):
    post.refresh_from_db()
    return post.comment_count


def notified(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


@pytest.fixture
def post():
    return PostFactory()


def test_comment_add_stores_stripped_text_counts_it_and_tells_the_post_author(post, committed):
    reader = UserFactory()

    with committed():
        comment = comment_add(author=reader, post=post, text="  Lovely light!  ")

    assert comment.text == "Lovely light!"
    assert comment_count(post) == 1
    assert list(
        notified(post.author, Notification.Kind.COMMENT).values_list("actor", "comment")
    ) == [(reader.pk, comment.pk)]


def test_comment_add_on_ones_own_post_notifies_nobody(post, committed):
    with committed():
        comment_add(author=post.author, post=post, text="thanks all")

    assert comment_count(post) == 1
    assert not Notification.objects.exists()


def test_comment_add_notifies_people_mentioned_in_it(post, committed):
    reader, dana = UserFactory(), UserFactory(username="dana")

    with committed():
        comment = comment_add(author=reader, post=post, text="@Dana look at this")

    assert list(Mention.objects.values_list("user", "comment", "post")) == [
        (dana.pk, comment.pk, None)
    ]
    assert list(notified(dana, Notification.Kind.MENTION).values_list("post", "comment")) == [
        (post.pk, comment.pk)
    ]


@pytest.mark.parametrize(
    "text", ["", "   \n ", None, "x" * 2201], ids=["empty", "blank", "none", "2201"]
)
def test_comment_add_refuses_empty_or_overlong_text(post, text):
    with pytest.raises(ValidationError) as caught:
        comment_add(author=UserFactory(), post=post, text=text)

    assert list(caught.value.message_dict) == ["text"]
    assert not Comment.objects.exists()
    assert comment_count(post) == 0


def test_comment_add_accepts_2200_characters(post):
    assert len(comment_add(author=UserFactory(), post=post, text="x" * 2200).text) == 2200


def test_comment_add_on_a_private_post_needs_an_accepted_follow():
    post = PostFactory(author__is_private=True)
    follower = FollowFactory(following=post.author).follower

    with pytest.raises(Post.DoesNotExist):
        comment_add(author=UserFactory(), post=post, text="hi")
    comment_add(author=follower, post=post, text="hi")

    assert comment_count(post) == 1


@pytest.mark.parametrize("direction", ["author blocked reader", "reader blocked author"])
def test_comment_add_across_a_block_either_way_is_not_found(post, direction, committed):
    reader = UserFactory()
    if direction == "author blocked reader":
        BlockFactory(blocker=post.author, blocked=reader)
    else:
        BlockFactory(blocker=reader, blocked=post.author)

    with committed(), pytest.raises(Post.DoesNotExist):
        comment_add(author=reader, post=post, text="hi")

    assert not Comment.objects.exists()
    assert comment_count(post) == 0


@pytest.mark.parametrize(
    "hidden",
    [{"removed_at": timezone.now()}, {"author__suspended_at": timezone.now()}],
    ids=["removed-post", "suspended-author"],
)
def test_comment_add_on_hidden_content_is_not_found(hidden):
    post = PostFactory(**hidden)

    with pytest.raises(Post.DoesNotExist):
        comment_add(author=UserFactory(), post=post, text="hi")


# --- Deleting ------------------------------------------------------------------------------------


@pytest.fixture
def comment(post, committed):
    UserFactory(username="erin")
    with committed():
        return comment_add(author=UserFactory(), post=post, text="nice, @erin")


def test_comment_delete_by_its_author_uncounts_it_and_withdraws_its_notifications(post, comment):
    assert Notification.objects.count() == 2  # the comment, the mention

    comment_delete(actor=comment.author, comment=comment)

    assert not Comment.objects.exists()
    assert not Mention.objects.exists()
    assert not Notification.objects.exists()
    assert comment_count(post) == 0


def test_comment_delete_by_the_post_author_is_allowed(post, comment):
    comment_delete(actor=post.author, comment=comment)

    assert not Comment.objects.exists()
    assert comment_count(post) == 0


def test_comment_delete_by_anyone_else_is_refused(post, comment):
    with pytest.raises(PermissionDenied):
        comment_delete(actor=UserFactory(), comment=comment)

    assert Comment.objects.exists()
    assert comment_count(post) == 1


def test_comment_delete_by_someone_who_cannot_see_it_is_not_found(comment):
    outsider = UserFactory()
    BlockFactory(blocker=comment.author, blocked=outsider)

    with pytest.raises(Comment.DoesNotExist):
        comment_delete(actor=outsider, comment=comment)

    assert Comment.objects.exists()


def test_comment_delete_of_a_comment_moderators_removed_leaves_the_count(post, comment):
    other = comment_add(author=UserFactory(), post=post, text="still here")
    # Moderation hides the first comment and takes it off the count.
    Comment.objects.filter(pk=comment.pk).update(removed_at=timezone.now())
    Post.objects.filter(pk=post.pk).update(comment_count=1)

    comment_delete(actor=comment.author, comment=comment)

    assert list(Comment.objects.all()) == [other]
    assert comment_count(post) == 1


def test_comment_delete_twice_counts_once(post, comment):
    comment_add(author=UserFactory(), post=post, text="another")

    comment_delete(actor=comment.author, comment=comment)
    with pytest.raises(Comment.DoesNotExist):
        comment_delete(actor=comment.author, comment=comment)

    assert comment_count(post) == 1


def test_comment_delete_on_a_post_one_cannot_see_is_not_found(comment):
    outsider = UserFactory()
    BlockFactory(blocker=outsider, blocked=comment.post.author)

    with pytest.raises(Comment.DoesNotExist):
        comment_delete(actor=outsider, comment=comment)

    assert Comment.objects.exists()
