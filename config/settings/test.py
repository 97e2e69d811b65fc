"""Test settings: fast hashing, throwaway media, a file-backed SQLite test database.

The SQLite test database is a file (not :memory:) so that threads in the concurrency tests
share it with real locking, exactly as the web process does.
"""

import os
import tempfile
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, REST_FRAMEWORK

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_TMP = Path(tempfile.gettempdir()) / f"shutter-test-{os.getpid()}"
MEDIA_ROOT = _TMP / "media"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test.sqlite3")}
    _TMP.mkdir(parents=True, exist_ok=True)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The suite sends many API requests from one address; throttle tests set tight rates themselves.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": dict.fromkeys(
        REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "10000/minute"
    ),
}
