"""Is the replica fit to serve reads? Checked at most every few seconds per process.

A replica that is down, or lags past SHUTTER_REPLICA_MAX_LAG seconds, is skipped: reads fall
back to the primary instead of failing or serving stale pages.
"""

import logging
import threading
import time

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_state = {"checked_at": 0.0, "usable": True, "lag": None, "error": None}


def replica_status(*, force=False):
    """Returns {"usable", "lag", "error"} for the replica, refreshing a stale reading."""
    now = time.monotonic()
    interval = settings.SHUTTER_REPLICA["CHECK_INTERVAL"]
    if force or now - _state["checked_at"] >= interval:
        with _lock:
            if force or now - _state["checked_at"] >= interval:
                _state.update(_probe(), checked_at=time.monotonic())
    return {key: _state[key] for key in ("usable", "lag", "error")}


def replica_is_usable():
    return replica_status()["usable"]


def mark_unusable(error):
    """Stop reads going to the replica until the next probe finds it healthy again."""
    logger.warning("Replica unusable, reading from the primary: %s", error)
    _state.update(usable=False, lag=None, error=error, checked_at=time.monotonic())


def _probe():
    connection = connections["replica"]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_LAG_SQL[connection.vendor])
            lag = cursor.fetchone()[0]
    except Exception as exc:  # any failure at all means "don't read from it"
        logger.warning("Replica unusable, reading from the primary: %s", exc)
        connection.close()
        return {"usable": False, "lag": None, "error": str(exc)}
    if lag is None:
        # Not a standby: the alias fell back to the primary (see core/db_backends). Drop
        # that connection so the next probe tries the real replica again.
        connection.close()
        return {"usable": False, "lag": None, "error": "unreachable: using the primary"}
    lag = float(lag)
    usable = lag <= settings.SHUTTER_REPLICA["MAX_LAG"]
    return {"usable": usable, "lag": lag, "error": None if usable else "lagging"}


# On a standby, the time since the last replayed transaction; zero when it has replayed
# everything the primary sent (an idle primary must not look like a lagging replica).
_LAG_SQL = {
    # NULL when the connection is not to a standby at all.
    "postgresql": (
        "SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL "
        "WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
        "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
    ),
    "sqlite": "SELECT 0",
}


def reset():
    """Forget the last reading (tests, and after a failover)."""
    _state.update(checked_at=0.0, usable=True, lag=None, error=None)
