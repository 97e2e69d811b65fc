"""The OAuth 2 security scheme in the OpenAPI schema (drf-spectacular): the code flow with its
authorise and token URLs, client credentials, every scope in plain words, and for each
operation the one scope it needs (accounts.oauth.permissions). Imported by AccountsConfig."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from accounts.oauth.permissions import ANY_SCOPE, view_scope
from accounts.oauth.scopes import SCOPES


class OAuth2Scheme(OpenApiAuthenticationExtension):
    target_class = "accounts.oauth.authentication.OAuth2Authentication"
    name = "oauth2"
    priority = 1

    def get_security_requirement(self, auto_schema):
        scope = view_scope(auto_schema.view, auto_schema.method)
        if scope is None:
            return None  # closed to OAuth tokens
        return {self.name: [] if scope == ANY_SCOPE else [scope]}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": (
                "`Authorization: Bearer <access_token>` from an app registered with "
                "POST /api/v1/apps. Each operation names the scope it needs; `read`, `write` "
                "and `follow` grant their fine-grained children (`follow`: blocks, follows, "
                "mutes). An app-only token (client credentials) reads app-level things only."
            ),
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "/oauth/authorize",
                    "tokenUrl": "/oauth/token",
                    "refreshUrl": "/oauth/token",
                    "scopes": dict(SCOPES),
                },
                "clientCredentials": {
                    "tokenUrl": "/oauth/token",
                    "scopes": dict(SCOPES),
                },
            },
        }
