"""Positions in a keyset ordering, for APIs that page by an item's id (core.pagination)."""

from datetime import UTC, datetime

import pytest

from core.pagination import (
    InvalidCursor,
    keyset_compare,
    keyset_cursor_at,
    keyset_cursor_position,
)

NEWEST_FIRST = (("created_at", "desc"), ("id", "desc"))
EARLY = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
LATE = datetime(2026, 1, 1, 12, 0, 0, 500000, tzinfo=UTC)


def test_a_cursor_carries_its_position_back():
    cursor = keyset_cursor_at(NEWEST_FIRST, [LATE, 7])

    assert keyset_cursor_position(NEWEST_FIRST, cursor) == [LATE.isoformat(), 7]


def test_a_cursor_of_another_ordering_or_altered_is_refused():
    cursor = keyset_cursor_at(NEWEST_FIRST, [LATE, 7])

    with pytest.raises(InvalidCursor):
        keyset_cursor_position((("id", "asc"),), cursor)
    with pytest.raises(InvalidCursor):
        keyset_cursor_position(NEWEST_FIRST, cursor[:-2] + "xx")


def test_compare_follows_the_directions():
    assert keyset_compare(NEWEST_FIRST, [LATE, 1], [EARLY, 9]) == -1
    assert keyset_compare(NEWEST_FIRST, [EARLY, 9], [EARLY, 3]) == -1
    assert keyset_compare(NEWEST_FIRST, [EARLY, 3], [EARLY, 3]) == 0
    # A value and its JSON form compare as equal: positions from cursors meet rows.
    assert keyset_compare(NEWEST_FIRST, [EARLY.isoformat(), 3], [EARLY, 3]) == 0
    assert keyset_compare((("id", "asc"),), [2], [5]) == -1
