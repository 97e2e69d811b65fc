"""Comments: adding them (and replies), liking them, deleting them, and their counters.

Replies are one level deep, as on Instagram: a reply to a reply attaches to the top-level
comment and starts with an @mention of the person replied to.

Counters (kept with F() in the transaction that changes the rows they count):
  Post.comment_count   comments not removed whose comment (for a reply) is not removed either:
                       the comments anyone may see, replies included
  Comment.reply_count  its replies not removed
  Comment.like_count   its likes

Lock order: a thread's top-level comment, then the reply, then the post's row (the counter).
Adding a reply locks its comment, so a comment's reply_count is exact while it is locked:
deleting or moderating a comment moves the post's counter by 1 + reply_count.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from posts.models import Comment, CommentLike, Post
from posts.services.common import counter_move, post_visible_or_404, write_transaction
from posts.services.text import mentions_in, mentions_sync
from social.notifications.models import Notification
from social.notifications.triggers import notification_enqueue, notification_remove

COMMENT_MAX = Comment._meta.get_field("text").max_length


def _comment_text_clean(text):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Write something to comment."]})
    if len(text) > COMMENT_MAX:
        raise ValidationError(
            {
                "text": [
                    f"A comment can be at most {COMMENT_MAX} characters; this one has {len(text)}."
                ]
            }
        )
    return text


def _mention_prefixed(text, username):
    """`text` starting with @username unless it already mentions them (a reply to a reply)."""
    if username.lower() in {name.lower() for name in mentions_in(text)}:
        return text
    return f"@{username} {text}"


def comment_add(*, author, post, text, reply_to=None):
    """Comment on a post `author` can see, or reply to a comment on it (`reply_to`).

    A reply to a reply attaches to its top-level comment and mentions the person replied to.
    Notifies the post's author (a comment), the comment's author (a reply) and anyone mentioned.
    Raises Post.DoesNotExist when the post is hidden from `author` (privacy, a block either
    way, removal), Comment.DoesNotExist when `reply_to` is, and ValidationError for empty or
    overlong text or a comment of another post.
    """
    text = _comment_text_clean(text)
    with write_transaction():
        post_visible_or_404(actor=author, post=post)
        parent = None
        if reply_to is not None:
            if reply_to.post_id != post.pk:
                raise ValidationError({"reply_to": ["That comment is on another post."]})
            parent = _thread_lock(actor=author, comment=reply_to)
            if reply_to.pk != parent.pk:
                text = _comment_text_clean(_mention_prefixed(text, reply_to.author.username))
        comment = Comment.objects.create(post=post, author=author, text=text, parent=parent)
        if parent is not None:
            counter_move(Comment, parent.pk, "reply_count", +1)
            notification_enqueue(kind=Notification.Kind.REPLY, source_ids=[comment.pk])
        counter_move(Post, post.pk, "comment_count", +1)
        notification_enqueue(kind=Notification.Kind.COMMENT, source_ids=[comment.pk])
        mentions_sync(actor=author, text=text, comment=comment)
    return comment


def _comment_visible_or_404(*, actor, comment):
    try:
        post_visible_or_404(actor=actor, post=comment.post)
    except Post.DoesNotExist:
        raise Comment.DoesNotExist("No such comment.") from None
    if not Comment.objects.visible_to(actor).filter(pk=comment.pk).exists():
        raise Comment.DoesNotExist("No such comment.")


def _thread_lock(*, actor, comment):
    """Lock and return the top-level comment of `comment`'s thread, once `actor` may see
    `comment`; Comment.DoesNotExist otherwise. The caller holds a write transaction."""
    top_id = comment.parent_id or comment.pk
    top = Comment.objects.select_for_update().filter(pk=top_id).first()
    if top is None:
        raise Comment.DoesNotExist("No such comment.")
    _comment_visible_or_404(actor=actor, comment=comment)
    return top


def comment_thread_lock(*, comment):
    """Lock `comment`'s top-level comment (itself when it is one) before `comment`: moderation
    calls it first, so it takes the locks in the order every comment write does."""
    Comment.objects.select_for_update().filter(pk=comment.parent_id or comment.pk).exists()


def comment_counters_shift(*, comment, remove):
    """Move the counters for `comment` leaving (`remove`) or coming back into sight, as
    moderation removes or restores it. Call with its thread locked (comment_thread_lock)."""
    sign = -1 if remove else +1
    if comment.parent_id is None:
        replies = Comment.objects.filter(pk=comment.pk).values_list("reply_count", flat=True)
        counter_move(Post, comment.post_id, "comment_count", sign * (1 + replies.get()))
        return
    counter_move(Comment, comment.parent_id, "reply_count", sign)
    if Comment.objects.filter(pk=comment.parent_id, removed_at__isnull=True).exists():
        counter_move(Post, comment.post_id, "comment_count", sign)


def comment_delete(*, actor, comment):
    """Delete a comment: its author or the post's author may. Its replies, likes, mentions and
    notifications go with it (CASCADE), and the counters with them."""
    with write_transaction():
        # Fresh from the database: a moderator may have removed it since it was loaded.
        Comment.objects.select_for_update().filter(pk=comment.parent_id or comment.pk).exists()
        current = (
            Comment.objects.select_for_update(of=("self",))
            .select_related("post", "parent")
            .filter(pk=comment.pk)
            .first()
        )
        if current is None:
            raise Comment.DoesNotExist("No such comment.")
        if actor.pk not in (current.author_id, current.post.author_id):
            _comment_visible_or_404(actor=actor, comment=current)
            raise PermissionDenied("Only the comment's author or the post's author can delete it.")
        Comment.objects.filter(pk=current.pk).delete()
        if current.removed_at is not None:
            return  # a removed comment counted nowhere (nor, for a top-level one, its replies)
        if current.parent_id is None:
            counter_move(Post, current.post_id, "comment_count", -(1 + current.reply_count))
            return
        counter_move(Comment, current.parent_id, "reply_count", -1)
        if current.parent.removed_at is None:
            counter_move(Post, current.post_id, "comment_count", -1)


def comment_like_add(*, user, comment):
    """Like a comment `user` can see; a second like is a no-op. True when a like was added.

    Raises Comment.DoesNotExist when the comment (or its post) is hidden from `user`.
    """
    with write_transaction():
        _comment_visible_or_404(actor=user, comment=comment)
        like, created = CommentLike.objects.get_or_create(user=user, comment=comment)
        if created:
            counter_move(Comment, comment.pk, "like_count", +1)
            notification_enqueue(kind=Notification.Kind.COMMENT_LIKE, source_ids=[like.pk])
    return created


def comment_like_remove(*, user, comment):
    """Take back a like of a comment, and its notification; a no-op without one."""
    with write_transaction():
        _comment_visible_or_404(actor=user, comment=comment)
        deleted, _ = CommentLike.objects.filter(user=user, comment=comment).delete()
        if deleted:
            counter_move(Comment, comment.pk, "like_count", -1)
            notification_remove(actor=user, kind=Notification.Kind.COMMENT_LIKE, comment=comment)
    return bool(deleted)
