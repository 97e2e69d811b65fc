"""The scope registry: every OAuth scope Shutter knows, in plain words, and which grants which.

Mastodon's scopes: four top-level ones (`read`, `write`, `follow`, `push`), `profile` (only
who you are), and fine-grained children like `read:statuses`. A parent grants its children:
`read` grants every `read:*`, `write` every `write:*`, `follow` the reading and writing of
blocks, follows and mutes; `read:accounts` (so `read`) grants `profile`.

Views declare the one scope they need (accounts.oauth.permissions); a token passes when one of
its scopes grants it.
"""

SCOPES = {
    "read": "Read everything your account can see",
    "write": "Change anything in your account: post, comment, like, follow, edit your profile",
    "follow": "See and change who you follow, block and mute",
    "push": "Receive push notifications",
    "profile": "See your username, name and profile picture",
    "read:accounts": "See accounts and profiles",
    "read:blocks": "See who you block",
    "read:bookmarks": "See your saved posts",
    "read:favourites": "See the posts you liked",
    "read:filters": "See your filters",
    "read:follows": "See who you follow and your follow requests",
    "read:lists": "See your lists",
    "read:mutes": "See who you mute",
    "read:notifications": "See your notifications",
    "read:search": "Search on your behalf",
    "read:statuses": "See posts, comments and your feed",
    "write:accounts": "Edit your profile and privacy",
    "write:blocks": "Block and unblock accounts",
    "write:bookmarks": "Save and unsave posts",
    "write:conversations": "Change your conversations",
    "write:favourites": "Like and unlike posts",
    "write:filters": "Change your filters",
    "write:follows": "Follow and unfollow accounts, answer follow requests",
    "write:lists": "Change your lists",
    "write:media": "Upload photos",
    "write:mutes": "Mute and unmute accounts",
    "write:notifications": "Mark notifications as read or dismiss them",
    "write:reports": "Report posts and accounts",
    "write:statuses": "Post, edit and delete posts and comments",
}

DEFAULT_SCOPES = ["read"]

_FOLLOW_CHILDREN = {
    "read:blocks",
    "read:follows",
    "read:mutes",
    "write:blocks",
    "write:follows",
    "write:mutes",
}


def _direct_parents(scope):
    parents = set()
    family, _, child = scope.partition(":")
    if child:
        parents.add(family)
    if scope in _FOLLOW_CHILDREN:
        parents.add("follow")
    if scope == "profile":
        parents.add("read:accounts")
    return parents


def _grantors(scope):
    """`scope` and every scope that grants it, directly or through a parent."""
    found, todo = set(), [scope]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(_direct_parents(current))
    return frozenset(found)


GRANTED_BY = {scope: _grantors(scope) for scope in SCOPES}


def scope_granted(granted, needed):
    """Whether a token holding the scopes `granted` may do what needs `needed`."""
    return not GRANTED_BY.get(needed, {needed}).isdisjoint(granted)


def scopes_expand(granted):
    """Every scope that `granted` (an iterable of scope names) gives, parents and children."""
    granted = set(granted)
    return {scope for scope, grantors in GRANTED_BY.items() if not grantors.isdisjoint(granted)}


def scopes_parse(text):
    """The scope names in a space-separated `text` (Mastodon also accepts "+" between them),
    in order, without repeats; unknown names are kept so the caller can refuse them."""
    names = (text or "").replace("+", " ").split()
    return list(dict.fromkeys(names))


def scopes_unknown(names):
    return [name for name in names if name not in SCOPES]


def scopes_describe(names):
    """(name, plain words) for each scope in `names`, for the consent page and settings."""
    return [(name, SCOPES.get(name, name)) for name in names]
