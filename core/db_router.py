"""Sends reads to the replica when one is configured; writes and migrations to the primary.

Read-your-writes: once the current context (a request, a task) writes, or asks to be pinned,
every later read in it goes to the primary, because the replica may not have the write yet.
Context-local state (contextvars) keeps this right under threads and ASGI alike.
"""

from contextvars import ContextVar

from django.conf import settings

from core import replica_health

PRIMARY = "default"
REPLICA = "replica"

_pinned: ContextVar[bool] = ContextVar("shutter_db_pinned", default=False)
_wrote: ContextVar[bool] = ContextVar("shutter_db_wrote", default=False)


class pinned_context:
    """Scope of one request or task: starts unpinned (or pinned), restores the outer state."""

    def __init__(self, pinned=False):
        self.pinned = pinned

    def __enter__(self):
        self._tokens = (_pinned.set(self.pinned), _wrote.set(False))
        return self

    def __exit__(self, *exc):
        self.wrote = _wrote.get()
        _pinned.reset(self._tokens[0])
        _wrote.reset(self._tokens[1])
        return False


def pin_to_primary():
    """Make every later read in this context go to the primary."""
    _pinned.set(True)


def is_pinned_to_primary():
    return _pinned.get()


def replica_usable():
    """Whether reads may go to the replica now; the health check plugs in here."""
    return replica_health.replica_is_usable()


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA not in settings.DATABASES or _pinned.get():
            return None
        return REPLICA if replica_usable() else PRIMARY

    def db_for_write(self, model, **hints):
        # Also reached by select_for_update(): reads that feed a write go to the primary.
        _wrote.set(True)
        _pinned.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary, so objects from both may relate.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
