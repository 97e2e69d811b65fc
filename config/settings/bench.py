"""`make bench` only (scripts/bench.py): production settings plus one bench-only URL, a plain
Django JsonResponse view behind the same middleware, the floor R0 measures against. Never
used to serve the site: the production URLs don't have it."""

from config.settings.prod import *  # noqa: F403

ROOT_URLCONF = "config.bench_urls"
