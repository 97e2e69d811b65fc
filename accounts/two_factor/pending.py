"""A log-in that passed the password and waits for the second factor, kept in the session.

The person is not logged in meanwhile. The wait lasts PENDING_SECONDS and allows ATTEMPTS
wrong codes; after either, they start again from the password. (Guessing across many fresh
log-ins is slowed down by the device's own throttle, see services.py.)
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import load_backend

SESSION_KEY = "two_factor_pending"
PENDING_SECONDS = 5 * 60
ATTEMPTS = 5


@dataclass(frozen=True)
class PendingLogin:
    user: object
    backend: str
    next_url: str


def login_pending_start(*, request, user, next_url):
    """Remember that `user` (from authenticate(), so with `.backend`) passed the password."""
    # A new session key: a session id planted before the password can't follow the log-in.
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "user_id": str(user.pk),
        "backend": user.backend,
        "started": time.time(),
        "attempts": 0,
        "next": next_url,
    }


def login_pending_get(*, request):
    """The waiting log-in, or None when there is none, it expired, or the account can no
    longer log in (deactivated or suspended meanwhile)."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    if time.time() - data["started"] > PENDING_SECONDS or (
        data["backend"] not in settings.AUTHENTICATION_BACKENDS
    ):
        login_pending_clear(request=request)
        return None
    user = load_backend(data["backend"]).get_user(data["user_id"])
    if user is None:
        login_pending_clear(request=request)
        return None
    return PendingLogin(user=user, backend=data["backend"], next_url=data["next"])


def login_pending_fail(*, request):
    """Count a wrong code. True while attempts are left; False once the wait is over."""
    data = request.session.get(SESSION_KEY)
    if not data:
        return False
    data["attempts"] += 1
    if data["attempts"] >= ATTEMPTS:
        login_pending_clear(request=request)
        return False
    request.session[SESSION_KEY] = data
    return True


def login_pending_clear(*, request):
    request.session.pop(SESSION_KEY, None)
