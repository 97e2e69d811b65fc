"""Cached reads of posts that are the same for every viewer: hashtags and the explore ranking.

Keys (prefix "shutter:" from settings):
  hashtag:v1:<hash of the name>   ->  (id, name, created_at) of the Hashtag; only found tags
  hashtag:v1:count:<id>           ->  live posts by public accounts carrying it
  explore:v1:candidates           ->  ids of the top-ranked recent public posts, best first
  suggestions:v1:<user id>        ->  [(account id, reason)] suggested to that member, best first
  postcard:v1:<post id>           ->  the viewer-independent part of a post's card
                                      (posts.hydration: caption, dates, images and URLs)

A Hashtag row never changes, so its entry is only dropped by its TTL; the count is forgotten
when a post gains or loses the tag (post_hashtags_sync, post_delete). The explore ranking is
never forgotten: it is allowed to be SHUTTER_CACHE_TTL["EXPLORE"] seconds old, and the page is
read from the database among those ids with the viewer's visibility, so it never shows what
the viewer may not see (a post removed, an author gone private or blocked since). A post card
is forgotten (`post_cards_forget`) by the writes that change it: a caption or alt-text edit,
image variants done, removal or restore, deletion; counts, the author's name and avatar and
the viewer's flags are not in it (read fresh per page), and nor is who may see the post.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from core.cache import cache_forget

EXPLORE_KEY = "explore:v1:candidates"


def hashtag_key(name):
    # Hashed: the name comes from a URL and may hold anything, at any length.
    return f"hashtag:v1:{hashlib.sha256(name.lower().encode()).hexdigest()[:32]}"


def _ttl(name):
    return settings.SHUTTER_CACHE_TTL[name]


def hashtag_cached(name, load):
    """The (id, name, created_at) of hashtag `name` from the cache, else `load()`'s, cached."""
    key = hashtag_key(name)
    found = cache.get(key)
    if found is None:
        found = load()
        cache.set(key, found, _ttl("HASHTAG"))
    return found


def explore_candidates_cached(rank):
    """The cached explore ranking (a list of post ids), else `rank()`'s, cached briefly."""
    found = cache.get(EXPLORE_KEY)
    if found is None:
        found = rank()
        cache.set(EXPLORE_KEY, found, _ttl("EXPLORE"))
    return found


def suggestions_key(viewer_id):
    return f"suggestions:v1:{viewer_id}"


def suggestions_cached(viewer_id, rank):
    """The member's cached suggestion ranking, else `rank()`'s, cached briefly.

    Never forgotten early: posts.suggestions reads the accounts again with the viewer's
    current relationships, so a stale ranking can only be in a slightly old order.
    """
    key = suggestions_key(viewer_id)
    found = cache.get(key)
    if found is None:
        found = rank()
        cache.set(key, found, _ttl("SUGGESTIONS"))
    return found


def post_card_key(post_id):
    return f"postcard:v1:{post_id}"


def post_cards_forget(*post_ids):
    """Forget the cached cards of these posts (now, and again once the transaction commits)."""
    cache_forget(*(post_card_key(pk) for pk in post_ids))
