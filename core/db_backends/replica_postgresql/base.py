"""The replica alias's backend: when the standby cannot be reached, connect to the primary.

The router asks replica_health before sending a read to the replica, but that answer may be
up to SHUTTER_REPLICA["CHECK_INTERVAL"] old: a replica that died since would fail the read.
Instead, this connection falls back to the primary and marks the replica unusable, so the
request answers as usual; the next health probe sees the fallback (not a standby) and lets go
of it, and reads return to the replica once it is back.
"""

from django.db import connections
from django.db.backends.postgresql import base

from core import replica_health
from core.db_router import PRIMARY


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError as exc:
            replica_health.mark_unusable(f"unreachable: {exc}".strip())
            primary = connections[PRIMARY]
            return super().get_new_connection(primary.get_connection_params())
