"""The benchmark's network, written straight into PostgreSQL with COPY (scripts/bench.py).

Everything is generated in memory first, so the denormalised counters (posts, followers,
following, likes) are exact when the rows are written; then one transaction truncates the
tables, drops their secondary indexes and foreign-key checks for the load, COPYs the rows in,
and builds the indexes again (a sorted build is many times faster than a million inserts).

The shape, per scale (see SCALES):
- CELEBRITIES accounts with 20,000+ followers (above the fan-out threshold: merged at read time);
- one FANOUT author with exactly `fanout_followers` followers (R5 posts as this account);
- readers following 2,000 accounts and readers following 20 (R4), with API tokens;
- everyone else following a few dozen accounts, skewed toward the low ids (popular accounts);
- posts spread over a year, newest with the highest ids, one image each, reusing a small pool
  of real JPEG files under MEDIA_ROOT/posts/ (the names the upload path would give them);
- likes: unique (user, post) pairs skewed toward recent posts; post.like_count matches.
"""

import hashlib
import io
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED_VERSION = 1


@dataclass(frozen=True)
class Scale:
    name: str
    users: int
    posts: int
    likes: int
    celebrities: int
    celebrity_followers: int  # the first has this many, each next one 2,500 more
    fanout_followers: int
    big_readers: int
    big_follows: int
    small_readers: int
    small_follows: int
    ordinary_follows: int  # mean number of accounts an ordinary user follows
    token_pool: int  # ordinary users with API tokens, for the load generator
    image_pool: int = 12


# fmt: off
SCALES = {
    "full": Scale(
        "full", 100_000, 1_000_000, 5_000_000, 5, 20_000, 10_000, 20, 2_000, 20, 20, 20, 500
    ),
    "small": Scale("small", 5_000, 50_000, 250_000, 2, 2_000, 1_000, 10, 500, 10, 20, 20, 100),
    "tiny": Scale("tiny", 300, 2_000, 6_000, 1, 60, 50, 2, 40, 2, 5, 5, 5, image_pool=2),
}
# fmt: on

# The one password of every seeded account (the bench never logs in with it: tokens and
# force_login). Hashed once, with Django's default hasher, by the caller.
PASSWORD = "bench-password-not-secret"


@dataclass
class Network:
    """Who is who in the seeded network (ids), for the measurements."""

    celebrities: list
    fanout_author: int
    fanout_followers: list
    big_readers: list
    small_readers: list
    token_users: list

    def token(self, user_id):
        return token_key(user_id)


def token_key(user_id):
    return hashlib.sha1(f"shutter-bench-{user_id}".encode()).hexdigest()


def roles(scale):
    """The ids of the special accounts (fixed by the scale, so a cached seed is found again)."""
    celebrities = list(range(1, scale.celebrities + 1))
    fanout_author = scale.celebrities + 1
    first_big = fanout_author + 1
    big_readers = list(range(first_big, first_big + scale.big_readers))
    first_small = first_big + scale.big_readers
    small_readers = list(range(first_small, first_small + scale.small_readers))
    first_token = first_small + scale.small_readers
    token_users = list(range(first_token, min(first_token + scale.token_pool, scale.users + 1)))
    return celebrities, fanout_author, big_readers, small_readers, token_users


def network_of(scale, fanout_followers=()):
    celebrities, fanout_author, big, small, tokens = roles(scale)
    return Network(celebrities, fanout_author, list(fanout_followers), big, small, tokens)


# --- images -----------------------------------------------------------------------------------


def image_pool(media_root, count, rng):
    """`count` (original, display, thumbnail, width, height) names of real JPEG files, written
    under media_root/posts/ with the random-name layout of core.media.random_media_name."""
    from PIL import Image, ImageDraw

    pool = []
    for index in range(count):
        width, height = (1080, 1080) if index % 3 else (1080, 1350)
        colour = tuple(rng.randrange(40, 220) for _ in range(3))
        picture = Image.new("RGB", (width, height), colour)
        draw = ImageDraw.Draw(picture)
        for _ in range(12):
            x, y = rng.randrange(width), rng.randrange(height)
            radius = rng.randrange(40, 300)
            fill = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        names = []
        for size in (None, 1080, 320):
            token = f"{rng.getrandbits(128):032x}"
            name = f"posts/{token[:2]}/{token}.jpg"
            path = Path(media_root) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            copy = picture if size is None else picture.copy()
            if size is not None:
                copy.thumbnail((size, size * 2))
            copy.save(path, "JPEG", quality=80)
            names.append(name)
        pool.append((*names, width, height))
    return pool


# --- generation -------------------------------------------------------------------------------


class _Pairs:
    """Unique (a, b) pairs as one int each, in insertion order."""

    def __init__(self, width):
        self.width = width
        self.seen = set()
        self.rows = []

    def add(self, a, b):
        key = a * self.width + b
        if a == b or key in self.seen:
            return False
        self.seen.add(key)
        self.rows.append((a, b))
        return True


def _generate(scale, rng):
    users = scale.users
    celebrities, fanout_author, big, small, _tokens = roles(scale)
    special = set(celebrities) | {fanout_author} | set(big) | set(small)
    random = rng.random

    def skewed_user():
        # Lower ids are more popular: about a quarter of follows land on the first 6 %.
        return 1 + int(users * random() ** 2.0)

    def any_user():
        return 1 + int(users * random())

    follows = _Pairs(users + 1)
    for index, celebrity in enumerate(celebrities):
        want = min(scale.celebrity_followers + 2_500 * index, users - 1)
        got = 0
        while got < want:
            got += follows.add(any_user(), celebrity)
    # The fan-out author has exactly `fanout_followers` followers, the readers among them;
    # nobody else follows them (below).
    want = min(scale.fanout_followers, users - 1)
    fanout_followers = [reader for reader in big + small if follows.add(reader, fanout_author)]
    while len(fanout_followers) < want:
        follower = any_user()
        if follows.add(follower, fanout_author):
            fanout_followers.append(follower)
    for count, readers in ((scale.big_follows, big), (scale.small_follows, small)):
        for reader in readers:
            # Readers follow the celebrities too (merged in at read time).
            got = 1 + sum(follows.add(reader, c) for c in celebrities)
            while got < min(count, users - 1):
                followee = any_user()
                got += followee != fanout_author and follows.add(reader, followee)
    expovariate, rate = rng.expovariate, 1 / scale.ordinary_follows
    add = follows.add
    for user in range(1, users + 1):
        if user in special:
            continue
        for _ in range(int(expovariate(rate))):
            followee = skewed_user()
            if followee != fanout_author:
                add(user, followee)

    # Posts: the celebrities and the fan-out author post a lot, everyone else by the skew.
    heavy = [*celebrities, fanout_author]
    authors = [
        heavy[int(random() * len(heavy))] if random() < 0.01 else skewed_user()
        for _ in range(scale.posts)
    ]

    likes = _Pairs(scale.posts + 1)
    add, posts = likes.add, scale.posts
    while len(likes.rows) < scale.likes:
        # Recent posts (high ids) get most likes.
        add(1 + int(users * random()), posts - int(posts * random() ** 3.0))
    return follows.rows, authors, likes.rows, fanout_followers


# --- writing ----------------------------------------------------------------------------------


TABLES = {
    "users": "accounts_user",
    "follows": "social_follow",
    "posts": "posts_post",
    "images": "posts_postimage",
    "likes": "posts_like",
    "tokens": "authtoken_token",
}
CHUNK = 200_000


def _copy(cursor, table, columns, lines):
    """COPY an iterable of text-format lines (tab-separated, \\N for NULL, ending in a newline)
    into `table`, in chunks."""
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)"
    written = 0
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == CHUNK:
            cursor.copy_expert(sql, io.StringIO("".join(chunk)))
            written += len(chunk)
            chunk = []
    if chunk:
        cursor.copy_expert(sql, io.StringIO("".join(chunk)))
        written += len(chunk)
    return written


def _secondary_indexes(cursor, table):
    """(drop statements, create statements) for `table`'s indexes and unique constraints,
    the primary key aside."""
    cursor.execute(
        """SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
           WHERE conrelid = %s::regclass AND contype = 'u'""",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid
           WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)""",
        [table],
    )
    indexes = cursor.fetchall()
    drops = [f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' for name, _ in constraints]
    drops += [f'DROP INDEX "{name}"' for name, _ in indexes]
    creates = [f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {d}' for name, d in constraints]
    creates += [definition for _, definition in indexes]
    return drops, creates


def seed(connection, scale, *, media_root, password_hash, rng_seed=2026, say=print):
    """Replace the seeded tables' content with a network of `scale`; returns a Network and a
    dict of row counts. Runs in the caller's transaction on a psycopg2 `connection`; the
    caller commits."""
    rng = random.Random(rng_seed)
    say(f"seed: generating {scale.name} network in memory")
    follows, authors, likes, fanout_followers = _generate(scale, rng)
    pool = image_pool(media_root, scale.image_pool, random.Random(rng_seed + 1))

    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=365)
    step = (now - timedelta(hours=1) - start) / max(scale.posts, 1)
    post_times = [start + step * i for i in range(scale.posts)]

    post_count = [0] * (scale.users + 1)
    for author in authors:
        post_count[author] += 1
    follower_count = [0] * (scale.users + 1)
    following_count = [0] * (scale.users + 1)
    for follower, following in follows:
        following_count[follower] += 1
        follower_count[following] += 1
    like_count = [0] * (scale.posts + 1)
    for _user, post in likes:
        like_count[post] += 1
    network = network_of(scale, fanout_followers)

    cursor = connection.cursor()
    # Foreign-key checks are triggers: off for this transaction's load (the ids are consistent
    # by construction), back on at commit for everything else.
    cursor.execute("SET LOCAL session_replication_role = replica")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute("SET LOCAL synchronous_commit = off")
    tables = list(TABLES.values())
    cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    recreate = []
    for table in tables:
        drops, creates = _secondary_indexes(cursor, table)
        for statement in drops:
            cursor.execute(statement)
        recreate += creates

    iso = now.isoformat()
    joined = start.isoformat()
    special = dict.fromkeys(network.celebrities, "celebrity")
    special[network.fanout_author] = "fanout"
    special.update(dict.fromkeys(network.big_readers, "reader2000"))
    special.update(dict.fromkeys(network.small_readers, "reader20"))
    counts = {}
    say(f"seed: COPY {scale.users:,} users")
    user_columns = [
        *("id", "password", "last_login", "is_superuser", "username", "first_name"),
        *("last_name", "email", "is_staff", "is_active", "date_joined", "display_name", "bio"),
        *("website", "avatar", "is_private", "suspended_at", "session_generation"),
        *("post_count", "follower_count", "following_count"),
    ]
    seen = [(now - timedelta(seconds=rng.randrange(2 * 86400))).isoformat() for _ in range(64)]
    counts["users"] = _copy(
        cursor,
        "accounts_user",
        user_columns,
        (
            f"{uid}\t{password_hash}\t{seen[uid % 64]}\tf\tu{uid}\t\t\tu{uid}@bench.invalid\t"
            f"f\tt\t{joined}\t{special.get(uid, 'Bench user')} {uid}\t\t\t\tf\t\\N\t0\t"
            f"{post_count[uid]}\t{follower_count[uid]}\t{following_count[uid]}\n"
            for uid in range(1, scale.users + 1)
        ),
    )
    say(f"seed: COPY {len(follows):,} follows")
    counts["follows"] = _copy(
        cursor,
        "social_follow",
        ["follower_id", "following_id", "status", "created_at", "accepted_at"],
        (f"{a}\t{b}\taccepted\t{joined}\t{joined}\n" for a, b in follows),
    )
    say(f"seed: COPY {scale.posts:,} posts and their images")
    post_iso = [None, *(moment.isoformat() for moment in post_times)]
    counts["posts"] = _copy(
        cursor,
        "posts_post",
        [
            "id",
            "author_id",
            "caption",
            "created_at",
            "removal_reason",
            "like_count",
            "comment_count",
        ],
        (
            f"{post}\t{author}\tPhoto {post} by u{author}\t{post_iso[post]}\t\t"
            f"{like_count[post]}\t0\n"
            for post, author in enumerate(authors, start=1)
        ),
    )
    pool_lines = [f"\t0\t{a}\t{b}\t{c}\t{w}\t{h}\t\n" for a, b, c, w, h in pool]
    counts["images"] = _copy(
        cursor,
        "posts_postimage",
        ["post_id", "position", "image", "display", "thumbnail", "width", "height", "alt_text"],
        (f"{post}{pool_lines[post % len(pool)]}" for post in range(1, scale.posts + 1)),
    )
    say(f"seed: COPY {len(likes):,} likes")
    counts["likes"] = _copy(
        cursor,
        "posts_like",
        ["user_id", "post_id", "created_at"],
        (f"{user}\t{post}\t{post_iso[post]}\n" for user, post in likes),
    )
    token_users = network.big_readers + network.small_readers + network.token_users
    token_users += [network.fanout_author]
    counts["tokens"] = _copy(
        cursor,
        "authtoken_token",
        ["key", "user_id", "created"],
        (f"{token_key(uid)}\t{uid}\t{iso}\n" for uid in token_users),
    )
    say(f"seed: building {len(recreate)} indexes")
    for statement in recreate:
        cursor.execute(statement)
    for table in tables:
        if table != "authtoken_token":
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
    return network, counts


def analyze(connection):
    """ANALYZE the seeded tables (outside the load's transaction), so plans see their size."""
    old = connection.autocommit
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            for table in TABLES.values():
                cursor.execute(f"ANALYZE {table}")
    finally:
        connection.autocommit = old
