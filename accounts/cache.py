"""The cached profile header: an account's public fields and counts, the same for everyone.

Keys (prefix "shutter:" from settings):
  profile:v1:name:<hash of the lower-cased username>  ->  the account's id
  profile:v1:card:<id>                    ->  {field: value} of PROFILE_CARD_FIELDS

Forgotten (`profile_cache_forget`) by every write that changes those fields: profile edits,
privacy, the post/follower/following counters, deletion, suspension (admin saves), recounts.
The name -> id entry is never forgotten: a username taken over by a new account is caught by
profile_get, which checks the name against the row it reads anyway.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from core.cache import cache_forget

PROFILE_CARD_FIELDS = (
    "id",
    "username",
    "display_name",
    "bio",
    "website",
    "avatar",
    "is_private",
    "date_joined",
    "post_count",
    "follower_count",
    "following_count",
)


def _name_key(username):
    # Hashed: the name comes from a URL and may hold anything, at any length.
    return f"profile:v1:name:{hashlib.sha256(username.lower().encode()).hexdigest()[:32]}"


def _card_key(user_id):
    return f"profile:v1:card:{user_id}"


def profile_card_cached(username):
    """The cached card of `username` (any case), or None on a miss."""
    user_id = cache.get(_name_key(username))
    if user_id is None:
        return None
    return cache.get(_card_key(user_id))


def profile_card_store(user):
    """Cache `user`'s card; it must have been read from the primary (see profile_get)."""
    ttl = settings.SHUTTER_CACHE_TTL["PROFILE"]
    card = {field: getattr(user, field) for field in PROFILE_CARD_FIELDS}
    card["avatar"] = user.avatar.name or ""
    cache.set_many({_name_key(user.username): user.pk, _card_key(user.pk): card}, ttl)


def profile_cache_forget(*user_ids):
    """Forget the cards of these accounts, now and after commit."""
    cache_forget(*(_card_key(pk) for pk in user_ids if pk is not None))
