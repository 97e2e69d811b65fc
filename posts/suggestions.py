"""Suggested for you: accounts a member may want to follow (issue 13, point 6).

Who may be suggested (one rule, `_suggestable`): an account the viewer may open (active, no
block either way: User.visible_to), not the viewer, not one they follow or asked to follow,
not one they muted. Private accounts may be suggested, as on Instagram: only what their
profile header shows a stranger is ever shown (name, avatar, why), never their posts.

How they rank, best first:
  1. friends of friends: followed by the people the viewer follows, by how many of them;
  2. near the viewer's interests: authors of recent posts (explore's window) the viewer may
     see, so public ones, that carry a hashtag the viewer used or liked, by how engaging
     those posts are;
  3. popular public accounts (most followed), which is all a new member gets.

Here in the posts layer because it reads posts, the graph and accounts (.importlinter). The
ranking (ids and why) is cached per viewer for SHUTTER_CACHE_TTL["SUGGESTIONS"] seconds; the
accounts are then read with the viewer's current relationships, so someone followed, blocked
or muted since, or suspended, drops out at once. Two queries, one on a cache hit.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from posts.cache import suggestions_cached
from posts.models import Like, Post, PostHashtag, post_visible_q
from social.graph.models import Follow, Mute

# How many ranked accounts are kept per viewer; pages show fewer (following some uses up more).
CANDIDATES = 60
FOLLOWED_BY, INTERESTS, POPULAR = "followed_by", "interests", "popular"
REASONS = (FOLLOWED_BY, INTERESTS, POPULAR)


def _signed_in(viewer):
    return viewer is not None and viewer.is_authenticated


def _suggestable(viewer):
    """Accounts that may be suggested to `viewer`, whatever their rank."""
    return (
        User.objects.visible_to(viewer)
        .exclude(pk=viewer.pk)
        .exclude(pk__in=Follow.objects.filter(follower=viewer).values("following_id"))
        .exclude(pk__in=Mute.objects.filter(muter=viewer).values("muted_id"))
    )


def _friends_follows(viewer):
    """Accepted follows made by active accounts `viewer` follows."""
    return Follow.objects.accepted().filter(
        follower__in=Follow.objects.following_ids(viewer),
        follower__is_active=True,
        follower__suspended_at__isnull=True,
    )


def _count_per(qs, field, value):
    """A subquery: the aggregate `value` of `qs` rows whose `field` is the outer account."""
    grouped = qs.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(grouped.annotate(n=value).values("n"), output_field=IntegerField()), 0)


def _rank(viewer):
    """[(account id, reason)] best first, for the cache: three grouped queries (friends of
    friends, interests, popular), each one pass over its rows, merged here. One query with a
    subquery per candidate was ~10x slower on 20k accounts and 200k follows (PostgreSQL)."""
    suggestable = _suggestable(viewer).values("pk")
    by_friends = (
        _friends_follows(viewer)
        .filter(following__in=suggestable)
        .values("following_id", "following__follower_count")
        .annotate(n=Count("pk"))
        .order_by("-n", "-following__follower_count", "following_id")[:CANDIDATES]
    )
    # Two plain subqueries, not a join through likes: the planner hashes them once.
    my_posts = Post.objects.filter(author=viewer).values("pk")
    my_likes = Like.objects.filter(user=viewer).values("post_id")
    my_hashtags = PostHashtag.objects.filter(
        Q(post_id__in=my_posts) | Q(post_id__in=my_likes)
    ).values("hashtag_id")
    by_interests = (
        Post.objects.filter(
            post_visible_q(viewer),
            created_at__gte=timezone.now()
            - timedelta(days=settings.SHUTTER["EXPLORE_WINDOW_DAYS"]),
            author__in=suggestable,
            pk__in=PostHashtag.objects.filter(hashtag_id__in=my_hashtags).values("post_id"),
        )
        .values("author_id", "author__follower_count")
        .annotate(n=Sum(F("like_count") + 2 * F("comment_count") + 1))
        .order_by("-n", "-author__follower_count", "author_id")[:CANDIDATES]
    )
    popular = (
        _suggestable(viewer)
        .filter(is_private=False)
        .order_by("-follower_count", "pk")
        .values_list("pk", "follower_count")[:CANDIDATES]
    )
    scores = {}  # id -> [mutuals, interest, followers]
    for pk, followers, n in by_friends.values_list(
        "following_id", "following__follower_count", "n"
    ):
        scores[pk] = [n, 0, followers]
    for pk, followers, n in by_interests.values_list("author_id", "author__follower_count", "n"):
        scores.setdefault(pk, [0, 0, followers])[1] = n
    for pk, followers in popular:
        scores.setdefault(pk, [0, 0, followers])
    ranked = sorted(
        scores.items(), key=lambda item: (-item[1][0], -item[1][1], -item[1][2], item[0])
    )
    return [
        (pk, FOLLOWED_BY if mutuals else INTERESTS if interest else POPULAR)
        for pk, (mutuals, interest, _followers) in ranked[:CANDIDATES]
    ]


def suggested_accounts(*, viewer, limit=30):
    """Up to `limit` accounts suggested to `viewer`, best first ([] for a visitor).

    Each carries the relationship flags (User.with_relationship_flags), `reason` (one of
    REASONS), `mutual_count` (how many accounts the viewer follows follow it) and
    `mutual_name` (the most followed of those, or None).
    """
    if not _signed_in(viewer):
        return []
    ranked = suggestions_cached(viewer.pk, lambda: _rank(viewer))
    if not ranked:
        return []
    reasons = dict(ranked)
    friends_follows = _friends_follows(viewer)
    mutual_names = (
        User.objects.active()
        .filter(
            pk__in=Follow.objects.following_ids(viewer),
            following_set__following=OuterRef("pk"),
            following_set__status=Follow.Status.ACCEPTED,
        )
        .order_by("-follower_count", "pk")
        .values("username")[:1]
    )
    people = list(
        _suggestable(viewer)
        .filter(pk__in=list(reasons))
        .with_relationship_flags(viewer)
        .annotate(
            mutual_count=_count_per(friends_follows, "following", Count("pk")),
            mutual_name=Subquery(mutual_names),
        )
    )
    order = {pk: position for position, (pk, _reason) in enumerate(ranked)}
    people.sort(key=lambda person: order[person.pk])
    for person in people:
        person.reason = reasons[person.pk]
        if person.reason == FOLLOWED_BY and not person.mutual_count:
            person.reason = POPULAR
    return people[: max(1, min(limit, CANDIDATES))]
