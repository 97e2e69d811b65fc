"""Mastodon's paging (max_id, since_id, min_id, limit and a Link header) over Shutter's keyset
selectors, which page by signed cursor.

Each list is a `Listing`: its selector, the ordering the selector pages in, and (for lists of
statuses and notifications) how to find where an item id stands, so an app may page with the
ids of the items it holds, as Mastodon allows. The Link header's ids are positions: the item's
own id where the list can look one up, else an opaque token ("k" + the cursor, url-safe) that
only this server reads, exactly as Mastodon's own Link headers for bookmarks or follow lists
carry ids that are not the items'. A token or id that is not ours answers 400.

- max_id: items after that one (older);
- since_id: the newest items, down to that one (not included);
- min_id: the items just newer than that one (not included), still newest first.
"""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from rest_framework.response import Response

from core.pagination import (
    InvalidCursor,
    keyset_compare,
    keyset_cursor_at,
    keyset_cursor_position,
    keyset_row_position,
)

DEFAULT_LIMIT = 20
MAX_LIMIT = 40
TOKEN_PREFIX = "k"
# min_id and since_id walk down from the top of the list: at most this many pages of it.
WALK_PAGES = 10
PAGING_PARAMS = ("max_id", "since_id", "min_id")


@dataclass
class Listing:
    ordering: tuple
    fetch: Callable  # (cursor, page_size) -> KeysetPage
    # Where the item with this (numeric) id stands, or None when it doesn't exist.
    position_of_id: Callable | None = None
    # The id of an item as the list's position_of_id reads it (status id, notification id).
    item_id: Callable | None = None


def _limit(request):
    raw = request.query_params.get("limit")
    try:
        limit = int(raw) if raw not in (None, "") else DEFAULT_LIMIT
    except ValueError:
        raise InvalidCursor("limit must be a whole number.") from None
    return max(1, min(limit, MAX_LIMIT))


def _token(cursor):
    return TOKEN_PREFIX + base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")


def _untoken(value):
    raw = value[len(TOKEN_PREFIX) :]
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor() from None


def _position(listing, value):
    """The position an id or token names; None when not given."""
    if value is None or value == "":
        return None
    value = str(value)
    if value.startswith(TOKEN_PREFIX):
        return keyset_cursor_position(listing.ordering, _untoken(value))
    if value.isdigit() and len(value) <= 19 and listing.position_of_id is not None:
        position = listing.position_of_id(int(value))
        if position is None:
            raise InvalidCursor("No item has this id.")
        return position
    raise InvalidCursor("This is not an id or position of this list.")


def _walk_newer(listing, *, lower, upper, limit, newest):
    """Items strictly before `lower` (newer), after `upper` if given, walking down from the top.
    `newest`: the first `limit` of them (since_id), else the last `limit` (min_id)."""
    collected = []
    cursor = keyset_cursor_at(listing.ordering, upper) if upper is not None else None
    for _ in range(WALK_PAGES):
        page = listing.fetch(cursor=cursor, page_size=settings.SHUTTER["MAX_PAGE_SIZE"])
        reached = False
        for item in page.items:
            if (
                keyset_compare(listing.ordering, keyset_row_position(listing.ordering, item), lower)
                >= 0
            ):
                reached = True
                break
            collected.append(item)
        if reached or not page.has_next or (newest and len(collected) >= limit):
            break
        cursor = page.next_cursor
    return collected[:limit] if newest else collected[-limit:]


def page_of(request, listing):
    """(items, Link header or None) for this request's paging parameters."""
    params = request.query_params
    limit = _limit(request)
    upper = _position(listing, params.get("max_id"))
    min_id, since_id = params.get("min_id"), params.get("since_id")
    lower = _position(listing, min_id or since_id)
    if lower is None:
        cursor = keyset_cursor_at(listing.ordering, upper) if upper is not None else None
        page = listing.fetch(cursor=cursor, page_size=limit)
        items, more = list(page.items), page.has_next
    else:
        items = _walk_newer(listing, lower=lower, upper=upper, limit=limit, newest=not min_id)
        more = bool(items)
    return items, _link_header(request, listing, items, more)


def _id_of(listing, item):
    if listing.item_id is not None:
        return listing.item_id(item)
    return _token(keyset_cursor_at(listing.ordering, keyset_row_position(listing.ordering, item)))


def _link_header(request, listing, items, more):
    if not items:
        return None
    kept = [
        (key, value)
        for key in request.query_params
        if key not in PAGING_PARAMS
        for value in request.query_params.getlist(key)
    ]
    base = request.build_absolute_uri(request.path)

    def url(**paging):
        return f"{base}?{urlencode([*kept, *paging.items()])}"

    links = []
    if more:
        links.append(f'<{url(max_id=_id_of(listing, items[-1]))}>; rel="next"')
    links.append(f'<{url(min_id=_id_of(listing, items[0]))}>; rel="prev"')
    return ", ".join(links)


def paged_response(request, listing, render):
    """A DRF Response of `render(items)` with the Link header."""
    items, link = page_of(request, listing)
    response = Response(render(items))
    if link:
        response["Link"] = link
    return response
