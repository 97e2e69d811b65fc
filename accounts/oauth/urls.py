"""OAuth 2 URLs, included at the root in the `oauth` namespace: Mastodon's paths (no trailing
slash) for the protocol, and the settings page. The app registration endpoints are API ones
(accounts.oauth.api, under /api/v1/)."""

from django.urls import path

from accounts.oauth import views

app_name = "oauth"
urlpatterns = [
    path("oauth/authorize", views.AuthorizeView.as_view(), name="authorize"),
    path("oauth/token", views.TokenView.as_view(), name="token"),
    path("oauth/revoke", views.RevokeTokenView.as_view(), name="revoke"),
    path(
        ".well-known/oauth-authorization-server",
        views.server_metadata,
        name="server-metadata",
    ),
    path("accounts/settings/apps/", views.authorised_apps, name="authorised-apps"),
    path(
        "accounts/settings/apps/<int:app_id>/revoke/",
        views.authorised_app_revoke,
        name="authorised-app-revoke",
    ),
]
