"""Whether an app must use PKCE, per app (DOT's PKCE_REQUIRED setting names this function).

Public apps (no secret) must: the code is all they have. Apps registered through Mastodon's
POST /api/v1/apps are confidential, as on Mastodon, where PKCE is optional; the code is then
checked against the challenge whenever the app sent one. Imports lazily: settings import it.
"""


def pkce_required(client_id):
    from oauth2_provider.models import AbstractApplication, Application

    client_type = Application.objects.filter(client_id=client_id).values_list(
        "client_type", flat=True
    )
    return client_type.first() != AbstractApplication.CLIENT_CONFIDENTIAL
