"""Shutter's rules plugged into django-oauth-toolkit (DOT): settings name these classes.

- AppScopes: an app may ask for the scopes it registered (and their children); `read` when it
  asks for none.
- Validator: a Mastodon app (registered for the code grant, confidential) may also use
  client_credentials and refresh_token; no authorization code for an account with two-factor
  sign-in whose session has not passed it; the token response carries `created_at`; a token
  issued a moment ago is looked up on the primary when the replica doesn't have it yet.
- OAuthLibCore: /oauth/token and /oauth/revoke also read JSON bodies (Mastodon accepts both).
"""

import hashlib
import json
import time

from oauth2_provider.models import AbstractApplication, AccessToken
from oauth2_provider.oauth2_backends import OAuthLibCore as DotOAuthLibCore
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import BaseScopes
from oauthlib.oauth2.rfc6749 import errors

from accounts.oauth.scopes import DEFAULT_SCOPES, SCOPES, scopes_expand
from accounts.oauth.services import second_factor_blocks_authorization
from core.db_router import PRIMARY, is_pinned_to_primary

# What an app registered with POST /api/v1/apps may do, besides the code grant itself.
APP_GRANT_TYPES = {"authorization_code", "refresh_token", "client_credentials"}


def app_registered_scopes(application):
    """The scopes `application` registered; every scope for one made without registration
    (in the admin)."""
    registration = getattr(application, "registration", None) if application else None
    return registration.scopes.split() if registration else list(SCOPES)


class AppScopes(BaseScopes):
    def get_all_scopes(self):
        return SCOPES

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        return sorted(scopes_expand(app_registered_scopes(application)))

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        registered = app_registered_scopes(application)
        available = scopes_expand(registered)
        if set(DEFAULT_SCOPES) <= available:
            return list(DEFAULT_SCOPES)
        return registered


class Validator(OAuth2Validator):
    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        app = request.client
        if (
            grant_type in APP_GRANT_TYPES
            and app.authorization_grant_type == AbstractApplication.GRANT_AUTHORIZATION_CODE
            and app.client_type == AbstractApplication.CLIENT_CONFIDENTIAL
        ):
            return True
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        # The authorise page sends such a person to the second factor first; this holds even
        # for a request that reaches the grant some other way.
        if second_factor_blocks_authorization(user=request.user):
            raise errors.AccessDeniedError(
                description="Two-factor sign-in is required first.", request=request
            )
        super().save_authorization_code(client_id, code, request, *args, **kwargs)

    def save_bearer_token(self, token, request, *args, **kwargs):
        super().save_bearer_token(token, request, *args, **kwargs)
        # Mastodon clients read when the token was made (Mastodon's Token entity).
        token["created_at"] = int(time.time())
        token.setdefault("scope", " ".join(request.scopes or []))

    def _load_access_token(self, token):
        found = super()._load_access_token(token)
        if found is None and not is_pinned_to_primary():
            # A token issued a moment ago may not be on the replica yet (as for API tokens).
            checksum = hashlib.sha256(token.encode("utf-8")).hexdigest()
            tokens = AccessToken.objects.using(PRIMARY).select_related("application", "user")
            found = tokens.filter(token_checksum=checksum).first()
        return found


class OAuthLibCore(DotOAuthLibCore):
    def extract_body(self, request):
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body.decode("utf-8") or "{}")
            except (UnicodeDecodeError, ValueError):
                return []
            if not isinstance(data, dict):
                return []
            return [(key, str(value)) for key, value in data.items() if value is not None]
        return super().extract_body(request)
