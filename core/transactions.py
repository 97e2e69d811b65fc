"""What every service write shares: the transaction shape and counter arithmetic."""

from contextlib import contextmanager

from django.db import transaction
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Greatest

from core.db_router import pin_to_primary


@contextmanager
def write_transaction():
    """A transaction whose reads go to the primary too: they decide what gets written.

    The pin lasts for the rest of the request or task (read-your-writes).
    """
    pin_to_primary()
    with transaction.atomic():
        yield


def counter_delta(field, delta):
    """An F() expression moving a denormalized counter by `delta` (a number or expression).

    Clamped at zero on the way down, so a drifted counter can't fail a write; the recount
    job repairs drift.
    """
    if isinstance(delta, int) and delta > 0:
        return F(field) + delta
    return Greatest(F(field) + delta, Value(0), output_field=IntegerField())
