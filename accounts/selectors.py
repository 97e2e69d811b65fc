"""Reads of accounts: one profile with the viewer's relationship to it, follow lists, search,
and where the account is signed in."""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connections
from django.db.models import Case, F, FilteredRelation, IntegerField, Q, Value, When
from django.db.models.functions import Greatest, Lower
from django.utils import timezone

from accounts.cache import profile_card_cached, profile_card_store
from accounts.models import User, UserSession
from core.db_router import PRIMARY
from core.media import MediaAccess, media_reviewer
from core.pagination import empty_page, paginate_keyset
from social.graph.models import Follow

FOLLOWED_NEWEST_FIRST = (("followed_at", "desc"), ("follow_id", "desc"))


PROFILE_FLAGS = (
    "is_following",
    "follow_requested",
    "is_followed_by",
    "is_blocking",
    "is_muting",
    "can_see_content",
)


def _profiles(viewer):
    return (
        User.objects.visible_to(viewer)
        .with_relationship_flags(viewer)
        .with_content_visibility(viewer)
        .alias(username_lower=Lower("username"))
    )


def profile_get(*, viewer, username):
    """The profile at `username` (any case) with the viewer's relationship flags, in one query.

    User.DoesNotExist when the account is suspended or deactivated, or a block stands between
    the two either way. Flags: is_following, follow_requested, is_followed_by, is_blocking,
    is_muting, plus can_see_content (posts and follow lists).

    The header (names, bio, counts) comes from the cache when it can; whether the viewer may
    see the account, and how they relate to it, is read from the database every time.
    """
    card = profile_card_cached(username)
    if card is not None:
        flags = (
            _profiles(viewer)
            .filter(pk=card["id"], username_lower=username.lower())
            .values(*PROFILE_FLAGS)
            .first()
        )
        if flags is not None:
            return _user_from_card(card, flags)
        # Hidden from this viewer, or the name now belongs to another account: ask again.
    # A miss reads the primary: a lagging replica would put an old header in the cache for
    # everyone, including the person who just changed it.
    user = _profiles(viewer).using(PRIMARY).get(username_lower=username.lower())
    profile_card_store(user)
    return user


def profile_get_by_id(*, viewer, user_id):
    """profile_get for an account id (the Mastodon client API names accounts by id): the same
    rules, the same flags, User.DoesNotExist alike."""
    username = User.objects.filter(pk=user_id).values_list("username", flat=True).first()
    if username is None:
        raise User.DoesNotExist("No such account.")
    return profile_get(viewer=viewer, username=username)


def account_username_get(*, user_id):
    """The username of account `user_id` (to hand to a selector that takes one); says nothing
    of who may see it. User.DoesNotExist when there is none."""
    username = User.objects.filter(pk=user_id).values_list("username", flat=True).first()
    if username is None:
        raise User.DoesNotExist("No such account.")
    return username


def user_ids_by_username(*, usernames):
    """{lower-cased username: id} of the active accounts among `usernames` (any case)."""
    names = {name.lower() for name in usernames}
    if not names:
        return {}
    rows = (
        User.objects.active()
        .alias(username_lower=Lower("username"))
        .filter(username_lower__in=names)
        .values_list("username", "pk")
    )
    return {username.lower(): pk for username, pk in rows}


def _user_from_card(card, flags):
    # Fields not in the card (email, ...) stay deferred and load if something asks for them.
    names = [field.attname for field in User._meta.concrete_fields if field.attname in card]
    user = User.from_db(PRIMARY, names, [card[name] for name in names])
    # The flags query has just checked both against the database.
    user.is_active, user.suspended_at = True, None
    for name, value in flags.items():
        setattr(user, name, value)
    return user


def _follow_list(viewer, user, edge, cursor, page_size):
    """Accounts joined to `user` by the accepted follow `edge`, newest follow first."""
    owner = User.objects.visible_to(viewer).with_content_visibility(viewer).get(pk=user.pk)
    if not owner.can_see_content:
        return empty_page()
    qs = (
        User.objects.visible_to(viewer)
        .annotate(edge=edge)
        .filter(edge__isnull=False)
        .annotate(followed_at=F("edge__created_at"), follow_id=F("edge__id"))
        .with_relationship_flags(viewer)
    )
    return paginate_keyset(qs, ordering=FOLLOWED_NEWEST_FIRST, cursor=cursor, page_size=page_size)


def user_followers(*, viewer, user, cursor=None, page_size=None):
    """Accounts following `user` (accepted), latest first, with the viewer's flags on each.

    User.DoesNotExist across a block or for a suspended account; an empty page when `user`
    is private and `viewer` is not an accepted follower.
    """
    edge = FilteredRelation(
        "following_set",
        condition=Q(following_set__following=user, following_set__status=Follow.Status.ACCEPTED),
    )
    return _follow_list(viewer, user, edge, cursor, page_size)


def user_following(*, viewer, user, cursor=None, page_size=None):
    """Accounts `user` follows (accepted), latest first; same visibility rules as followers."""
    edge = FilteredRelation(
        "follower_set",
        condition=Q(follower_set__follower=user, follower_set__status=Follow.Status.ACCEPTED),
    )
    return _follow_list(viewer, user, edge, cursor, page_size)


# Search tiers, best first: what a person typing a name expects to see on top.
EXACT, PREFIX, WORD_START, ANYWHERE, SIMILAR = range(5)
# Where a word starts inside a username (a display name's words are split by spaces).
USERNAME_WORD_SEPARATORS = ("_", ".")


def _on_postgresql(qs):
    return connections[qs.db].vendor == "postgresql"


def _search_tier(query):
    """A Case giving each account the best tier its username or display name reaches."""

    def either(lookup, value):
        return Q(**{f"username__{lookup}": value}) | Q(**{f"display_name__{lookup}": value})

    word_start = Q(display_name__icontains=f" {query}")
    for separator in USERNAME_WORD_SEPARATORS:
        word_start |= Q(username__icontains=f"{separator}{query}")
    return Case(
        When(either("iexact", query), then=Value(EXACT)),
        When(either("istartswith", query), then=Value(PREFIX)),
        When(word_start, then=Value(WORD_START)),
        When(either("icontains", query), then=Value(ANYWHERE)),
        default=Value(SIMILAR),
        output_field=IntegerField(),
    )


def user_search(*, viewer, prefix, limit=20):
    """Accounts whose username or display name holds `prefix` anywhere (any case, '@' optional).

    Ranked: exact name, then names starting with it, then a word inside starting with it
    ("Martin" in "Alice Martin", "smith" in "john_smith"), then anywhere; on PostgreSQL also
    names merely like it, last: pg_trgm's `%>` (word similarity above its threshold, 0.6 by
    default) catches typos ("Martn" finds "Alice Martin"). Within a tier, on PostgreSQL the
    closer name first, then most followed. One query; trigram GIN indexes serve the matching
    on PostgreSQL (accounts migration 0004), SQLite scans.

    Never suspended accounts or ones a block stands between; private accounts are listed, since
    their name is public.
    """
    query = prefix.strip().lstrip("@")
    if not query:
        return []
    qs = User.objects.visible_to(viewer)
    matches = Q(username__icontains=query) | Q(display_name__icontains=query)
    ordering = ["tier"]
    if _on_postgresql(qs):
        matches |= Q(username__trigram_word_similar=query) | Q(
            display_name__trigram_word_similar=query
        )
        qs = qs.annotate(
            likeness=Greatest(
                TrigramWordSimilarity(query, "username"),
                TrigramWordSimilarity(query, "display_name"),
            )
        )
        ordering.append("-likeness")
    qs = qs.filter(matches).annotate(tier=_search_tier(query))
    return list(
        qs.with_relationship_flags(viewer).order_by(*ordering, "-follower_count", "username")[
            : max(1, min(limit, 50))
        ]
    )


def avatar_file_access(*, viewer, name):
    """How `viewer` may have the avatar file stored as `name`.

    PUBLIC for an active account's avatar (a profile's header is everyone's to see, PRODUCT.md),
    None for a suspended or deactivated one (hidden everywhere until restored), except PRIVATE
    for moderators. `viewer` is looked at only in that last case.
    """
    owners = User.objects.filter(avatar=name)
    if owners.active().exists():
        return MediaAccess.PUBLIC
    if media_reviewer(viewer, "accounts.view_user") and owners.exists():
        return MediaAccess.PRIVATE
    return None


SESSIONS_LISTED = 50


def user_sessions_list(*, user):
    """The account's signed-in browser sessions, last seen first; those older than a session
    lives (SESSION_COOKIE_AGE) have expired and are left out."""
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    sessions = UserSession.objects.filter(user=user, last_seen_at__gte=cutoff)
    return list(sessions.order_by("-last_seen_at", "-pk")[:SESSIONS_LISTED])
