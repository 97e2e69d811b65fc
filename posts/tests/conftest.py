import pytest

from accounts.tests.factories import UserFactory


@pytest.fixture
def me(client):
    """The account the posts pages are used as, logged in on `client`."""
    user = UserFactory(username="me")
    client.force_login(user)
    return user
