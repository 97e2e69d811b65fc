"""What every read cache shares: how an entry is forgotten when a write changes its source.

The caches hold only what is the same for every viewer (a profile's header, a hashtag, the
explore ranking). Whatever depends on the viewer, privacy above all, is always read from the
database, so a stale or missing entry can cost speed but never show something it shouldn't.

With Redis configured, cache errors are ignored and logged (IGNORE_EXCEPTIONS): a read becomes
a miss and a write is skipped. The entries' TTL bounds what a skipped invalidation leaves.
"""

from django.core.cache import cache
from django.db import transaction


def cache_forget(*keys):
    """Delete `keys` now and again once the current transaction commits.

    Now: the rest of this transaction (and request) reads fresh rows. After commit: a reader
    that refilled an entry from the rows as they were before the commit loses it again.
    """
    keys = [key for key in keys if key]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)
