"""OAuth tokens for tests that don't go through the consent page (tests of the flow itself do,
in test_oauth_flow.py): an app registered like POST /api/v1/apps would, and a token made the
way /oauth/token makes one."""

import secrets
from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import AccessToken, RefreshToken, set_token_value
from rest_framework.test import APIClient

from accounts.oauth.services import app_register


def oauth_app(name="Test app", scopes="read write follow push"):
    application, _secret = app_register(
        name=name, redirect_uris="urn:ietf:wg:oauth:2.0:oob", scopes=scopes
    )
    return application


def oauth_token(user, scopes="read write follow push", app=None):
    """A valid access token (its raw string) that `user` gave `app` (None: app-only)."""
    app = app or oauth_app(scopes=scopes)
    raw = secrets.token_urlsafe(30)
    token = AccessToken(
        user=user,
        application=app,
        scope=scopes,
        expires=timezone.now() + timedelta(hours=1),
    )
    set_token_value(token, raw)
    token.save()
    if user is None:
        return raw  # client credentials: no refresh token
    refresh = RefreshToken(user=user, application=app, access_token=token)
    set_token_value(refresh, secrets.token_urlsafe(30))
    refresh.save()
    return raw


def oauth_client(user, scopes="read write follow push", app=None):
    """An APIClient sending `Authorization: Bearer` with a fresh token of `scopes`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {oauth_token(user, scopes, app)}")
    return client
