"""Keyset (cursor) pagination: pages that stay stable while new rows arrive.

An ordering is a tuple of (field, direction) pairs whose last field is unique, e.g.
(("created_at", "desc"), ("id", "desc")). The next page starts strictly after the last row of
this one, compared on the whole tuple, so rows inserted meanwhile never shift a page the way
OFFSET does. Ordering fields must be non-null (model fields or annotations).

A cursor is the last row's values, signed (so a client can neither forge nor alter a position)
and tied to the ordering it was made for.
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q

_SALT = "shutter.pagination.keyset"
_DIRECTIONS = {"asc": "gt", "desc": "lt"}
# A real cursor is a few dozen characters; refuse to verify megabytes of junk.
_MAX_CURSOR_LENGTH = 1000


class InvalidCursor(ValidationError):
    """The cursor was not made by this server for this list (tampered, garbled or foreign)."""

    default_message = "This page link is not valid here; start again from the first page."

    def __init__(self, message=default_message):
        super().__init__({"cursor": [message]})


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: str | None = None
    has_next: bool = False

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


def empty_page():
    """The page of a list the viewer may not see: no items, no next page."""
    return KeysetPage(items=[])


def clamp_page_size(page_size):
    """`page_size` as an int in 1..MAX_PAGE_SIZE; None means the default page size."""
    limits = settings.SHUTTER
    if page_size is None or page_size == "":
        return limits["PAGE_SIZE"]
    try:
        page_size = int(page_size)
    except (TypeError, ValueError):
        raise ValidationError({"page_size": ["page_size must be a whole number."]}) from None
    return max(1, min(page_size, limits["MAX_PAGE_SIZE"]))


def paginate_keyset(queryset, *, ordering, cursor=None, page_size=None):
    """One page of `queryset` in `ordering`, after `cursor`, in one query (page_size + 1 rows)."""
    ordering = _checked(ordering)
    size = clamp_page_size(page_size)
    qs = queryset.order_by(*(_order_by(name, direction) for name, direction in ordering))
    if cursor:
        qs = qs.filter(_after(ordering, _decode(queryset, ordering, cursor)))
    rows = list(qs[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    next_cursor = _encode(ordering, rows[-1]) if has_next else None
    return KeysetPage(items=rows, next_cursor=next_cursor, has_next=has_next)


def _checked(ordering):
    ordering = tuple((name, direction) for name, direction in ordering)
    if not ordering or any(direction not in _DIRECTIONS for _, direction in ordering):
        raise ValueError(f"Keyset ordering needs (field, 'asc'|'desc') pairs, got {ordering!r}.")
    return ordering


def _order_by(name, direction):
    return f"-{name}" if direction == "desc" else name


def _after(ordering, values):
    """Rows strictly after `values` in `ordering`: (a < x) OR (a = x AND b < y) OR ..."""
    branches = []
    for i, (name, direction) in enumerate(ordering):
        equal = {n: v for (n, _), v in zip(ordering[:i], values[:i], strict=True)}
        branches.append(Q(**equal, **{f"{name}__{_DIRECTIONS[direction]}": values[i]}))
    # The redundant bound on the leading field lets the database use a range scan of its index.
    name, direction = ordering[0]
    leading = Q(**{f"{name}__{_DIRECTIONS[direction]}e": values[0]})
    return leading & reduce(or_, branches)


def _row_value(row, name):
    value = row
    for part in name.split("__"):
        value = getattr(value, part)
    return value


def _jsonable(value):
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _key(ordering):
    return [_order_by(name, direction) for name, direction in ordering]


def _encode(ordering, row):
    values = [_jsonable(_row_value(row, name)) for name, _ in ordering]
    return signing.Signer(salt=_SALT).sign_object({"o": _key(ordering), "v": values}, compress=True)


def _decode(queryset, ordering, cursor):
    if not isinstance(cursor, str) or len(cursor) > _MAX_CURSOR_LENGTH:
        raise InvalidCursor()
    try:
        payload = signing.Signer(salt=_SALT).unsign_object(cursor)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidCursor() from None
    if not isinstance(payload, dict) or payload.get("o") != _key(ordering):
        # Signed by us, but for another list's ordering: its values would mean nothing here.
        raise InvalidCursor()
    values = payload.get("v")
    if not isinstance(values, list) or len(values) != len(ordering):
        raise InvalidCursor()
    return [
        _to_python(queryset, name, value) for (name, _), value in zip(ordering, values, strict=True)
    ]


def _to_python(queryset, name, value):
    # The field (or annotation) behind `name` turns the JSON value back into its type, e.g. an
    # ISO string back into an aware datetime. Resolved on a clone: resolving may add joins.
    output_field = queryset.query.clone().resolve_ref(name).output_field
    try:
        return output_field.to_python(value)
    except ValidationError:
        raise InvalidCursor() from None


def keyset_position(queryset, *, ordering, cursor):
    """The values a `cursor` made for `ordering` stands at (typed as `queryset`'s fields), for a
    list that reads its rows elsewhere first (the Redis home timeline). InvalidCursor if bad."""
    return _decode(queryset, _checked(ordering), cursor)


def keyset_cursor(*, ordering, row):
    """The cursor that continues after `row` (anything with the ordering's attributes), the
    same paginate_keyset makes, so a list read elsewhere and its query continue each other."""
    return _encode(_checked(ordering), row)
