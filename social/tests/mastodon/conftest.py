"""Fixtures of the Mastodon client API's tests: `me`, and API clients as me and as nobody."""

import pytest

from accounts.tests.factories import UserFactory
from social.tests.mastodon.helpers import client_for


@pytest.fixture
def me():
    return UserFactory(username="me")


@pytest.fixture
def api(me):
    return client_for(me)


@pytest.fixture
def anon():
    return client_for()
