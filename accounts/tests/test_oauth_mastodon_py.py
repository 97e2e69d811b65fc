"""The OAuth 2 side of a real Mastodon client library (Mastodon.py) against a live server:
register an app, authorise it (the consent page driven like a browser), log in with the code,
check the app, call Shutter's own API with the token, revoke it."""

import pytest
import requests
from django.test import Client
from mastodon import Mastodon

from accounts.tests.factories import UserFactory
from accounts.tests.test_oauth_flow import OOB, hidden_fields

pytestmark = pytest.mark.django_db(transaction=True)

SCOPES = ["read", "write", "follow", "push"]


def test_mastodon_py_registers_authorises_logs_in_and_revokes(live_server):
    base = live_server.url
    client_id, client_secret = Mastodon.create_app(
        "Shutter journey", api_base_url=base, redirect_uris=OOB, scopes=SCOPES
    )
    api = Mastodon(
        client_id=client_id,
        client_secret=client_secret,
        api_base_url=base,
        version_check_mode="none",
        mastodon_version="4.3.0",  # the instance endpoints are the Mastodon API's part
    )
    user = UserFactory()
    browser = Client()
    browser.force_login(user)

    url = api.auth_request_url(scopes=SCOPES, allow_http=True)
    path = url.removeprefix(base)
    page = browser.get(path)
    assert "Shutter journey" in page.text
    shown = browser.post(path, {**hidden_fields(page.text), "allow": "Authorize"})
    code = shown.text.split("data-oauth-code>")[1].split("<")[0]
    token = api.log_in(code=code, scopes=SCOPES, allow_http=True)

    assert api.app_verify_credentials()["name"] == "Shutter journey"
    me = requests.get(f"{base}/api/v1/me/", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == user.username

    api.revoke_access_token(allow_http=True)
    gone = requests.get(f"{base}/api/v1/me/", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 401
