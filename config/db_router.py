"""Sends reads to the replica when one is configured; writes and migrations to the primary."""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_pinned_to_primary: ContextVar[bool] = ContextVar("shutter_pinned_to_primary", default=False)


def pin_to_primary():
    """Make every later read in this context (request, task) go to the primary.

    The seam for read-your-writes: a request that wrote must not read a lagging replica.
    Returns the token that `unpin(token)` takes to restore the previous state.
    """
    return _pinned_to_primary.set(True)


def unpin(token):
    _pinned_to_primary.reset(token)


def is_pinned_to_primary():
    return _pinned_to_primary.get()


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA in settings.DATABASES and not is_pinned_to_primary():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary, so objects from both may relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
