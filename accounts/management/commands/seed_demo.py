"""manage.py seed_demo: fill an empty database with a believable network to click through."""

import random
import time

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.management.demo.network import LOGINS, MIN_USERS, PASSWORD, NetworkBuilder
from accounts.models import User

SUMMARY_ORDER = [
    "users", "follows", "posts", "images", "likes", "comments", "saved", "hashtags",
    "mentions", "notifications", "blocks", "mutes", "reports",
]  # fmt: skip


class Command(BaseCommand):
    help = (
        "Fill an empty database with a demo network: people with avatars, photo posts, "
        "follows, likes, comments, notifications, a private account and open reports."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=300, help="accounts (default 300)")
        parser.add_argument("--posts", type=int, default=3000, help="posts (default 3000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing, successfully, when the database already has accounts",
        )

    def handle(self, *args, users, posts, seed, if_empty, **options):
        if users < MIN_USERS or posts < 0:
            raise CommandError(f"Use at least --users {MIN_USERS} and a non-negative --posts.")
        if not settings.DEBUG:
            # The demo password is published in the README: never on a real deployment. With
            # --if-empty (what `make run` calls) that is a quiet skip, so serving still works.
            message = "seed_demo creates accounts with a public password; it runs with DEBUG on."
            if if_empty:
                self.stdout.write(f"{message} Not seeding.")
                return
            raise CommandError(message)
        existing = User.objects.count()
        if existing:
            if if_empty:
                self.stdout.write(f"The database already has {existing} accounts; not seeding.")
                return
            raise CommandError(
                f"The database already has {existing} accounts; seed_demo fills an empty one. "
                "Point DATABASE_URL at a new file, or run `make clean` first."
            )
        validate_password(PASSWORD)
        started = time.perf_counter()
        with transaction.atomic():
            counts = NetworkBuilder(rng=random.Random(seed), users=users, posts=posts).build()
        elapsed = time.perf_counter() - started
        self.report(counts, elapsed)

    def report(self, counts, elapsed):
        summary = ", ".join(f"{counts[name]:,} {name}" for name in SUMMARY_ORDER if name in counts)
        self.stdout.write(self.style.SUCCESS(f"Seeded {summary} in {elapsed:.1f} s."))
        self.stdout.write(f"Demo logins (password {PASSWORD}):")
        width = max(len(login.username) for login in LOGINS)
        for login in LOGINS:
            self.stdout.write(f"  {login.username:<{width}} / {PASSWORD}   {login.note}")
