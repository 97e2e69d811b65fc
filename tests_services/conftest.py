"""Fixtures for the tests that need the real services: PostgreSQL primary + streaming replica
(its apply delay at 1 s), Redis, and a Celery worker process. scripts/test-services starts the
services and runs these; they fail, not skip, without them.

The "replica" alias is the real standby. Django's TEST MIRROR setting only gives it the test
database's name, which streaming replication copies from the primary, so these tests read
through the standby for real; they commit (transaction=True) so that it has something to see.
"""

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from config.celery_app import app
from core import replica_health
from core.dispatch import broker_backoff_reset

ROOT = Path(settings.BASE_DIR)
SERVICES = ROOT / "scripts" / "services"
CELERY = ROOT / ".venv" / "bin" / "celery"
WAIT_SECONDS = 20


@pytest.fixture(scope="session", autouse=True)
def _real_services():
    engines = {alias: db["ENGINE"] for alias, db in settings.DATABASES.items()}
    if not (settings.REDIS_URL and set(engines) >= {"default", "replica"}) or any(
        not engine.endswith("postgresql") for engine in engines.values()
    ):
        pytest.fail(
            "These tests need PostgreSQL with a replica and Redis: run scripts/test-services "
            "(or `scripts/services up --replica-delay 1s` and export `scripts/services env`)."
        )


def services(command):
    """Run `scripts/services <command>` (stop-replica, start-redis, ...)."""
    subprocess.run([str(SERVICES), command], check=True, capture_output=True, text=True)


def wait_until(condition, what, seconds=WAIT_SECONDS):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds}s waiting for {what}")
        time.sleep(0.05)


def replica_caught_up():
    """Wait until the standby has replayed everything the primary has written so far."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        [lsn] = cursor.fetchone()

    def replayed():
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            return cursor.fetchone()[0]

    wait_until(replayed, "the replica to replay the primary's writes")


@pytest.fixture
def replica(settings):
    """Reads go through the router to the real standby; its health is checked every 0.1 s."""
    settings.SHUTTER_REPLICA = {**settings.SHUTTER_REPLICA, "CHECK_INTERVAL": 0.1}
    replica_health.reset()
    yield
    # Ordinary tests may not touch the replica alias: they read the primary after a new probe.
    replica_health.reset()


@pytest.fixture
def broker():
    """Tasks go through Redis to a worker, not run in this process (the test settings' way)."""
    app.conf.task_always_eager = False
    broker_backoff_reset()
    yield
    app.conf.task_always_eager = True
    broker_backoff_reset()


class Worker:
    """A `celery worker` process on this test run's database and queue."""

    def __init__(self, log_path):
        self.log_path = log_path
        self.process = None

    def start(self):
        database = connections["default"].settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            # The test database (test_...), not the one in DATABASE_URL.
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
                f"/{database['NAME']}"
            ),
            "REDIS_URL": settings.REDIS_URL,
        }
        env.pop("REPLICA_DATABASE_URL", None)  # tasks read the primary anyway
        env.pop("PYTEST_XDIST_WORKER", None)
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "-l",
                "info",
                "-n",
                f"services-tests-{os.getpid()}@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: " ready." in self.output() or self.process.poll() is not None, "worker")
        assert self.process.poll() is None, f"the worker exited:\n{self.output()}"

    def output(self):
        return Path(self.log_path).read_text(errors="replace")

    def stop(self):
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def worker(tmp_path, broker):
    """Start a real worker process (stopped at the end of the test); yields it."""
    process = Worker(tmp_path / "worker.log")
    try:
        process.start()
        yield process
    finally:
        process.stop()
