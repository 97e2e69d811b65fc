"""Settings shared by every environment. Everything comes from env vars with embedded defaults."""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from config.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Django's admin behind the site's own log-in and, where required, a second factor.
    "config.admin_app.ShutterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "posts",
    "social",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that can answer, so every page (errors included) carries the policy.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before sessions, auth and views: none of them sees a URL holding a NUL. (Not second, as
    # prod puts WhiteNoise right after SecurityMiddleware.)
    "core.middleware.NulCharacterMiddleware",
    "core.middleware.ReadYourWritesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed a second factor (one query, only
    # for sessions that did).
    "django_otp.middleware.OTPMiddleware",
    # Keeps "Signed in on" current, and ends a session whose record was ended elsewhere.
    "accounts.sessions.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]


# Content-Security-Policy on every response. Our pages load scripts, styles and images only
# from this site (no inline code: a test reads every template); previews show blob: and data:
# images. The admin's few inline blocks carry the request's nonce, which appears in the header
# only on a page that used it. The 500 page and the API docs have their own (config/csp.py).
def _origin(url):
    """scheme://host[:port] of a URL, or "" for an empty one."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.shutter",
                # {{ csp_nonce }}: the admin's templates put it on their few inline blocks.
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------------------
# SQLite is tuned for concurrent writers: WAL lets readers run beside a writer, the busy timeout
# makes a writer wait instead of failing with "database is locked", and IMMEDIATE transactions
# take the write lock at BEGIN so two transactions never deadlock upgrading a read lock.
SQLITE_OPTIONS = {
    "timeout": 30,
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
    ),
}


# Behind PgBouncer in transaction pooling (scripts/stack, docker-compose.yml), consecutive
# transactions of one Django connection may run on different PostgreSQL connections, so nothing
# may outlive a transaction on the server: no server-side cursors (.iterator() would open one
# WITH HOLD), no session SETs of our own. Keeping the connection to PgBouncer open between
# requests (CONN_MAX_AGE) is still right: it is cheap, and PgBouncer keeps the real ones.
DATABASE_TRANSACTION_POOLING = env_bool("DATABASE_TRANSACTION_POOLING", False)


def database(url):
    config = dj_database_url.parse(
        url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
        config["CONN_MAX_AGE"] = 0
    elif DATABASE_TRANSACTION_POOLING:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


DATABASES = {"default": database(env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
REPLICA_DATABASE_URL = env("REPLICA_DATABASE_URL", None)
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = database(REPLICA_DATABASE_URL)
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # Falls back to the primary when the standby can't be reached (core/db_backends).
        DATABASES["replica"]["ENGINE"] = "core.db_backends.replica_postgresql"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.db_router.PrimaryReplicaRouter"]
SHUTTER_REPLICA = {
    # How long a client that wrote keeps reading from the primary (covers replication lag).
    "READ_YOUR_WRITES_SECONDS": env_int("SHUTTER_READ_YOUR_WRITES_SECONDS", 5),
    # A replica further behind than this many seconds is skipped.
    "MAX_LAG": float(env("SHUTTER_REPLICA_MAX_LAG", "10")),
    "CHECK_INTERVAL": float(env("SHUTTER_REPLICA_CHECK_INTERVAL", "2")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, login limits -------------------------------------------------------------
REDIS_URL = env("REDIS_URL", None)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shutter",
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "CONNECTION_POOL_KWARGS": {"max_connections": env_int("REDIS_MAX_CONNECTIONS", 50)},
                # Short timeouts: a Redis that is gone must cost a page milliseconds, not seconds.
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                # Redis down degrades speed, not availability: a failed read is a miss, a failed
                # write is skipped, and each one is logged (below).
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are read from the cache and written through to the database, so a Redis outage or
# restart signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long cached reads live (seconds). Writes invalidate them at once; the TTL only bounds what
# an invalidation lost while Redis was unreachable. Explore is never invalidated: its ranking is
# allowed to be this old.
SHUTTER_CACHE_TTL = {
    "PROFILE": env_int("SHUTTER_CACHE_PROFILE_SECONDS", 300),
    "HASHTAG": env_int("SHUTTER_CACHE_HASHTAG_SECONDS", 3600),
    # Moderation, privacy switches and suspensions move it without forgetting it.
    "EXPLORE": env_int("SHUTTER_CACHE_EXPLORE_SECONDS", 60),
}
# Failed log-ins within WINDOW seconds before log-ins are refused until the window ends: FAILURES
# per account (username and email count together), ADDRESS_FAILURES per client address
# (core/limits.py).
SHUTTER_LOGIN_LIMIT = {
    "FAILURES": env_int("SHUTTER_LOGIN_FAILURES", 5),
    "ADDRESS_FAILURES": env_int("SHUTTER_LOGIN_ADDRESS_FAILURES", 20),
    "WINDOW": env_int("SHUTTER_LOGIN_WINDOW_SECONDS", 900),
}
# The addresses (or networks, "10.0.0.0/8") of our own proxies. Only a request coming from one of
# them has its X-Forwarded-For read, and only up to the first hop that isn't ours: every limit
# per client address then counts the real client, and a forged header changes nothing.
SHUTTER_TRUSTED_PROXIES = env_list("SHUTTER_TRUSTED_PROXIES")

# --- Celery ------------------------------------------------------------------------------------
# Without Redis, tasks run in-process right after the commit that queued them.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hold a request for long: its work waits in the outbox.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "visibility_timeout": 3600}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "outbox-redeliver": {"task": "social.tasks.outbox_redeliver", "schedule": 15.0},
    "notifications-prune": {
        "task": "social.tasks.notifications_prune",
        "schedule": crontab(hour=3, minute=30),
    },
    "user-counters-recount": {
        "task": "accounts.tasks.user_counters_recount_all",
        "schedule": crontab(hour=4, minute=0),
    },
    "post-counters-recount": {
        "task": "posts.tasks.post_counters_recount_all",
        "schedule": crontab(hour=4, minute=30),
    },
    "moderation-report-digest": {
        "task": "social.moderation.tasks.report_digest_mail",
        "schedule": crontab(minute=0),
    },
}
# The transactional outbox (core/outbox.py): work queued by a write is sent after commit and
# again by `outbox-redeliver` while its row remains, i.e. until a worker has done it.
SHUTTER_OUTBOX = {
    # A row younger than this is still on its first delivery; the redeliver job leaves it.
    "GRACE_SECONDS": env_int("SHUTTER_OUTBOX_GRACE_SECONDS", 10),
    # After this many deliveries a row stays for an operator to look at, and is not sent again.
    "MAX_ATTEMPTS": env_int("SHUTTER_OUTBOX_MAX_ATTEMPTS", 8),
}
SHUTTER_NOTIFICATIONS_KEEP_READ_DAYS = env_int("SHUTTER_NOTIFICATIONS_KEEP_READ_DAYS", 90)

# --- Auth -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.UsernameOrEmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Two-factor sign-in (accounts/two_factor/): authenticator apps show this name beside the code.
OTP_TOTP_ISSUER = "Shutter"
# Whether the admin asks staff for a verified second factor; on in production settings.
SHUTTER_REQUIRE_2FA_FOR_STAFF = False

# --- I18n, static and media --------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Every /media/ file goes through a view that checks who may see it (core/media.py). Behind
# nginx, set this to the `internal` location that serves MEDIA_ROOT (e.g. /_protected_media/):
# the view then answers with X-Accel-Redirect and nginx sends the bytes. Empty: Django sends them.
SHUTTER_MEDIA_ACCEL_PREFIX = env("SHUTTER_MEDIA_ACCEL_PREFIX", "")
# Where uploads are kept: "filesystem" (MEDIA_ROOT, one machine or a shared volume) or "s3"
# (an S3-compatible bucket through django-storages, for many web machines; core/storage.py).
SHUTTER_MEDIA_STORAGE = env("SHUTTER_MEDIA_STORAGE", "filesystem")
# How long a presigned link to a private file works; the view's redirect to it is kept by the
# browser for an hour (core/media.py), so this must be longer.
SHUTTER_S3_URL_SECONDS = env_int("SHUTTER_S3_URL_SECONDS", 7200)
# A CDN (or the bucket's own address) in front of public files; empty: presigned links for all.
SHUTTER_S3_PUBLIC_URL = env("SHUTTER_S3_PUBLIC_URL", "")
if SHUTTER_MEDIA_STORAGE == "filesystem":
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif SHUTTER_MEDIA_STORAGE == "s3":
    MEDIA_STORAGE = {
        "BACKEND": "core.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": env("SHUTTER_S3_BUCKET"),
            # Empty: AWS itself; otherwise MinIO, Ceph, R2, a local moto server...
            "endpoint_url": env("SHUTTER_S3_ENDPOINT_URL", None),
            "region_name": env("SHUTTER_S3_REGION", None),
            # Unset: boto3's own lookup (instance role, ~/.aws).
            "access_key": env("AWS_ACCESS_KEY_ID", None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", None),
            "signature_version": "s3v4",
            "addressing_style": env("SHUTTER_S3_ADDRESSING_STYLE", "path"),
            # No ACL on upload: objects are as private as the bucket.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": SHUTTER_S3_URL_SECONDS,
            # Names are random (core/media.py); never overwrite, never rename.
            "file_overwrite": False,
        },
    }
    # Pages link /media/<name>; the view redirects to the bucket or the CDN, and a browser checks
    # a redirected image against img-src too: both hosts must be allowed there.
    SECURE_CSP["img-src"] += [
        origin
        for origin in (
            _origin(env("SHUTTER_S3_ENDPOINT_URL", "")) or "https://*.amazonaws.com",
            _origin(SHUTTER_S3_PUBLIC_URL),
        )
        if origin
    ]
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SHUTTER_MEDIA_STORAGE is 'filesystem' or 's3'.")
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploads: a request body may carry ten 15 MB images plus the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Absolute links in e-mails (the moderators' digest) start with this.
SHUTTER_SITE_URL = env("SHUTTER_SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Shutter <no-reply@shutter.local>")


# --- REST API (/api/v1/) ------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first: a request without credentials then gets 401 with WWW-Authenticate, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.rest.authentication.ActiveTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # The browsable API is added in dev settings only.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "core.rest.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "core.rest.schema.ShutterAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "core.rest.throttling.AnonRateThrottle",
        "core.rest.throttling.UserRateThrottle",
        "core.rest.throttling.ScopedWriteRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("SHUTTER_THROTTLE_ANON", "30/minute"),
        "user": env("SHUTTER_THROTTLE_USER", "120/minute"),
        "login": env("SHUTTER_THROTTLE_LOGIN", "10/minute"),
        "register": env("SHUTTER_THROTTLE_REGISTER", "10/hour"),
        "post_create": env("SHUTTER_THROTTLE_POST_CREATE", "30/hour"),
        "comment": env("SHUTTER_THROTTLE_COMMENT", "120/hour"),
        "follow": env("SHUTTER_THROTTLE_FOLLOW", "60/hour"),
    },
    # Anonymous rates count per client address: core.limits.client_address, which believes
    # X-Forwarded-For only from SHUTTER_TRUSTED_PROXIES (the throttles don't read NUM_PROXIES).
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shutter API",
    "DESCRIPTION": (
        "Everything a person can do on Shutter, for apps and scripts.\n\n"
        "Authenticate with `Authorization: Token <key>` (POST /api/v1/auth/token/) or, in the "
        "browser, with the session cookie and its CSRF token. Lists are paged by cursor: follow "
        "`next` until it is null; `page_size` is capped at 100. Errors are "
        '`{"detail": "..."}` or `{"field": ["message"]}` with a 4xx status.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags and operation ids start after the version: "posts", not "v1".
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Swagger UI from our own static files: the docs page loads nothing from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No validatorUrl: Swagger UI would otherwise send the schema to swagger.io for a badge.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "persistAuthorization": True,
        "validatorUrl": None,
    },
}

# Who may read /healthz's details (which cache, broker, replica): staff, and callers sending
# this in an X-Health-Token header. Unset: staff only.
SHUTTER_HEALTH_TOKEN = env("SHUTTER_HEALTH_TOKEN", "")

# --- Shutter's own limits ----------------------------------------------------------------------
SHUTTER = {
    "MAX_IMAGES_PER_POST": 10,
    "MAX_IMAGE_BYTES": 15 * 1024 * 1024,
    "MAX_IMAGE_PIXELS": 40_000_000,
    # What one image may cost in decoded pixels, which is what a request's memory pays for
    # (about 4 bytes each). A larger JPEG is decoded at 1/2, 1/4 or 1/8 scale to fit; other
    # formats cannot be, so above this they are refused. 25 MP keeps 24 MP phone HEICs.
    "MAX_DECODED_PIXELS": 25_000_000,
    # Pillow's WebP decoder holds about 16 bytes per pixel (libwebp's canvas, a copy, the
    # image), four times the others: this keeps a WebP's request near the same memory.
    "MAX_WEBP_PIXELS": 12_000_000,
    # Decoded pixels per account per hour, posts and avatars together (README: Upload limits).
    "UPLOAD_PIXELS_PER_HOUR": env_int("SHUTTER_UPLOAD_MEGAPIXELS_PER_HOUR", 500) * 1_000_000,
    "DISPLAY_WIDTH": 1080,
    "THUMBNAIL_SIZE": 320,
    "EXPLORE_WINDOW_DAYS": env_int("SHUTTER_EXPLORE_WINDOW_DAYS", 30),
    "PAGE_SIZE": 20,
    "MAX_PAGE_SIZE": 100,
    # Home timelines in Redis (docs/architecture.md, "Home timelines"); only with REDIS_URL.
    # Post ids one timeline holds; older pages continue from the database.
    "TIMELINE_SIZE": env_int("SHUTTER_TIMELINE_SIZE", 800),
    # A timeline unread this long expires; fan-out skips followers without one (inactive), and
    # their next read rebuilds it from the database.
    "TIMELINE_ACTIVE_DAYS": env_int("SHUTTER_TIMELINE_ACTIVE_DAYS", 14),
    # Authors with more followers are not fanned out: reads merge their recent posts in.
    "TIMELINE_FANOUT_MAX_FOLLOWERS": env_int("SHUTTER_TIMELINE_FANOUT_MAX_FOLLOWERS", 10_000),
    # Timelines written per Redis pipeline during a fan-out.
    "TIMELINE_FANOUT_BATCH": env_int("SHUTTER_TIMELINE_FANOUT_BATCH", 1000),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
}

# Checks every uploaded image passes, by perceptual hash (posts.services.posts): the layers above
# posts add theirs here rather than being imported by it. Moderation refuses banned images.
SHUTTER_UPLOAD_CHECKS = ["social.moderation.banned_images.banned_matches"]
