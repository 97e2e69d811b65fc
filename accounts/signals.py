"""Receivers of the accounts app, one line each: forget cached profile headers, and record the
sessions that log in and out (accounts.sessions).

Services forget what they change themselves; these catch saves made elsewhere (the admin,
where a moderator suspends an account or edits a profile).
"""

from accounts.cache import profile_cache_forget
from accounts.sessions import session_forget, session_record


def user_saved_or_deleted(sender, instance, **kwargs):
    profile_cache_forget(instance.pk)


def logged_in(sender, request, user, **kwargs):
    session_record(request=request, user=user)


def logged_out(sender, request, user, **kwargs):
    session_forget(request=request)
