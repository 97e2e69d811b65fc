"""Every write of OAuth: registering an app, and ending the tokens people gave apps.

Handing out grants and tokens is DOT's (accounts.oauth.provider plugs our rules into it); the
rule that no token comes before the second factor is accounts.two_factor's, shared with API
tokens.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import (
    AbstractApplication,
    AccessToken,
    Application,
    Grant,
    RefreshToken,
)

from accounts.oauth.models import AppRegistration
from accounts.oauth.scopes import scopes_parse, scopes_unknown
from accounts.two_factor.services import SecondFactorRequired, token_second_factor_check
from core.transactions import write_transaction

OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
NAME_MAX = Application._meta.get_field("name").max_length
WEBSITE_MAX = AppRegistration._meta.get_field("website").max_length
REDIRECT_URIS_MAX = 10
# Plain http redirects only reach an app on the person's own machine (RFC 8252).
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
# Schemes a redirect may never use: they would run code or read files in the browser.
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript", "file", "blob", "about"}


def second_factor_blocks_authorization(*, user):
    """Whether `user` (the signed-in request.user) must pass the second factor before granting
    an app access: two-factor sign-in is on and this session has not passed it."""
    verified = getattr(user, "is_verified", None)
    try:
        token_second_factor_check(user=user, verified=bool(verified and verified()))
    except SecondFactorRequired:
        return True
    return False


def _split(uri):
    """urlsplit(uri), or None for text that is no URI at all (a broken [IPv6] host)."""
    try:
        parts = urlsplit(uri)
        parts.hostname  # noqa: B018  (raises for a broken host too)
    except ValueError:
        return None
    return parts


def _redirect_uris_clean(redirect_uris):
    if isinstance(redirect_uris, str):
        uris = redirect_uris.split()
    else:
        uris = [part for item in redirect_uris or [] for part in str(item).split()]
    uris = list(dict.fromkeys(uris))
    if not uris:
        raise ValidationError({"redirect_uris": ["Give at least one redirect URI."]})
    if len(uris) > REDIRECT_URIS_MAX:
        raise ValidationError(
            {"redirect_uris": [f"Give at most {REDIRECT_URIS_MAX} redirect URIs."]}
        )
    for uri in uris:
        if uri == OOB_REDIRECT_URI:
            continue
        parts = _split(uri)
        scheme = parts.scheme.lower() if parts else ""
        if not scheme or scheme in FORBIDDEN_SCHEMES or "#" in uri:
            raise ValidationError(
                {"redirect_uris": [f"{uri!r} is not a redirect URI an app can use."]}
            )
        if scheme in ("http", "https") and not parts.netloc:
            raise ValidationError({"redirect_uris": [f"{uri!r} has no host."]})
        if scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
            raise ValidationError(
                {"redirect_uris": [f"{uri!r}: use https (plain http only to this machine)."]}
            )
    return uris


def _scopes_clean(scopes):
    names = scopes_parse(scopes) or ["read"]
    unknown = scopes_unknown(names)
    if unknown:
        raise ValidationError({"scopes": [f"Unknown scope: {', '.join(unknown)}."]})
    return names


def _website_clean(website):
    website = (website or "").strip()
    if not website:
        return ""
    parts = _split(website)
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or len(website) > WEBSITE_MAX
    ):
        raise ValidationError({"website": ["Give the app's website as an http(s) address."]})
    return website


def app_register(*, name, redirect_uris, scopes="read", website=""):
    """A new app (Mastodon's POST /api/v1/apps): returns (application, client secret).

    The secret is stored hashed and shown once, here. Every field is checked before anything
    is stored: a ValidationError names the fields that are wrong.
    """
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["client_name"] = ["Give the app a name."]
    elif len(name) > NAME_MAX:
        errors["client_name"] = [f"Keep the name to {NAME_MAX} characters."]
    cleaned = {}
    for field, clean, value in (
        ("redirect_uris", _redirect_uris_clean, redirect_uris),
        ("scopes", _scopes_clean, scopes),
        ("website", _website_clean, website),
    ):
        try:
            cleaned[field] = clean(value)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    secret = generate_client_secret()
    with write_transaction():
        application = Application.objects.create(
            name=name,
            redirect_uris=" ".join(cleaned["redirect_uris"]),
            client_type=AbstractApplication.CLIENT_CONFIDENTIAL,
            authorization_grant_type=AbstractApplication.GRANT_AUTHORIZATION_CODE,
            client_secret=secret,
        )
        AppRegistration.objects.create(
            application=application,
            website=cleaned["website"],
            scopes=" ".join(cleaned["scopes"]),
        )
    return application, secret


def user_app_revoke(*, user, application_id):
    """End every token and grant `user` gave the app; True if there was anything to end."""
    with write_transaction():
        refresh = RefreshToken.objects.filter(user=user, application_id=application_id)
        access = AccessToken.objects.filter(user=user, application_id=application_id)
        grants = Grant.objects.filter(user=user, application_id=application_id)
        counts = [refresh.delete()[0], access.delete()[0], grants.delete()[0]]
    return any(counts)


def user_oauth_tokens_end(*, user):
    """End every OAuth token and grant of `user` (password change, reset, sign out everywhere)."""
    with write_transaction():
        RefreshToken.objects.filter(user=user).delete()
        AccessToken.objects.filter(user=user).delete()
        Grant.objects.filter(user=user).delete()
