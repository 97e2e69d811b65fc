"""The scope each API view needs, checked for OAuth tokens only.

A view declares `oauth_scopes`: one scope for every method ("read:statuses"), or a dict per
method ({"GET": "read:statuses", "POST": "write:statuses"}; HEAD and OPTIONS count as GET).
OAuthScopes, first in DEFAULT_PERMISSION_CLASSES (and in every view's own permission_classes),
then lets an OAuth token through only when one of its scopes grants that scope (a parent grants
its children: accounts.oauth.scopes). A view that declares nothing is closed to OAuth tokens.

Shutter's own tokens and browser sessions are not OAuth tokens: they keep full access.

An app-only token (client credentials, no person behind it) may only read, and only views that
say `oauth_app_token_allowed = True` (app-level things like the instance or the app itself).
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.oauth.authentication import is_oauth_token
from accounts.oauth.scopes import scope_granted

# Declared by views any OAuth token may call, whatever its scopes (the app's own details).
ANY_SCOPE = "any"
NOT_OPEN_MESSAGE = "This endpoint is not open to OAuth app tokens."
APP_TOKEN_MESSAGE = (
    "This needs a token that a person authorised; an app-only (client credentials) token "
    "can't use it."
)


def view_scope(view, method):
    """The scope `view` needs for `method`, or None when it declares none."""
    scopes = getattr(view, "oauth_scopes", None)
    if scopes is None or isinstance(scopes, str):
        return scopes
    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    return scopes.get(method)


class OAuthScopes(BasePermission):
    def has_permission(self, request, view):
        token = request.auth
        if not is_oauth_token(token):
            return True
        needed = view_scope(view, request.method)
        if needed is None:
            self.message = NOT_OPEN_MESSAGE
            return False
        if token.user_id is None and not (
            request.method in SAFE_METHODS and getattr(view, "oauth_app_token_allowed", False)
        ):
            self.message = APP_TOKEN_MESSAGE
            return False
        granted = token.scope.split()
        if needed != ANY_SCOPE and not scope_granted(granted, needed):
            self.message = (
                f"This app's token doesn't allow that: it needs the scope {needed!r} "
                f"(it was given: {' '.join(granted) or 'none'})."
            )
            return False
        return True
