"""Every read of posts a page or endpoint needs: feeds, grids, one post, its comments and likers.

List selectors return a `KeysetPage` whose items carry everything a page shows (author, ordered
images, counters, `liked`/`saved` for the viewer) in a constant number of SQL queries.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from core.media import MediaAccess, media_reviewer
from core.pagination import empty_page, paginate_keyset
from posts.cache import explore_candidates_cached, hashtag_cached
from posts.models import Comment, Hashtag, Post, PostHashtag, PostImage, post_visible_q
from posts.timelines import home_feed_posts, timeline_page
from social.graph.models import Block

NEWEST_FIRST = (("created_at", "desc"), ("id", "desc"))
OLDEST_FIRST = (("created_at", "asc"), ("id", "asc"))
# Ties on score fall back to recency; a post whose score moves between two page requests may
# show twice or not at all in one browse of explore, which a ranking page can live with.
BY_ENGAGEMENT = (("score", "desc"), ("created_at", "desc"), ("id", "desc"))
EXPLORE_SCORE = F("like_count") + 2 * F("comment_count")
# How deep explore goes: the ranking keeps this many posts.
EXPLORE_CANDIDATES = 500


def _signed_in(viewer):
    return viewer is not None and viewer.is_authenticated


def home_feed(*, viewer, cursor=None, page_size=None):
    """Posts of the accounts `viewer` follows and their own, newest first, minus muted ones."""
    if not _signed_in(viewer):
        return empty_page()
    # The Redis timeline when there is one and it can vouch for this page (posts/timelines.py);
    # else the pull query. Both apply the same rule and continue each other's cursors.
    page = timeline_page(viewer=viewer, cursor=cursor, page_size=page_size)
    if page is not None:
        return page
    return home_feed_pull(viewer=viewer, cursor=cursor, page_size=page_size)


def home_feed_pull(*, viewer, cursor=None, page_size=None):
    """The home feed's page from the pull query alone (what home_feed falls back to)."""
    qs = home_feed_posts(viewer).for_display(viewer)
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)


def _explore_rank():
    """Ids of the best recent public posts: one query, shared by every viewer through the cache."""
    since = timezone.now() - timedelta(days=settings.SHUTTER["EXPLORE_WINDOW_DAYS"])
    ranked = (
        Post.objects.live()
        .filter(author__is_private=False, created_at__gte=since)
        .annotate(score=EXPLORE_SCORE)
        .order_by("-score", "-created_at", "-id")
    )
    return list(ranked.values_list("pk", flat=True)[:EXPLORE_CANDIDATES])


def explore(*, viewer, cursor=None, page_size=None):
    """Recent posts of public accounts, most engaging first; never the viewer's own.

    The ranking (the top EXPLORE_CANDIDATES ids) is cached for everyone for a short while; the
    page is read among those ids with the viewer's visibility and flags, so privacy, blocks and
    removals always hold, and scores are current.
    """
    candidates = explore_candidates_cached(_explore_rank)
    since = timezone.now() - timedelta(days=settings.SHUTTER["EXPLORE_WINDOW_DAYS"])
    qs = Post.objects.visible_to(viewer).filter(
        pk__in=candidates, author__is_private=False, created_at__gte=since
    )
    if _signed_in(viewer):
        qs = qs.exclude(author=viewer)
    qs = qs.annotate(score=EXPLORE_SCORE).for_display(viewer)
    return paginate_keyset(qs, ordering=BY_ENGAGEMENT, cursor=cursor, page_size=page_size)


def _hashtag_row(name):
    hashtag = Hashtag.objects.alias(lname=Lower("name")).get(lname=name.lstrip("#").lower())
    return hashtag.pk, hashtag.name, hashtag.created_at


def hashtag_get(*, name):
    """The hashtag called `name` (any case, with or without '#'); Hashtag.DoesNotExist if none.

    Cached: a hashtag row never changes once made.
    """
    name = name.lstrip("#")
    pk, stored_name, created_at = hashtag_cached(name, lambda: _hashtag_row(name))
    return Hashtag(pk=pk, name=stored_name, created_at=created_at)


def tag_posts(*, viewer, name, cursor=None, page_size=None):
    """Posts carrying #`name` that `viewer` may see, newest first.

    Hashtag.DoesNotExist when no such hashtag exists or `viewer` may see none of its posts:
    a tag used only in private must answer like one never used, or its page would confirm it.
    """
    hashtag = hashtag_get(name=name)
    visible = Post.objects.visible_to(viewer).filter(hashtag_links__hashtag=hashtag)
    page = paginate_keyset(
        visible.for_display(viewer), ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size
    )
    # An empty first page says it all; past the first, ask (a link from any other tag's page
    # could be replayed here), which costs a query only when a later page comes back empty.
    if not page.items and (cursor is None or not visible.exists()):
        raise Hashtag.DoesNotExist("No visible post carries this hashtag.")
    return page


def profile_posts(*, viewer, user, cursor=None, page_size=None):
    """`user`'s grid, newest first: User.DoesNotExist across a block or for a suspended account,
    an empty page when the account is private and `viewer` is not an accepted follower."""
    owner = User.objects.visible_to(viewer).with_content_visibility(viewer).get(pk=user.pk)
    if not owner.can_see_content:
        return empty_page()
    qs = Post.objects.visible_to(viewer).filter(author=owner).for_display(viewer)
    return paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size)


def post_detail(*, viewer, post_id):
    """One post with author, images and viewer flags; Post.DoesNotExist if `viewer` can't see it."""
    return Post.objects.visible_to(viewer).for_display(viewer).get(pk=post_id)


def post_file_access(*, viewer, name):
    """How `viewer` may have the post file stored as `name` (original, display or thumbnail).

    PUBLIC when anyone may see the post, PRIVATE when only some may (`viewer` among them), None
    when `viewer` may not: the same rules as the post's page. One query; a moderator looking at
    hidden content takes a second.
    """
    holders = PostImage.objects.filter(Q(image=name) | Q(display=name) | Q(thumbnail=name))
    posts = Post.objects.filter(pk__in=holders.values("post_id"))
    is_private = posts.visible_to(viewer).values_list("author__is_private", flat=True).first()
    if is_private is not None:
        # visible_to already applied live(): a public author's post is anyone's to see.
        return MediaAccess.PRIVATE if is_private else MediaAccess.PUBLIC
    if media_reviewer(viewer, "posts.view_postimage") and posts.exists():
        return MediaAccess.PRIVATE
    return None


def post_target_get(*, post_id):
    """The post a write names, with its author, whatever its visibility: the service judges who
    may see it and act on it, so 403 and 404 follow one set of rules. Post.DoesNotExist if none."""
    return Post.objects.select_related("author").get(pk=post_id)


def post_counts(*, post_id):
    """The post's like and comment counts as stored, for the answer to a write that moved one."""
    return Post.objects.filter(pk=post_id).values("like_count", "comment_count").get()


def _visible_author_id(viewer, post):
    """The author of `post` if `viewer` may see it (one query), else Post.DoesNotExist."""
    author_id = Post.objects.visible_to(viewer).filter(pk=post.pk).values_list("author_id")
    found = author_id.first()
    if found is None:
        raise Post.DoesNotExist("No visible post matches the given query.")
    return found[0]


def post_comments(*, viewer, post, cursor=None, page_size=None):
    """The visible comments on `post`, oldest first, with their authors.

    Comments across a block with the post's author are left out (Comment.visible_to).
    Post.DoesNotExist when `viewer` may not see the post itself.
    """
    _visible_author_id(viewer, post)
    qs = Comment.objects.visible_to(viewer).filter(post=post).select_related("author")
    return paginate_keyset(qs, ordering=OLDEST_FIRST, cursor=cursor, page_size=page_size)


def post_likers(*, viewer, post, cursor=None, page_size=None):
    """Accounts that liked `post`, latest like first, without blocked or suspended accounts,
    nor anyone across a block with the post's author (as for comments).

    Items are users annotated with the viewer's relationship flags; Post.DoesNotExist when
    `viewer` may not see the post.
    """
    author_id = _visible_author_id(viewer, post)
    qs = (
        User.objects.visible_to(viewer)
        .filter(Block.objects.unblocked_q(author_id, "pk"))
        .annotate(this_like=FilteredRelation("likes", condition=Q(likes__post=post)))
        .filter(this_like__isnull=False)
        .annotate(liked_at=F("this_like__created_at"), like_id=F("this_like__id"))
        .with_relationship_flags(viewer)
    )
    ordering = (("liked_at", "desc"), ("like_id", "desc"))
    return paginate_keyset(qs, ordering=ordering, cursor=cursor, page_size=page_size)


def saved_posts(*, viewer, cursor=None, page_size=None):
    """Posts `viewer` saved and may still see, latest save first."""
    if not _signed_in(viewer):
        return empty_page()
    qs = (
        Post.objects.visible_to(viewer)
        .annotate(my_save=FilteredRelation("saves", condition=Q(saves__user=viewer)))
        .filter(my_save__isnull=False)
        .annotate(saved_at=F("my_save__created_at"), save_id=F("my_save__id"))
        .for_display(viewer)
    )
    ordering = (("saved_at", "desc"), ("save_id", "desc"))
    return paginate_keyset(qs, ordering=ordering, cursor=cursor, page_size=page_size)


def hashtag_search(*, viewer, prefix, limit=10):
    """Hashtags starting with `prefix` (any case, '#' optional) on posts `viewer` may see, most
    used first, each with `post_count`: how many of its posts `viewer` may see.

    A tag with none is left out, as one never used. One query, the count a subquery per tag.
    """
    prefix = prefix.strip().lstrip("#")
    if not prefix:
        return []
    visible_links = (
        PostHashtag.objects.filter(post_visible_q(viewer, prefix="post__"), hashtag=OuterRef("pk"))
        .order_by()
        .values("hashtag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Hashtag.objects.filter(name__istartswith=prefix)
        .annotate(post_count=Subquery(visible_links))
        .filter(post_count__gt=0)
        .order_by("-post_count", "name")[: max(1, min(limit, 50))]
    )
