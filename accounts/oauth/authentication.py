"""`Authorization: Bearer <token>`: an OAuth access token an app got from /oauth/token.

Listed after Shutter's own classes in DEFAULT_AUTHENTICATION_CLASSES. request.auth is then the
AccessToken, which accounts.oauth.permissions.OAuthScopes checks against the scope each view
declares. An app-only token (client credentials) has no person: request.user is anonymous.
"""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from oauth2_provider.contrib.rest_framework import OAuth2Authentication as DotOAuth2Authentication
from oauth2_provider.models import AccessToken
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from core.rest.authentication import SUSPENDED_MESSAGE

INVALID_TOKEN_MESSAGE = "The access token is invalid, expired or revoked."
# How often the "last used" time of a token is written (settings lists it per app).
LAST_USED_EVERY = timedelta(minutes=5)


def _bearer_sent(request):
    return get_authorization_header(request).split(b" ", 1)[0].lower() == b"bearer"


class OAuth2Authentication(DotOAuth2Authentication):
    """A valid, unexpired bearer token; refused for inactive and suspended accounts (checked on
    every request, so a suspension stops tokens already handed out, as for API tokens)."""

    www_authenticate_realm = "api"

    def authenticate(self, request):
        if not _bearer_sent(request):
            return None
        found = super().authenticate(request)
        if found is None:
            # A token was sent and is no good: say so, don't serve the request as anonymous.
            raise AuthenticationFailed(INVALID_TOKEN_MESSAGE)
        user, token = found
        if user is None:
            return AnonymousUser(), token
        if not user.is_active:
            raise AuthenticationFailed("User inactive or deleted.")
        if user.suspended_at is not None:
            raise AuthenticationFailed(SUSPENDED_MESSAGE)
        _last_used_mark(token)
        return user, token


def _last_used_mark(token):
    now = timezone.now()
    if token.updated is None or now - token.updated > LAST_USED_EVERY:
        AccessToken.objects.filter(pk=token.pk).update(updated=now)


def is_oauth_token(auth):
    """Whether request.auth is an OAuth access token (not Shutter's own token or a session)."""
    return isinstance(auth, AccessToken)
