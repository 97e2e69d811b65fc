"""Test settings: fast hashing, throwaway media, a file-backed SQLite test database.

The SQLite test database is a file (not :memory:) so that threads in the concurrency tests
share it with real locking, exactly as the web process does.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from config.settings.base import *  # noqa: F403
from config.settings.base import CACHES, DATABASES, MEDIA_STORAGE, REDIS_URL, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_TMP = Path(tempfile.gettempdir()) / f"shutter-test-{os.getpid()}"
MEDIA_ROOT = _TMP / "media"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test.sqlite3")}
    _TMP.mkdir(parents=True, exist_ok=True)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    # Files on disk, unless SHUTTER_MEDIA_STORAGE=s3 asks for the bucket (tests_services/ sets
    # it for the worker process it starts, against a local S3 server).
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite sends many API requests from one address; throttle tests set tight rates themselves.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "10000/minute"
    ),
}

# Tasks run in-process right after the commit that queued them, with Redis or without: a test
# sees their effect once it lets on_commit callbacks run. The tests marked `services` that
# start a real worker switch this off for themselves (tests_services/).
CELERY_TASK_ALWAYS_EAGER = True
# Those workers listen on a queue of their own, so a development worker never takes their tasks.
CELERY_TASK_DEFAULT_QUEUE = "shutter-tests"
# With Redis, each test process caches in a Redis database of its own (1, 2, ... by pytest-xdist
# worker; the broker stays on the URL's own): parallel processes have their own SQL databases,
# where the same ids mean other rows, and a test that clears the cache clears only its own.
if REDIS_URL:
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    CACHES = {
        "default": {
            **CACHES["default"],
            "LOCATION": urlsplit(REDIS_URL)._replace(path=f"/{1 + _worker}").geturl(),
        }
    }
