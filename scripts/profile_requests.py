#!/usr/bin/env python
"""CPU per request of the hot reads, in-process (Django test client), production-like settings.

    .venv/bin/python scripts/profile_requests.py                 # seed 1,000 / 10,000, time
    .venv/bin/python scripts/profile_requests.py --db /tmp/p.sqlite3 --keep   # reuse a seed
    .venv/bin/python scripts/profile_requests.py --profile feed  # pyinstrument, text tree

DEBUG off, no toolbar (config.settings.base), LocMemCache, SQLite. Each figure is the median
of --runs runs of --calls requests (CPU time of this process: time.process_time()). "plain" is
a bare JsonResponse view behind the same middleware: the floor a request can't go under.
"""

import argparse
import io
import os
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
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="SQLite file to use (seeded if new)")
    parser.add_argument("--profile", help="profile one request name with pyinstrument")
    return parser.parse_args()


def setup_django(db):
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(Path(db).parent / "media"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.pop("REPLICA_DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    # Throttles still run, at a rate this many calls can't reach.
    os.environ["SHUTTER_THROTTLE_USER"] = "100000000/minute"
    os.environ["SHUTTER_THROTTLE_ANON"] = "100000000/minute"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed_if_new(args):
    from django.core.management import call_command

    from accounts.models import User

    call_command("migrate", verbosity=0)
    if not User.objects.exists():
        from django.test.utils import override_settings

        with override_settings(DEBUG=True):  # seed_demo refuses to run without it
            call_command(
                "seed_demo", users=args.users, posts=args.posts, seed=2026, stdout=io.StringIO()
            )


def plain_urlconf():
    """config.urls plus /_plain/: a JsonResponse view, nothing else."""
    import types

    from django.http import JsonResponse
    from django.urls import path

    from config import urls

    def plain(request):
        return JsonResponse({"ok": True})

    module = types.ModuleType("profile_urls")
    module.urlpatterns = [path("_plain/", plain), *urls.urlpatterns]
    sys.modules["profile_urls"] = module
    return "profile_urls"


def requests_to_time():
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from social.graph.models import Follow

    viewer = User.objects.order_by("-following_count", "pk").first()
    followee = (
        User.objects.filter(pk__in=Follow.objects.following_ids(viewer), is_private=False)
        .order_by("-post_count", "pk")
        .first()
    )
    token, _ = Token.objects.get_or_create(user=viewer)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    web = Client()
    web.force_login(viewer)
    print(
        f"viewer {viewer.username} follows {viewer.following_count}; "
        f"profile /u/{followee.username}/ ({followee.post_count} posts)"
    )
    return {
        "plain": lambda: api.get("/_plain/"),
        "me": lambda: api.get("/api/v1/me/"),
        "feed": lambda: api.get("/api/v1/feed/?page_size=20"),
        "home": lambda: web.get("/"),
        "profile": lambda: web.get(f"/u/{followee.username}/"),
    }


def cpu_per_call(call, calls):
    started = time.process_time()
    for _ in range(calls):
        response = call()
    assert response.status_code == 200, response.status_code
    return (time.process_time() - started) / calls * 1000


def main():
    args = parse_args()
    db = args.db or str(Path(tempfile.mkdtemp(prefix="shutter-profile-")) / "p.sqlite3")
    setup_django(db)
    seed_if_new(args)
    from django.test.utils import override_settings

    with override_settings(ROOT_URLCONF=plain_urlconf(), ALLOWED_HOSTS=["testserver"]):
        calls = requests_to_time()
        for call in calls.values():
            for _ in range(5):
                call()  # warm caches, the SQLite page cache, template loading
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            with profiler:
                for _ in range(args.calls):
                    calls[args.profile]()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
            return
        print(f"ms CPU per request, median of {args.runs} runs of {args.calls} calls:")
        for name, call in calls.items():
            runs = [cpu_per_call(call, args.calls) for _ in range(args.runs)]
            print(f"  {name:<8} {statistics.median(runs):7.2f}   ({min(runs):.2f}-{max(runs):.2f})")
    print(f"db: {db}")


if __name__ == "__main__":
    main()
