"""What every posts write shares: the transaction shape, the visibility guard, counters."""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest

from config.db_router import pin_to_primary
from posts.models import Post


@contextmanager
def write_transaction():
    """A transaction whose reads go to the primary too: they decide what gets written.

    The pin lasts for the rest of the request or task (read-your-writes).
    """
    pin_to_primary()
    with transaction.atomic():
        yield


def post_visible_or_404(*, actor, post):
    """Raise Post.DoesNotExist unless `actor` may see `post` (privacy, blocks, removal)."""
    if not Post.objects.visible_to(actor).filter(pk=post.pk).exists():
        raise Post.DoesNotExist("No such post.")


def counter_move(model, pk, field, delta):
    """Move a denormalized counter with F(); clamped at zero so drift can't fail a write."""
    value = F(field) + delta if delta > 0 else Greatest(F(field) + delta, 0)
    model.objects.filter(pk=pk).update(**{field: value})
