"""What every posts write shares: the transaction shape, the visibility guard, counters."""

from core.transactions import counter_delta, write_transaction
from posts.models import Post

__all__ = ["counter_move", "post_visible_or_404", "write_transaction"]


def post_visible_or_404(*, actor, post):
    """Raise Post.DoesNotExist unless `actor` may see `post` (privacy, blocks, removal)."""
    if not Post.objects.visible_to(actor).filter(pk=post.pk).exists():
        raise Post.DoesNotExist("No such post.")


def counter_move(model, pk, field, delta):
    """Move a denormalized counter with F() in the caller's transaction."""
    model.objects.filter(pk=pk).update(**{field: counter_delta(field, delta)})
