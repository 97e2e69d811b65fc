"""The cache degrades speed, not availability; invalidation happens now and after commit."""

import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import PASSWORD, UserFactory
from core.cache import cache_forget
from posts.models import Like
from posts.tests.factories import PostFactory

# A Redis nobody listens on: every cache call fails to connect.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            "IGNORE_EXCEPTIONS": True,
        },
    }
}


@pytest.fixture
def redis_down(settings, caplog):
    settings.CACHES = UNREACHABLE_REDIS
    settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    caplog.set_level(logging.ERROR, logger="django_redis.cache")
    return caplog


@pytest.mark.django_db
def test_with_redis_unreachable_pages_sessions_and_writes_still_work(redis_down):
    me, them = UserFactory(), UserFactory(username="maya")
    post = PostFactory(author=them)
    client = APIClient()
    assert client.login(username=me.username, password=PASSWORD)  # cached_db: the DB row holds

    profile = client.get(reverse("api:user-detail", args=["maya"]))
    liked = client.post(reverse("api:post-like", args=[post.pk]))
    explore = client.get(reverse("api:explore"))

    assert (profile.status_code, liked.status_code, explore.status_code) == (200, 200, 200)
    assert profile.json()["username"] == "maya"
    assert Like.objects.filter(user=me, post=post).exists()
    assert "Exception ignored" in redis_down.text  # degraded, and logged


def test_the_settings_make_redis_failures_misses_when_redis_is_configured():
    if not settings.REDIS_URL:
        assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
        return
    options = settings.CACHES["default"]["OPTIONS"]
    assert options["IGNORE_EXCEPTIONS"] is True
    assert settings.DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS is True


def test_sessions_live_in_the_cache_with_the_database_behind_it():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


@pytest.mark.django_db(transaction=True)
def test_forgetting_deletes_now_and_again_after_commit():
    cache.set("k", "old")

    with transaction.atomic():
        cache_forget("k")
        assert cache.get("k") is None
        cache.set("k", "read from the rows before the commit")  # a concurrent reader refills

    assert cache.get("k") is None
