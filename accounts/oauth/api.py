"""Mastodon's app registration: POST /api/v1/apps and GET /api/v1/apps/verify_credentials
(no trailing slash, as Mastodon's routes; listed in config/api.py before the JSON 404)."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.fields import empty
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.utils import html

from accounts.oauth.authentication import is_oauth_token
from accounts.oauth.permissions import ANY_SCOPE, OAuthScopes
from accounts.oauth.services import app_register


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "One or more URIs, one per line or space."},
            {"type": "array", "items": {"type": "string"}},
        ]
    }
)
class StringOrListField(serializers.Field):
    """A string, or a list of strings (JSON array, or the field repeated in a form, with or
    without `[]`)."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary):
            values = dictionary.getlist(self.field_name) + dictionary.getlist(
                f"{self.field_name}[]"
            )
            if not values:
                return empty
            return values if len(values) > 1 else values[0]
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data):
        if isinstance(data, str):
            return data
        if isinstance(data, list) and all(isinstance(item, str) for item in data):
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value

    default_error_messages = {"invalid": "Send a string or a list of strings."}


class AppCreateSerializer(serializers.Serializer):
    client_name = serializers.CharField(help_text="The app's name, shown on the consent page.")
    redirect_uris = StringOrListField(
        help_text=(
            "Where the authorisation sends the code: one or more URIs (newline- or "
            "space-separated, or a list); `urn:ietf:wg:oauth:2.0:oob` shows the code on a page."
        )
    )
    scopes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="read",
        help_text="Space-separated scopes the app may ask for; `read` when left out.",
    )
    website = serializers.CharField(required=False, allow_blank=True, allow_null=True, default="")


class AppSerializer(serializers.Serializer):
    """Mastodon's Application entity."""

    id = serializers.SerializerMethodField()
    name = serializers.CharField()
    website = serializers.SerializerMethodField()
    scopes = serializers.SerializerMethodField()
    redirect_uri = serializers.SerializerMethodField(
        help_text="Deprecated in Mastodon: the redirect URIs, one per line."
    )
    redirect_uris = serializers.SerializerMethodField()
    vapid_key = serializers.SerializerMethodField(help_text="Empty: no Web Push key yet.")

    def get_id(self, app) -> str:
        return str(app.pk)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_website(self, app):
        registration = getattr(app, "registration", None)
        return (registration.website if registration else "") or None

    def get_scopes(self, app) -> list[str]:
        registration = getattr(app, "registration", None)
        return registration.scopes.split() if registration else []

    def get_redirect_uri(self, app) -> str:
        return "\n".join(app.redirect_uris.split())

    def get_redirect_uris(self, app) -> list[str]:
        return app.redirect_uris.split()

    def get_vapid_key(self, app) -> str:
        return ""


class CredentialAppSerializer(AppSerializer):
    """Mastodon's CredentialApplication: the app with its client id and secret."""

    client_id = serializers.CharField()
    client_secret = serializers.SerializerMethodField(
        help_text="Shown once, here: it is stored hashed."
    )
    client_secret_expires_at = serializers.SerializerMethodField(help_text="0: never expires.")

    def get_client_secret(self, app) -> str:
        return self.context["client_secret"]

    def get_client_secret_expires_at(self, app) -> int:
        return 0


class AppCreateView(GenericAPIView):
    serializer_class = AppCreateSerializer
    # Anyone may register an app, as on Mastodon; a bearer token is not needed.
    permission_classes = [OAuthScopes, AllowAny]
    oauth_scopes = ANY_SCOPE
    throttle_scope = "app_register"
    authentication_classes = []

    @extend_schema(
        summary="Register an OAuth app (Mastodon)",
        description=(
            "Form or JSON. Answers Mastodon's CredentialApplication: keep `client_id` and "
            "`client_secret`, then send people to /oauth/authorize."
        ),
        responses={200: CredentialAppSerializer},
        auth=[],
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        app, secret = app_register(
            name=data["client_name"],
            redirect_uris=data["redirect_uris"],
            scopes=data.get("scopes") or "read",
            website=data.get("website") or "",
        )
        context = {**self.get_serializer_context(), "client_secret": secret}
        body = CredentialAppSerializer(app, context=context).data
        return Response(body, status=status.HTTP_200_OK)


class HasOAuthToken(BasePermission):
    message = "Send the app's OAuth token: Authorization: Bearer <access_token>."

    def has_permission(self, request, view):
        return is_oauth_token(request.auth)


class AppVerifyView(GenericAPIView):
    serializer_class = AppSerializer
    permission_classes = [OAuthScopes, HasOAuthToken]
    oauth_scopes = ANY_SCOPE
    oauth_app_token_allowed = True

    @extend_schema(
        summary="The app this OAuth token belongs to (Mastodon)",
        description="Any OAuth token works, an app-only one (client credentials) too.",
    )
    def get(self, request):
        return Response(self.get_serializer(request.auth.application).data)


urlpatterns = [
    path("apps", AppCreateView.as_view(), name="apps"),
    path("apps/verify_credentials", AppVerifyView.as_view(), name="apps-verify"),
]
