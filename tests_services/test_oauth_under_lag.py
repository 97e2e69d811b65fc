"""OAuth 2 against the real primary and a standby that applies each commit 1 s late: an app
registers, a person authorises it, the app trades the code and calls the API at once, each
step from a different client a moment after the last. None of it may be answered from the
lagging standby (an unknown client, an invalid grant, an invalid token)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory
from accounts.tests.test_oauth_flow import CALLBACK, authorize_url, code_from, consent
from tests_services.conftest import replica_caught_up

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]


def test_register_authorise_trade_and_call_at_once_with_a_lagging_replica(replica):
    user = UserFactory()
    replica_caught_up()
    browser = Client()
    browser.force_login(user)

    app = APIClient().post(
        "/api/v1/apps", {"client_name": "Quick", "redirect_uris": CALLBACK, "scopes": "read"}
    )
    assert app.status_code == 200
    app = app.json()
    code = code_from(consent(browser, authorize_url(app, scope="read")))
    token = Client().post(
        "/oauth/token",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    assert token.status_code == 200, token.content
    bearer = APIClient(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")

    assert bearer.get("/api/v1/me/").json()["username"] == user.username
    assert bearer.get("/api/v1/apps/verify_credentials").json()["name"] == "Quick"
