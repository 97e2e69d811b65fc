"""Where an account is signed in: each browser session is recorded at log-in (UserSession),
kept current while it is used, and forgotten at log-out. The services that end sessions
(accounts.services: user_sessions_end, user_session_end) delete these records and the stored
sessions they name.

A session carries its record's id and key under RECORD, so keeping the record current costs no
query on an ordinary request: the row is written only when the session key changed (Django
cycles it when the password changes) or LAST_SEEN_EVERY seconds have passed.
"""

import ipaddress
import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.utils import timezone

from accounts.models import UserSession
from core.limits import client_address

RECORD = "_shutter_session"
LAST_SEEN_EVERY = 300
USER_AGENT_MAX = UserSession._meta.get_field("user_agent").max_length


def session_store_delete(session_keys):
    """Delete stored sessions by key, through the configured engine (cache and database)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in session_keys:
        store.delete(key)


def _address(request):
    try:
        return str(ipaddress.ip_address(client_address(request)))
    except ValueError:
        return None


def _mark(session, record):
    session[RECORD] = {"id": record.pk, "key": session.session_key, "seen": time.time()}


def current_session_id(request):
    """The UserSession id of the session this request came with, or None (not recorded)."""
    return request.session.get(RECORD, {}).get("id")


def session_record(*, request, user):
    """Record the session `user` just logged in with (the user_logged_in receiver)."""
    session = request.session
    if session.session_key is None:
        session.save()  # login() may have flushed it: the record needs its key now
    record, _ = UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={
            "user": user,
            "last_seen_at": timezone.now(),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
            "ip_address": _address(request),
        },
    )
    _mark(session, record)
    _records_prune(user, keep=record.pk)


def _records_prune(user, *, keep):
    """Forget the account's records of sessions that ended without a log-out (expired, or
    deleted by clearsessions), so the table holds about as many rows as live sessions."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    records = UserSession.objects.filter(user=user).exclude(pk=keep)
    records.filter(last_seen_at__lt=cutoff).delete()
    gone = [key for key in records.values_list("session_key", flat=True) if not store.exists(key)]
    records.filter(session_key__in=gone).delete()


def session_forget(*, request):
    """Forget the record of the session that is logging out (the user_logged_out receiver)."""
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def _session_touch(request):
    session = getattr(request, "session", None)
    # A request that never opened its session (static files, health) has nothing to touch.
    if session is None or not session.accessed or session.session_key is None:
        return
    mark = session.get(RECORD)
    if mark is None:
        if SESSION_KEY in session and request.user.is_authenticated:
            # Signed in before sessions were recorded: record it now, so it is listed.
            session_record(request=request, user=request.user)
        return
    if mark["key"] == session.session_key and time.time() - mark["seen"] < LAST_SEEN_EVERY:
        return
    record = UserSession.objects.filter(pk=mark["id"])
    if record.update(session_key=session.session_key, last_seen_at=timezone.now()):
        session[RECORD] = {**mark, "key": session.session_key, "seen": time.time()}
    else:
        # Its record was deleted: the session was ended from elsewhere, and the stored copy
        # survived (a cache outage during the delete). It ends now.
        logout(request)


class SessionActivityMiddleware:
    """Keeps each signed-in session's record current (last seen, its key after a cycle); ends a
    session whose record was deleted. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        _session_touch(request)
        return response
