"""Limits on guessing passwords, shared by the log-in page and POST /api/v1/auth/token/, and the
client address that every per-address limit (the API's throttles too) counts under.

Failed log-ins are counted twice, in the cache (atomic add/incr, so parallel guesses from many
processes all count):

- per account: `jonas` and `jonas@example.com` are the same account and share one count; an
  identifier that matches no account counts under its normalised form (trimmed, lower case).
  SHUTTER_LOGIN_LIMIT["FAILURES"] within WINDOW seconds lock the account from every address
  until the window ends, so guessing from many addresses gains nothing. The price: a stranger
  can lock someone out for a window; resetting the password by email still works meanwhile.
- per client address, whatever account was typed: ADDRESS_FAILURES within WINDOW lock the
  address, so trying one password on many accounts runs dry too.

Callers, on both faces:

    login_attempt_check(request=request, login=login)     # before checking the password
    ...wrong password:  login_failure_record(request=request, login=login)
    ...success:         login_success_record(request=request, login=login)

`login_attempt_check` raises TooManyAttempts (retry_after in seconds): the API answers 429 with
Retry-After, the page renders the 429 page with the same header. When the cache is down,
failures are not counted: logging in keeps working, without these limits.
"""

import functools
import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

LOCKED_MESSAGE = (
    "Too many failed attempts to log in to this account or from your network. "
    "Try again in {wait}, or reset your password."
)


class TooManyAttempts(Exception):
    """A limit is reached: `retry_after` seconds until it lifts, `detail` says so to a person."""

    def __init__(self, *, retry_after, detail):
        super().__init__(detail)
        self.retry_after = retry_after
        self.detail = detail


def wait_in_words(seconds):
    minutes = max(1, math.ceil(seconds / 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


# --- Who is asking ---------------------------------------------------------------------------


@functools.cache
def _networks(proxies):
    networks = []
    for proxy in proxies:
        try:
            networks.append(ipaddress.ip_network(proxy, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"SHUTTER_TRUSTED_PROXIES holds {proxy!r}: list the addresses (or networks, "
                "like 10.0.0.0/8) of the proxies in front of the app, separated by commas."
            ) from None
    return tuple(networks)


def _trusted(address, networks):
    return any(address in network for network in networks)


def _parsed(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request):
    """The address of whoever sent the request: REMOTE_ADDR, unless that is one of our proxies
    (settings.SHUTTER_TRUSTED_PROXIES); then the right-most X-Forwarded-For hop that is not
    one of ours. A client talking to us directly can't pick its address with a forged header,
    and one behind our proxy can't either: hops left of the first stranger are not read."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.SHUTTER_TRUSTED_PROXIES))
    address = _parsed(remote)
    if address is None or not _trusted(address, networks):
        return remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        hop_address = _parsed(hop)
        if hop_address is None:
            # Our proxy wrote no usable hop: count under the proxy rather than believe more.
            return str(address)
        if not _trusted(hop_address, networks):
            return str(hop_address)
        address = hop_address
    return str(address)


# --- Failed log-ins ----------------------------------------------------------------------------


def _account_key(login):
    """The same key for every identifier of one account; the typed text for no account."""
    typed = (login or "").strip().lower()
    account = (
        get_user_model()
        ._default_manager.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return f"account:{account}" if account is not None else f"typed:{typed}"


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _counters(request, login):
    """(failures key, locked key, limit) for the account and for the client address."""
    limits = settings.SHUTTER_LOGIN_LIMIT
    account = _digest(_account_key(login))
    address = _digest(client_address(request))
    return [
        (f"login:v2:failures:{account}", f"login:v2:locked:{account}", limits["FAILURES"]),
        (
            f"login:v2:address-failures:{address}",
            f"login:v2:address-locked:{address}",
            limits["ADDRESS_FAILURES"],
        ),
    ]


def login_attempt_check(*, request, login):
    """Raise TooManyAttempts while the account `login` names, or this client, is locked."""
    now = time.time()
    waits = [
        until - now
        for _, locked_key, _ in _counters(request, login)
        if (until := cache.get(locked_key)) is not None and until > now
    ]
    if waits:
        wait = math.ceil(max(waits))
        raise TooManyAttempts(
            retry_after=wait, detail=LOCKED_MESSAGE.format(wait=wait_in_words(wait))
        )


def _count(failures_key, window):
    # add() starts the window only if none is running; incr() is atomic on Redis and locmem.
    cache.add(failures_key, 0, window)
    try:
        return cache.incr(failures_key) or 0
    except ValueError:  # the window ended between add() and incr(): this failure opens a new one
        cache.add(failures_key, 1, window)
        return 1


def login_failure_record(*, request, login):
    """Count a wrong password for the account and for the address; the failure that reaches a
    limit locks it for WINDOW seconds."""
    window = settings.SHUTTER_LOGIN_LIMIT["WINDOW"]
    for failures_key, locked_key, limit in _counters(request, login):
        if _count(failures_key, window) >= limit:
            cache.add(locked_key, time.time() + window, window)


def login_success_record(*, request, login):
    """The account's count starts again after it logged in. The address keeps its count: one
    account of one's own must not buy more guesses at the others."""
    (account_failures, _, _), _ = _counters(request, login)
    cache.delete(account_failures)
