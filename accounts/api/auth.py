"""Register, log in for a token and out, my own account.

Serializers here only shape the request; the rules (username format, password strength,
bio length...) live in accounts.services and come back as field errors.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts.models import User
from accounts.oauth.permissions import OAuthScopes
from accounts.services import api_token_obtain, user_signup
from accounts.two_factor.services import WRONG_CODE, SecondFactorLocked, SecondFactorRequired
from core.rest.authentication import api_login, api_token_revoke
from core.rest.schema import ShutterAutoSchema
from social.graph.services import account_settings_update


class AccountSerializer(serializers.ModelSerializer):
    """The caller's own account, as GET /me/ and sign-up return it."""

    # Plain strings: the model's help text and formats describe the form, and an account may
    # have no email or website ("" is no valid email or URI).
    username = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    website = serializers.CharField(read_only=True)
    avatar_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "email",
            "display_name",
            "bio",
            "website",
            "is_private",
            "avatar_url",
            "post_count",
            "follower_count",
            "following_count",
        )
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_avatar_url(self, user):
        if not user.avatar:
            return None
        return self.context["request"].build_absolute_uri(user.avatar.url)


class AccountUpdateSerializer(serializers.Serializer):
    """What a client may change on its account; any other field sent is ignored."""

    display_name = serializers.CharField(required=False, allow_blank=True)
    bio = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(
        required=False, allow_blank=True, help_text='A web address; "example.com" will do.'
    )
    is_private = serializers.BooleanField(
        required=False, help_text="Going public accepts every pending follow request."
    )
    avatar = serializers.FileField(
        required=False, help_text="An image (multipart); it is square-cropped and resized."
    )


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="3 to 30 letters, numbers, periods, underscores.")
    email = serializers.CharField()
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(required=False, allow_blank=True, default="")


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="Your username or your email address.")
    password = serializers.CharField(write_only=True, trim_whitespace=False)


class TokenLoginSerializer(LoginSerializer):
    otp_code = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=(
            "Only for accounts with two-factor sign-in: the current 6-digit code from the "
            "authenticator app, or one of the recovery codes (each works once)."
        ),
    )


class SecondFactorRequiredSerializer(serializers.Serializer):
    detail = serializers.CharField()
    otp_required = serializers.BooleanField(
        help_text="True: the password was right; send it again with `otp_code`."
    )


OTP_MISSING = "This account uses two-factor sign-in: send otp_code with the password."


class TokenLoginSchema(ShutterAutoSchema):
    """Log-in's 400 may also ask for the second factor (SecondFactorRequired)."""

    def _error_responses(self, operation):
        responses = super()._error_responses(operation)
        if self.method == "POST":
            asks = self.resolve_serializer(SecondFactorRequiredSerializer, "response").ref
            bad = responses["400"]
            bad["description"] += (
                " For an account with two-factor sign-in, a request without `otp_code` or with "
                "a wrong one gets `otp_required: true`, and no token."
            )
            for content in bad["content"].values():
                content["schema"] = {"anyOf": [*content["schema"]["anyOf"], asks]}
        return responses


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        source="key", read_only=True, help_text="Send it as `Authorization: Token <token>`."
    )


class RegisterView(GenericAPIView):
    serializer_class = RegisterSerializer
    permission_classes = [OAuthScopes, AllowAny]
    throttle_scope = "register"

    @extend_schema(summary="Create an account", responses={201: AccountSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_signup(**serializer.validated_data)
        data = AccountSerializer(user, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)


class TokenView(GenericAPIView):
    serializer_class = TokenLoginSerializer
    throttle_scope = "login"
    schema = TokenLoginSchema()

    def get_permissions(self):
        if self.request.method == "POST":
            return [OAuthScopes(), AllowAny()]
        # Closed to OAuth tokens (no oauth_scopes): an app may not end the account's own token.
        return [OAuthScopes(), IsAuthenticated()]

    @extend_schema(
        summary="Log in for an API token",
        description=(
            "The same token comes back on every login until it is revoked. An account with "
            "two-factor sign-in also needs `otp_code`; without it, or with a wrong one, the "
            'answer is 400 `{"detail": ..., "otp_required": true}` and no token. Repeated '
            "wrong codes answer 429 for a growing while."
        ),
        responses={200: TokenSerializer},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = serializer.validated_data
        user = api_login(
            request=request, login=credentials["username"], password=credentials["password"]
        )
        try:
            token = api_token_obtain(user=user, otp_code=credentials.get("otp_code"))
        except SecondFactorLocked as locked:
            raise Throttled(wait=locked.retry_after, detail=locked.messages[0]) from None
        except SecondFactorRequired as refused:
            # Answered here, not raised: the error handler would flatten the flag into a
            # field list.
            body = {"detail": OTP_MISSING if refused.missing else WRONG_CODE, "otp_required": True}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(TokenSerializer(token).data)

    @extend_schema(summary="Revoke my API token", responses={204: None})
    def delete(self, request):
        api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(GenericAPIView):
    serializer_class = AccountSerializer
    oauth_scopes = {"GET": "profile", "PATCH": "write:accounts"}

    @extend_schema(summary="My account")
    def get(self, request):
        return Response(self.get_serializer(request.user).data)

    @extend_schema(
        summary="Change my profile, privacy or avatar",
        description="Send only the fields to change; an avatar needs multipart/form-data.",
        request=AccountUpdateSerializer,
    )
    def patch(self, request):
        serializer = AccountUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        account_settings_update(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(request.user).data)


urlpatterns = [
    path("auth/register/", RegisterView.as_view(), name="auth-register"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
]
