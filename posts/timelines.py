"""Home timelines: one Redis sorted set of post ids per user, filled by fan-out on write.

The home feed (posts.selectors.home_feed) reads a page of ids here, then checks them against
the database with the one visibility rule (`home_feed_posts`), so the timeline is an index,
never an authority: a stale id can cost a fill, never a leak. Without Redis (the embedded
defaults use LocMemCache), or with Redis unreachable, `timeline_page` answers None and the
pull query serves the same page; the keyset cursor is the same on both paths.

Key and layout (raw Redis, the django-redis "default" connection, no cache prefix):
  timeline:v1:<user id>   ZSET  member "%019d" % post id, score = created_at in microseconds
                                since the epoch (exact in a double until the year 2255);
                                equal scores sort by member, i.e. by id: the zset's order is the
                                feed's (created_at desc, id desc).
                                One more member, "~floor", scores the floor: every post the
                                feed shows above it (strictly) is in the set, save big authors'.
                                -1 when the set holds the whole history.
The key lives SHUTTER["TIMELINE_ACTIVE_DAYS"]; each read of the feed renews it (in the same
round trip). That is the "active follower" signal: fan-out writes only to timelines that
exist (a Lua script checks), so a follower who has not read their feed for that long costs
nothing, and their first read rebuilds the timeline from PostgreSQL.

Writes keep it (the tasks in posts.tasks, queued through the outbox by social.graph.triggers):
  timeline_fanout(post_id)              a new or restored post to its author's timeline and
                                        their followers', in pipelined batches, unless the
                                        author has more than TIMELINE_FANOUT_MAX_FOLLOWERS
                                        followers: those posts are merged in at read time.
  timeline_post_sync(post_id, author)   fan out a live post, else take it out everywhere.
  timeline_follow_sync(ids, author)     merge in / take out an author's recent posts for
                                        followers who follow (and don't mute) them / don't.
  timeline_author_sync(author)          a suspended or deactivated author's posts out of every
                                        follower's timeline, or back in.
Each set is capped at SHUTTER["TIMELINE_SIZE"] ids; past the floor, pages continue from the
database (no end of history).
"""

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from redis.exceptions import RedisError

from accounts.models import User
from core.pagination import KeysetPage, clamp_page_size, keyset_cursor, keyset_cursor_values
from posts.hydration import card_rows, post_cards, post_cards_of_rows
from posts.models import Post
from social.graph.models import Follow, Mute
from social.graph.triggers import timelines_enabled

logger = logging.getLogger(__name__)

ORDERING = (("created_at", "desc"), ("id", "desc"))
FLOOR = "~floor"
COMPLETE = -1  # the floor of a timeline that holds the whole history
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
# After Redis fails, this process reads the pull feed for a while instead of paying the
# connect timeout on every page.
REDIS_BACKOFF_SECONDS = 5.0
_redis = {"down_until": 0.0}

# Add posts to a timeline that exists (a missing one is cold: its first read rebuilds it),
# above its floor only, then trim to the cap and raise the floor to what was trimmed.
# KEYS[1] the timeline; ARGV[1] the cap, then score, member pairs. Returns how many it added.
_ADD = """
local floor = redis.call('zscore', KEYS[1], '~floor')
if not floor then return 0 end
floor = tonumber(floor)
local added = 0
for i = 2, #ARGV, 2 do
  if tonumber(ARGV[i]) > floor then
    added = added + redis.call('zadd', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
local cap = tonumber(ARGV[1])
local extra = redis.call('zcard', KEYS[1]) - 1 - cap
if extra > 0 then
  redis.call('zrem', KEYS[1], '~floor')
  local cut = redis.call('zrange', KEYS[1], 0, extra - 1, 'WITHSCORES')
  redis.call('zremrangebyrank', KEYS[1], 0, extra - 1)
  local top = tonumber(cut[#cut])
  if top > floor then floor = top end
  redis.call('zadd', KEYS[1], floor, '~floor')
end
return added
"""


def timeline_key(user_id):
    """The Redis key of `user_id`'s home timeline."""
    return f"timeline:v1:{int(user_id)}"


def _config():
    shutter = settings.SHUTTER
    return {
        "size": shutter["TIMELINE_SIZE"],
        "ttl": shutter["TIMELINE_ACTIVE_DAYS"] * 86400,
        "big": shutter["TIMELINE_FANOUT_MAX_FOLLOWERS"],
        "batch": shutter["TIMELINE_FANOUT_BATCH"],
    }


def score_of(created_at):
    """A post's score: its created_at in whole microseconds since the epoch (exact)."""
    return (created_at - _EPOCH) // _MICROSECOND


def member_of(post_id):
    return f"{int(post_id):019d}"


def _connection():
    from django_redis import get_redis_connection  # only with Redis configured

    return get_redis_connection("default")


def _script(connection):
    return connection.register_script(_ADD)


def _redis_usable():
    return timelines_enabled() and time.monotonic() >= _redis["down_until"]


def _redis_failed(exc, what):
    _redis["down_until"] = time.monotonic() + REDIS_BACKOFF_SECONDS
    logger.warning("Redis unreachable (%s); the home feed reads the database: %s", what, exc)


def redis_backoff_reset():
    """Try Redis again on the next read (tests, and once it is known to be back)."""
    _redis["down_until"] = 0.0


# --- The feed's rule ---------------------------------------------------------------------------


def home_feed_posts(viewer):
    """Posts of the accounts `viewer` follows and their own, that `viewer` may see, minus muted
    accounts': the home feed's rule, on both paths (visible_to is the one visibility rule)."""
    return (
        Post.objects.visible_to(viewer)
        .without_muted(viewer)
        .filter(Q(author=viewer) | Q(author__in=Follow.objects.following_ids(viewer)))
    )


# --- Reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    created_at: datetime
    id: int


def _window(size):
    """How many ids one read takes: the page, the row that says there is a next one, and room
    for ids the database check drops (stale entries)."""
    return 2 * (size + 1) + 8


def _read(connection, user_id, upper, count, ttl):
    """(floor or None when cold, [(score, id)] newest first from `upper` (inclusive) down):
    one round trip, which also renews the timeline's life."""
    key = timeline_key(user_id)
    pipe = connection.pipeline(transaction=False)
    pipe.zscore(key, FLOOR)
    pipe.zrevrangebyscore(key, "+inf" if upper is None else upper, "-inf", 0, count, True, int)
    pipe.expire(key, ttl)
    floor, entries, _ = pipe.execute()
    if floor is None:
        return None, []
    return float(floor), [(score, int(member)) for member, score in entries if member != b"~floor"]


def timeline_page(*, viewer, cursor=None, page_size=None):
    """The page of `viewer`'s home feed after `cursor` from the Redis timeline, or None when the
    pull query must answer it (no Redis, Redis down, or a page the timeline can't vouch for:
    below its floor, or too many of its ids dropped by the visibility check).

    Raises InvalidCursor for a cursor not made for this feed, as the pull path does.
    """
    size = clamp_page_size(page_size)
    after = None
    if cursor:
        created_at, post_id = keyset_cursor_values(
            Post.objects.all(), ordering=ORDERING, cursor=cursor
        )
        after = (score_of(created_at), post_id)
    if not _redis_usable():
        return None
    config = _config()
    count = _window(size)
    try:
        connection = _connection()
        floor, entries = _read(
            connection, viewer.pk, None if after is None else after[0], count, config["ttl"]
        )
        if floor is None:
            # Cold: the rebuild's rows are the feed as the database has it now, in order.
            floor, entries = timeline_rebuild(viewer, connection=connection)
            rows = [_row(*entry) for entry in entries if after is None or entry < after]
            return _page(viewer, rows[: size + 1], size, complete=floor == COMPLETE)
    except RedisError as exc:
        _redis_failed(exc, "home timeline read")
        return None
    exhausted = len(entries) < count
    # Equal scores: ids at or above the cursor's were on the pages before.
    candidates = [entry for entry in entries if after is None or entry < after]
    # Below the last id read (or the floor, when everything down to it was read), a post of the
    # feed may be missing from what was read: rows there can't be vouched for, so the query
    # does not look there (which also bounds its scan of big authors' posts).
    if exhausted:
        since = None if floor == COMPLETE else Q(created_at__gt=_row(int(floor), 0).created_at)
    else:
        bound = entries[-1]
        since = Q(created_at__gte=_row(*bound).created_at)
    ids = [post_id for _, post_id in candidates]
    rows = _checked_rows(viewer, ids, after, since, size, config)
    if exhausted:
        trusted = [row for row in rows if score_of(row.created_at) > floor]
    else:
        trusted = [row for row in rows if (score_of(row.created_at), row.id) >= bound]
    if len(trusted) < len(rows):
        return None
    return _page(viewer, rows, size, complete=exhausted and floor == COMPLETE)


def _row(score, post_id):
    return _Row(_EPOCH + score * _MICROSECOND, post_id)


def _page(viewer, rows, size, *, complete):
    """The page of `rows` (the first size + 1 of the feed after the cursor, as far as they go),
    or None when they stop short and the history goes on below them (the database's part)."""
    if len(rows) <= size and not complete:
        return None
    page = rows[:size]
    has_next = len(rows) > size
    next_cursor = keyset_cursor(ordering=ORDERING, row=page[-1]) if has_next else None
    if page and isinstance(page[0], _Row):
        # A cold read: the rebuild's ids (already the feed's rule) become cards.
        items = post_cards([row.id for row in page], viewer=viewer)
    else:
        # posts.hydration's card rows already: the cards cost one cache round trip.
        items = post_cards_of_rows(page)
    return KeysetPage(items=items, next_cursor=next_cursor, has_next=has_next)


def _checked_rows(viewer, candidate_ids, after, since, size, config):
    """The first size + 1 posts of the feed among `candidate_ids` and the posts of followed
    authors too big to fan out, after `after` and within `since`, as the database says now: two
    queries (those authors, then the posts, reading the cards' rows too: card_rows)."""
    # The big authors `viewer` follows, read first: the few accounts above the threshold
    # (user_follower_count_idx), each looked up in the follows' unique pair index, so the cost
    # doesn't grow with how many the viewer follows. As a list of ids the check below is a
    # union of two index scans, the page's ids and those authors' recent posts; read in the
    # same query, PostgreSQL walked posts by date instead.
    big_authors = User.objects.filter(follower_count__gt=config["big"]).values("pk")
    big_followed = list(
        Follow.objects.following_ids(viewer)
        .filter(following_id__in=big_authors)
        .values_list("following_id", flat=True)
    )
    wanted = Q(pk__in=candidate_ids)
    if big_followed:
        wanted |= Q(author_id__in=big_followed)
    qs = home_feed_posts(viewer).filter(wanted)
    if since is not None:
        qs = qs.filter(since)
    if after is not None:
        # The keyset condition of core.pagination, on (created_at, id).
        created_at = _row(*after).created_at
        qs = qs.filter(
            Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=after[1]),
            created_at__lte=created_at,
        )
    return list(card_rows(qs, viewer).order_by("-created_at", "-id")[: size + 1])


# --- Writing ----------------------------------------------------------------------------------


def timeline_rebuild(viewer, *, connection=None):
    """Fill `viewer`'s timeline from PostgreSQL (the newest TIMELINE_SIZE posts of their feed);
    returns (floor, [(score, id)] newest first). One query, one round trip."""
    config = _config()
    connection = connection or _connection()
    rows = list(
        home_feed_posts(viewer)
        .order_by("-created_at", "-id")
        .values_list("created_at", "pk")[: config["size"]]
    )
    entries = [(score_of(created_at), pk) for created_at, pk in rows]
    floor = COMPLETE if len(entries) < config["size"] else entries[-1][0]
    key = timeline_key(viewer.pk)
    pipe = connection.pipeline(transaction=True)
    pipe.delete(key)
    pipe.zadd(key, {FLOOR: floor, **{member_of(pk): score for score, pk in entries}})
    pipe.expire(key, config["ttl"])
    pipe.execute()
    return floor, entries


def _add_to(user_ids, entries, connection=None):
    """Add (score, id) `entries` to the timelines of `user_ids` that exist, in pipelined
    batches of TIMELINE_FANOUT_BATCH; returns how many timelines took at least one."""
    config = _config()
    connection = connection or _connection()
    script = _script(connection)
    args = [config["size"]]
    for score, post_id in entries:
        args += [score, member_of(post_id)]
    took = 0
    user_ids = list(user_ids)
    for start in range(0, len(user_ids), config["batch"]):
        pipe = connection.pipeline(transaction=False)
        for user_id in user_ids[start : start + config["batch"]]:
            script(keys=[timeline_key(user_id)], args=args, client=pipe)
        took += sum(1 for added in pipe.execute() if added)
    return took


def _remove_from(user_ids, post_ids, connection=None):
    """Take `post_ids` out of the timelines of `user_ids`, in pipelined batches."""
    if not post_ids:
        return
    config = _config()
    connection = connection or _connection()
    members = [member_of(pk) for pk in post_ids]
    user_ids = list(user_ids)
    for start in range(0, len(user_ids), config["batch"]):
        pipe = connection.pipeline(transaction=False)
        for user_id in user_ids[start : start + config["batch"]]:
            pipe.zrem(timeline_key(user_id), *members)
        pipe.execute()


def _audience_ids(author_id, *, fan_out):
    """The author and, when `fan_out`, their accepted followers: ids, streamed from the
    database. Not filtered further: whoever has a timeline (the script checks) must get it,
    a suspended follower too, whose timeline would otherwise be stale once let back."""
    yield author_id
    if fan_out:
        yield from (
            Follow.objects.accepted()
            .filter(following_id=author_id)
            .values_list("follower_id", flat=True)
            .iterator(chunk_size=5000)
        )


def _is_big(follower_count):
    return follower_count > _config()["big"]


def _recent_entries(author_id):
    """(score, id) of the author's newest live posts, as many as a timeline holds."""
    rows = (
        Post.objects.live()
        .filter(author_id=author_id)
        .order_by("-created_at", "-id")
        .values_list("created_at", "pk")[: _config()["size"]]
    )
    return [(score_of(created_at), pk) for created_at, pk in rows]


def timeline_fanout(post_id):
    """Put live post `post_id` in its author's timeline and, unless the author is too big, in
    their active followers' (those whose timeline exists). Returns how many timelines took it."""
    row = (
        Post.objects.live()
        .filter(pk=post_id)
        .values_list("created_at", "author_id", "author__follower_count")
        .first()
    )
    if row is None:
        return 0
    created_at, author_id, follower_count = row
    audience = _audience_ids(author_id, fan_out=not _is_big(follower_count))
    return _add_to(audience, [(score_of(created_at), post_id)])


def timeline_post_sync(*, post_id, author_id):
    """After a post was published, restored, removed or deleted: fan it out when it is live,
    else take it out of its author's followers' timelines."""
    if Post.objects.live().filter(pk=post_id).exists():
        return timeline_fanout(post_id)
    _remove_from(_audience_ids(author_id, fan_out=True), [post_id])
    return 0


def timeline_follow_sync(*, follower_ids, author_id):
    """After `follower_ids` followed, unfollowed, blocked, muted or unmuted `author_id` (or
    were blocked by them): the author's recent posts go into the timelines of those whose feed
    now shows them, and out of the others'. Reads the graph as it stands (idempotent)."""
    follower_ids = [int(pk) for pk in follower_ids]
    shown = set(
        Follow.objects.accepted()
        .filter(follower_id__in=follower_ids, following_id=author_id)
        .exclude(follower_id__in=Mute.objects.filter(muted_id=author_id).values("muter_id"))
        .values_list("follower_id", flat=True)
    )
    entries = _recent_entries(author_id)
    connection = _connection()
    _add_to([pk for pk in follower_ids if pk in shown], entries, connection)
    gone = [pk for pk in follower_ids if pk not in shown]
    if gone:
        ids = list(
            Post.objects.filter(author_id=author_id)
            .order_by("-created_at", "-id")
            .values_list("pk", flat=True)[: _config()["size"]]
        )
        _remove_from(gone, ids, connection)
        _author_back_below_threshold(author_id, connection)


def _author_back_below_threshold(author_id, connection):
    """An author who was too big to fan out and is now not (an unfollow brought them to the
    threshold) has posts no timeline holds: their recent posts go out to their followers now,
    since reads no longer merge them in."""
    count = User.objects.filter(pk=author_id).values_list("follower_count", flat=True).first()
    if count == _config()["big"]:
        _add_to(_audience_ids(author_id, fan_out=True), _recent_entries(author_id), connection)


def timeline_author_sync(*, author_id):
    """After `author_id` was suspended, deactivated or let back: their recent posts leave every
    follower's timeline, or come back (a backfill, unless the author is too big)."""
    entries = _recent_entries(author_id)
    if entries:
        count = Post.objects.filter(pk=entries[0][1]).values_list("author__follower_count")
        big = _is_big(count.get()[0])
        return _add_to(_audience_ids(author_id, fan_out=not big), entries)
    ids = list(
        Post.objects.filter(author_id=author_id)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[: _config()["size"]]
    )
    _remove_from(_audience_ids(author_id, fan_out=True), ids)
    return 0
