import functools

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Each test writes uploads to its own throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids repeat across tests, cached rows must not.

    With Redis, each test process has a database of its own (config/settings/test.py).
    """
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): <write>` then runs what the write queued for after its commit, as a
    real commit would: tasks (notifications, image variants, emails) and cache invalidation.

    A test's writes never really commit (the test's transaction is rolled back), so without
    this, work that follows a commit does not happen at all.
    """
    return functools.partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def tight_rate(settings):
    """`tight_rate("comment", "2/minute")` sets one throttle scope's rate for this test.

    No request history counts from before: every test starts with an empty cache.
    """

    def set_rate(scope, rate):
        rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], scope: rate}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    return set_rate
