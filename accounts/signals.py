"""Receivers of the accounts app: one line each, only to forget cached profile headers.

Services forget what they change themselves; these catch saves made elsewhere (the admin,
where a moderator suspends an account or edits a profile).
"""

from accounts.cache import profile_cache_forget


def user_saved_or_deleted(sender, instance, **kwargs):
    profile_cache_forget(instance.pk)
