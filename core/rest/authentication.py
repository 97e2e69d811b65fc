"""Who is calling: DRF tokens that a suspension switches off, and logging in for a token."""

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.settings import api_settings

from core.db_router import PRIMARY, is_pinned_to_primary
from core.limits import (
    login_attempt_check,
    login_failure_record,
    login_success_record,
)

SUSPENDED_MESSAGE = "This account is suspended."
BAD_CREDENTIALS_MESSAGE = "That username or email and password don't match an account."


class ActiveTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused for inactive and suspended accounts."""

    def authenticate_credentials(self, key):
        token = _token_get(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        # Checked on every request, not at login: a suspension stops tokens already handed out.
        if token.user.suspended_at is not None:
            raise AuthenticationFailed(SUSPENDED_MESSAGE)
        return token.user, token


def request_viewer(request):
    """Who sends a plain Django request (apps load images too): the account behind its
    `Authorization` header, by the API's own header authentications in their order (Shutter's
    `Token`, OAuth 2's `Bearer`), else the session's. A bad, suspended or app-only token is
    nobody."""
    for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(authentication, SessionAuthentication):
            continue  # the session is request.user, below
        try:
            found = authentication().authenticate(request)
        except AuthenticationFailed:
            return AnonymousUser()
        if found is not None:
            return found[0] or AnonymousUser()
    return request.user


def _token_get(key):
    token = _token_with_user(key, router.db_for_read(Token) or PRIMARY)
    if token is None and not is_pinned_to_primary():
        # A token issued a moment ago may not be on the replica yet, and API clients don't keep
        # the read-your-writes cookie: ask the primary before refusing it.
        token = _token_with_user(key, PRIMARY)
    return token


class _TokenLookup:
    """`Token.objects.select_related("user").get(key=key)` as one SQL statement built once per
    database: the ORM spends most of an API request's floor building that query again for
    every call (issue 12). The row is read on every request as before, so a revoked token, a
    suspension or a deactivation ends access at once; values go through the same converters
    the ORM applies, and the token comes with its user cached, as select_related leaves it."""

    def __init__(self, alias):
        connection = connections[alias]
        user_model = get_user_model()
        self.alias = alias
        self.token_fields = Token._meta.concrete_fields
        self.user_fields = user_model._meta.concrete_fields
        quote = connection.ops.quote_name
        token_table, user_table = quote(Token._meta.db_table), quote(user_model._meta.db_table)
        columns = [f"{token_table}.{quote(f.column)}" for f in self.token_fields]
        columns += [f"{user_table}.{quote(f.column)}" for f in self.user_fields]
        user_fk = Token._meta.get_field("user")
        self.sql = (
            f"SELECT {', '.join(columns)} FROM {token_table} INNER JOIN {user_table} ON "
            f"{user_table}.{quote(user_model._meta.pk.column)} = "
            f"{token_table}.{quote(user_fk.column)} "
            f"WHERE {token_table}.{quote(Token._meta.get_field('key').column)} = %s"
        )
        self.converters = [
            (i, [*connection.ops.get_db_converters(col), *col.get_db_converters(connection)], col)
            for i, col in enumerate(
                [f.get_col(Token._meta.db_table) for f in self.token_fields]
                + [f.get_col(user_model._meta.db_table) for f in self.user_fields]
            )
        ]
        self.converters = [entry for entry in self.converters if entry[1]]
        self.user_model = user_model
        self.user_fk = user_fk

    def __call__(self, key):
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, [key])
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for i, converters, col in self.converters:
            for converter in converters:
                row[i] = converter(row[i], col, connection)
        split = len(self.token_fields)
        token = Token.from_db(self.alias, [f.attname for f in self.token_fields], row[:split])
        user = self.user_model.from_db(
            self.alias, [f.attname for f in self.user_fields], row[split:]
        )
        self.user_fk.set_cached_value(token, user)
        return token


_token_lookups = {}


def _token_with_user(key, alias):
    lookup = _token_lookups.get(alias)
    if lookup is None:
        lookup = _token_lookups[alias] = _TokenLookup(alias)
    return lookup(key)


def api_login(*, request, login, password):
    """The account that `login` (username or email) and `password` open.

    ValidationError otherwise, saying so plainly when the account is suspended. TooManyAttempts
    after too many failures for this account or from this client (core.limits): the API
    answers it with 429 (core.rest.exceptions), the log-in page with its 429 page.
    """
    login_attempt_check(request=request, login=login)
    user = authenticate(request, username=login, password=password)
    if user is not None:
        login_success_record(request=request, login=login)
        return user
    # The backend refuses suspended accounts like wrong passwords; someone who knows the
    # password deserves to hear why.
    if _suspended_account_matches(login, password):
        raise ValidationError(SUSPENDED_MESSAGE, code="suspended")
    login_failure_record(request=request, login=login)
    raise ValidationError(BAD_CREDENTIALS_MESSAGE, code="invalid_login")


def _suspended_account_matches(login, password):
    suspended = get_user_model()._default_manager.filter(
        Q(username__iexact=login) | Q(email__iexact=login), suspended_at__isnull=False
    )
    return any(user.check_password(password) for user in suspended)


def api_token_issue(*, user):
    """The user's API token, created on first login and returned as it is afterwards."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


def api_token_revoke(*, user):
    """Delete the user's token, so every client holding it is signed out; True if one existed."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted > 0
