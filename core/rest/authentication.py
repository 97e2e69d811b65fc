"""Who is calling: DRF tokens that a suspension switches off, and logging in for a token."""

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

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
    """Who sends a plain Django request: the account of its `Authorization: Token …` header
    (apps load images too), else the session's. A bad or suspended token is nobody."""
    try:
        found = ActiveTokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return AnonymousUser()
    return found[0] if found else request.user


def _token_get(key):
    tokens = Token.objects.select_related("user")
    token = tokens.filter(key=key).first()
    if token is None and not is_pinned_to_primary():
        # A token issued a moment ago may not be on the replica yet, and API clients don't keep
        # the read-your-writes cookie: ask the primary before refusing it.
        token = tokens.using(PRIMARY).filter(key=key).first()
    return token


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
