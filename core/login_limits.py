"""Failed log-in limits: after N failures for one login from one address, refuse for a while.

Counted per (login as typed, lower-cased; client address) in the cache, with atomic cache.add
and cache.incr, so parallel guesses from many processes are all counted. Both faces use it:

    login_attempts_check(request=request, login=login)     # before checking the password
    ...wrong password:  login_failure_record(request=request, login=login)
    ...success:         login_failures_clear(request=request, login=login)

`login_attempts_check` raises LoginLocked (a ValidationError with `retry_after` in seconds)
while the pair is locked: the API answers 429 with Retry-After, the web form shows the message.
The limits are SHUTTER_LOGIN_LIMIT (FAILURES within WINDOW seconds). When the cache is down,
failures are not counted: logging in keeps working, without this limit.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from rest_framework.settings import api_settings


class LoginLocked(ValidationError):
    """Too many failed log-ins for this login from this address; `retry_after` in seconds."""

    def __init__(self, retry_after):
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"Too many failed attempts to log in to this account from your network. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, or reset your password.",
            code="login_locked",
        )


def client_address(request):
    """The client's address, believing only as many X-Forwarded-For hops as we run proxies.

    The same rule as the API's throttles (REST_FRAMEWORK["NUM_PROXIES"]).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = api_settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return remote


def _keys(request, login):
    pair = f"{(login or '').strip().lower()}\n{client_address(request)}"
    digest = hashlib.sha256(pair.encode()).hexdigest()[:32]
    return f"login:v1:failures:{digest}", f"login:v1:locked:{digest}"


def _limits():
    return settings.SHUTTER_LOGIN_LIMIT["FAILURES"], settings.SHUTTER_LOGIN_LIMIT["WINDOW"]


def login_attempts_check(*, request, login):
    """Raise LoginLocked while `login` from this client is locked out; otherwise return."""
    _, locked_key = _keys(request, login)
    until = cache.get(locked_key)
    if until is not None and (left := until - time.time()) > 0:
        raise LoginLocked(retry_after=math.ceil(left))


def login_failure_record(*, request, login):
    """Count a failed log-in; the one that reaches the limit locks the pair for WINDOW seconds.

    Returns how many failures the window now holds (0 when the cache is unavailable).
    """
    failures_key, locked_key = _keys(request, login)
    limit, window = _limits()
    # add() starts the window only if none is running; incr() is atomic on Redis and locmem.
    cache.add(failures_key, 0, window)
    try:
        failures = cache.incr(failures_key) or 0
    except ValueError:  # the window ended between add() and incr(): this failure opens a new one
        cache.add(failures_key, 1, window)
        failures = 1
    if failures >= limit:
        cache.add(locked_key, time.time() + window, window)
    return failures


def login_failures_clear(*, request, login):
    """Forget the failures of `login` from this client after it logged in."""
    failures_key, _ = _keys(request, login)
    cache.delete(failures_key)
