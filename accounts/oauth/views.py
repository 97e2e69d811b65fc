"""OAuth 2 pages and endpoints: the authorise page, the token and revoke endpoints, the RFC 8414
metadata, and "Authorised apps" in settings.

The protocol is django-oauth-toolkit's (DOT); these views add Shutter's look, the second
factor before any grant, the out-of-band redirect (the code shown on a page) and Mastodon's
answers.
"""

from functools import wraps
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from oauth2_provider import views as dot
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.views.mixins import OAuthLibMixin

from accounts.oauth.scopes import SCOPES, scopes_describe
from accounts.oauth.selectors import user_authorised_apps
from accounts.oauth.services import (
    FORBIDDEN_SCHEMES,
    OOB_REDIRECT_URI,
    second_factor_blocks_authorization,
    user_app_revoke,
)
from core.db_router import pin_to_primary


def _primary_reads(view_func):
    """The protocol's steps follow each other within a second, from different clients (the
    browser grants, the app trades the code): read the primary, never a lagging replica."""

    def wrapped(request, *args, **kwargs):
        pin_to_primary()
        return view_func(request, *args, **kwargs)

    return wraps(view_func)(wrapped)


TWO_FACTOR_FIRST = "Enter your two-factor code before you authorise an app."


def _redirect_schemes(application):
    """The schemes `application` registered redirects with (tusky://, https...), never one
    that runs code in the browser."""
    if application is None:
        return ["https"]
    schemes = {urlsplit(uri).scheme.lower() for uri in application.redirect_uris.split()}
    return sorted(schemes - FORBIDDEN_SCHEMES - {"", "urn"}) or ["https"]


def _form_action_targets(application):
    """CSP sources for the app's redirect URIs: an https/http origin, or a scheme (tusky:)."""
    targets = []
    for uri in application.redirect_uris.split():
        parts = urlsplit(uri)
        scheme = parts.scheme.lower()
        if uri == OOB_REDIRECT_URI or scheme in FORBIDDEN_SCHEMES or not scheme:
            continue
        if scheme in ("http", "https"):
            targets.append(f"{scheme}://{parts.netloc}")
        else:
            targets.append(f"{scheme}:")
    return list(dict.fromkeys(targets))


@method_decorator(never_cache, name="dispatch")
@method_decorator(_primary_reads, name="dispatch")
class AuthorizeView(dot.AuthorizationView):
    """GET: which app wants what, in plain words, with Authorize and Deny; POST: the answer.

    Signed-in people only (log-in sends them back here), and only after their second factor
    when two-factor sign-in is on.
    """

    template_name = "oauth/authorize.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and second_factor_blocks_authorization(user=user):
            messages.info(request, TWO_FACTOR_FIRST)
            step = reverse("accounts:login-two-factor")
            return redirect(f"{step}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = context.get("application")
        registration = getattr(application, "registration", None) if application else None
        context["scope_items"] = scopes_describe(context.get("scopes") or [])
        context["website"] = registration.website if registration else ""
        context["oob"] = context.get("redirect_uri") == OOB_REDIRECT_URI
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        application = context.get("application")
        if application is not None:
            # Authorise answers with a redirect to the app, which browsers check against the
            # page's form-action: let this page's form go where the app said it comes back.
            targets = _form_action_targets(application)
            response._csp_config = {
                **settings.SECURE_CSP,
                "form-action": [*settings.SECURE_CSP["form-action"], *targets],
            }
        return response

    def error_response(self, error, application, **kwargs):
        redirect_to, response = OAuthLibMixin.error_response(self, error, **kwargs)
        if redirect_to and not response["url"].startswith(OOB_REDIRECT_URI):
            return self.redirect(response["url"], application)
        status = response["error"].status_code
        if redirect_to:  # out of band, e.g. denied: nowhere to send the answer
            status = 200
        return render(
            self.request,
            "oauth/authorize.html",
            {"error": response["error"], "application": application},
            status=status,
        )

    def redirect(self, redirect_to, application):
        if redirect_to.startswith(OOB_REDIRECT_URI):
            query = parse_qs(urlsplit(redirect_to).query)
            context = {"code": query.get("code", [""])[0], "application": application}
            return render(self.request, "oauth/code.html", context)
        return OAuth2ResponseRedirect(redirect_to, _redirect_schemes(application))


@method_decorator(_primary_reads, name="dispatch")
class TokenView(dot.TokenView):
    """POST /oauth/token: DOT's, whose answer (accounts.oauth.provider) carries `scope` and
    `created_at` as Mastodon's does."""


@method_decorator(_primary_reads, name="dispatch")
class RevokeTokenView(dot.RevokeTokenView):
    """POST /oauth/revoke: ends a token (and its refresh token) the app holds. Answers `{}`
    like Mastodon (clients parse the body as JSON), not RFC 7009's empty 200."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200 and not response.content:
            response.content = b"{}"
            response["Content-Type"] = "application/json"
        return response


@require_GET
def server_metadata(request):
    """RFC 8414 metadata, the fields Mastodon 4.3 serves."""
    origin = request.build_absolute_uri("/")

    def url(name):
        return request.build_absolute_uri(reverse(name))

    data = {
        "issuer": origin,
        "service_documentation": request.build_absolute_uri(reverse("api-docs")),
        "authorization_endpoint": url("oauth:authorize"),
        "token_endpoint": url("oauth:token"),
        "revocation_endpoint": url("oauth:revoke"),
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "code_challenge_methods_supported": ["S256", "plain"],
        "grant_types_supported": ["authorization_code", "client_credentials", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "app_registration_endpoint": url("api:apps"),
    }
    response = JsonResponse(data)
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Settings: authorised apps ------------------------------------------------------------------


@login_required
@require_GET
def authorised_apps(request):
    apps = user_authorised_apps(user=request.user)
    return render(request, "accounts/authorised_apps.html", {"apps": apps})


@login_required
@require_POST
def authorised_app_revoke(request, app_id):
    if not user_app_revoke(user=request.user, application_id=app_id):
        raise Http404("You have not authorised this app.")
    messages.success(request, "The app's access is revoked: it must be authorised again.")
    return redirect("oauth:authorised-apps")
