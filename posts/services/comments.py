"""Adding and deleting comments."""

from django.core.exceptions import PermissionDenied, ValidationError

from posts.models import Comment, Post
from posts.services.common import counter_move, post_visible_or_404, write_transaction
from posts.services.text import mentions_sync
from social.notifications.models import Notification
from social.notifications.triggers import notification_enqueue

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


def comment_add(*, author, post, text):
    """Comment on a post `author` can see; notifies the post's author and anyone mentioned.

    Raises Post.DoesNotExist when the post is hidden from `author` (privacy, a block either
    way, removal) and ValidationError for empty or overlong text.
    """
    text = _comment_text_clean(text)
    with write_transaction():
        post_visible_or_404(actor=author, post=post)
        comment = Comment.objects.create(post=post, author=author, text=text)
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


def comment_delete(*, actor, comment):
    """Delete a comment: its author or the post's author may. Its notifications go with it."""
    with write_transaction():
        # Fresh from the database: a moderator may have removed it since it was loaded.
        current = (
            Comment.objects.select_for_update().select_related("post").filter(pk=comment.pk).first()
        )
        if current is None:
            raise Comment.DoesNotExist("No such comment.")
        if actor.pk not in (current.author_id, current.post.author_id):
            _comment_visible_or_404(actor=actor, comment=current)
            raise PermissionDenied("Only the comment's author or the post's author can delete it.")
        # Notifications and mentions of the comment go by their foreign keys' CASCADE.
        _, deleted = Comment.objects.filter(pk=current.pk).delete()
        # comment_count counts comments that are not removed, so only those move it.
        if deleted.get(Comment._meta.label) and current.removed_at is None:
            counter_move(Post, current.post_id, "comment_count", -1)
