"""Reads of OAuth: the apps a person has authorised, for settings."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Min
from oauth2_provider.models import AccessToken, Application, RefreshToken

from accounts.oauth.scopes import scopes_describe


@dataclass(frozen=True)
class AuthorisedApp:
    id: int
    name: str
    website: str
    scopes: list  # (name, plain words)
    authorised_at: datetime
    last_used_at: datetime | None


def user_authorised_apps(*, user):
    """The apps holding a token or refresh token of `user`, most recently used first: what
    each may do (the scopes of its tokens), when it was first authorised and last used."""
    access = {
        row["application"]: row
        for row in AccessToken.objects.filter(user=user)
        .values("application")
        .annotate(first=Min("created"), last=Max("updated"))
    }
    refresh = {
        row["application"]: row["first"]
        for row in RefreshToken.objects.filter(user=user, revoked__isnull=True)
        .values("application")
        .annotate(first=Min("created"))
    }
    app_ids = set(access) | set(refresh)
    scopes = {}
    for app_id, scope in AccessToken.objects.filter(user=user).values_list("application", "scope"):
        scopes.setdefault(app_id, []).extend(scope.split())
    apps = Application.objects.filter(pk__in=app_ids).select_related("registration")
    found = []
    for app in apps:
        firsts = [t for t in (access.get(app.pk, {}).get("first"), refresh.get(app.pk)) if t]
        registration = getattr(app, "registration", None)
        found.append(
            AuthorisedApp(
                id=app.pk,
                name=app.name or "Unnamed app",
                website=registration.website if registration else "",
                scopes=scopes_describe(list(dict.fromkeys(scopes.get(app.pk, [])))),
                authorised_at=min(firsts),
                last_used_at=access.get(app.pk, {}).get("last"),
            )
        )
    return sorted(found, key=lambda a: a.last_used_at or a.authorised_at, reverse=True)
