"""A changelist paginator that doesn't COUNT(*) a huge table just to number its pages."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows the statistics are too rough to be worth it, and COUNT(*) is cheap.
EXACT_BELOW = 100_000


def table_row_estimate(qs):
    """PostgreSQL's estimate of the rows in `qs`'s table (pg_class.reltuples, kept by ANALYZE
    and autovacuum), or None where there is none (SQLite, a table never analyzed)."""
    connection = connections[qs.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(qs.model._meta.db_table)],
        )
        row = cursor.fetchone()
    # -1 means never analyzed (PostgreSQL 14+); 0 may mean the same on older versions.
    return row[0] if row and row[0] > 0 else None


class EstimatedCountPaginator(Paginator):
    """Exact counts for filtered or small lists; the planner's estimate for an unfiltered list
    of a large table on PostgreSQL, where COUNT(*) would read every row of it."""

    @cached_property
    def count(self):
        qs = self.object_list
        if isinstance(qs, QuerySet) and not qs.query.where and not qs.query.distinct:
            estimate = table_row_estimate(qs)
            if estimate is not None and estimate >= EXACT_BELOW:
                return estimate
        return super().count
