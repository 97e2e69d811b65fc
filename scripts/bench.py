#!/usr/bin/env python
"""Seed a large demo network into a throwaway SQLite database and time the hot reads.

    make bench                      # 1,000 users / 10,000 posts, 50 calls per read
    .venv/bin/python scripts/bench.py --users 300 --posts 3000 --calls 20 --keep

Prints the seed time, then the median (and slowest) time of each feed selector for the account
that follows the most people, with the SQL queries one call makes.
"""

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=10000)
    parser.add_argument("--calls", type=int, default=50, help="timed calls per read")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database and media")
    return parser.parse_args()


def setup_django(workdir):
    # Set before Django reads its settings: the bench never touches the developer's database.
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ.pop("REPLICA_DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(args):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started, cpu = time.perf_counter(), time.process_time()
    call_command(
        "seed_demo", users=args.users, posts=args.posts, seed=args.seed, stdout=io.StringIO()
    )
    return time.perf_counter() - started, time.process_time() - cpu


def load_reads():
    """The selectors to time, or None while they are not written yet."""
    try:
        from posts import selectors
    except ImportError:
        return None
    names = ("home_feed", "explore", "tag_posts", "profile_posts")
    if not all(hasattr(selectors, name) for name in names):
        return None
    return selectors


def subjects():
    """The viewer who follows the most accounts, their most followed followee, the top tag."""
    from django.db.models import Count

    from accounts.models import User
    from posts.models import Hashtag
    from social.graph.models import Follow

    viewer = User.objects.order_by("-following_count", "pk").first()
    followee = (
        User.objects.filter(pk__in=Follow.objects.following_ids(viewer))
        .order_by("-follower_count", "pk")
        .first()
    ) or viewer
    tag = Hashtag.objects.annotate(n=Count("post_links")).order_by("-n", "name").first()
    return viewer, followee, tag


def time_read(call, calls):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        items = len(call())  # also warms caches and the SQLite page cache
    timings = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings), len(queries), items


def bench_reads(selectors, calls):
    from django.test.utils import override_settings

    viewer, followee, tag = subjects()
    reads = {
        "home_feed": lambda: selectors.home_feed(viewer=viewer),
        "explore": lambda: selectors.explore(viewer=viewer),
        "tag_posts": lambda: selectors.tag_posts(viewer=viewer, name=tag.name),
        "profile_posts": lambda: selectors.profile_posts(viewer=viewer, user=followee),
    }
    print(
        f"\nReads as {viewer.username} (follows {viewer.following_count}); "
        f"profile of {followee.username}, tag #{tag.name}; median of {calls} calls:"
    )
    print(f"  {'read':<14} {'median ms':>10} {'max ms':>8} {'queries':>8} {'items':>6}")
    # DEBUG on (dev settings) logs and re-quotes every query: off while timing.
    with override_settings(DEBUG=False):
        for name, call in reads.items():
            median, worst, queries, items = time_read(call, calls)
            print(
                f"  {name:<14} {median * 1000:>10.1f} {worst * 1000:>8.1f} {queries:>8} {items:>6}"
            )


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="shutter-bench-"))
    try:
        setup_django(workdir)
        wall, cpu = seed(args)
        print(
            f"Seed: {args.users:,} users / {args.posts:,} posts in {wall:.1f} s ({cpu:.1f} s CPU)"
        )
        selectors = load_reads()
        if selectors is None:
            print("posts.selectors is not there yet: timed the seed only.")
        else:
            bench_reads(selectors, args.calls)
    finally:
        if args.keep:
            print(f"\nKept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
