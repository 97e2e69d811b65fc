"""Every read of posts a page or endpoint needs: feeds, grids, one post, its comments and likers.

List selectors return a `KeysetPage` of post cards (posts.hydration): each list's query applies
the visibility rule and reads the page's rows with `card_rows`, and `card_page` dresses them
with the cached viewer-independent part (author, ordered images and their URLs, caption HTML),
the counters and `liked`/`saved` for the viewer: one SQL query and one cache round trip per
page when the cards are cached, two and two at most, whatever the page size.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from core.media import MediaAccess, media_reviewer
from core.pagination import KeysetPage, empty_page, keyset_cursor, paginate_keyset
from posts.cache import explore_candidates_cached, hashtag_cached
from posts.hydration import card_page, card_rows
from posts.models import (
    Comment,
    Hashtag,
    MediaUpload,
    Post,
    PostHashtag,
    PostImage,
    post_visible_q,
)
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
# Replies shown under a comment on the post's page; "View N more replies" for the rest.
REPLIES_SHOWN = 2


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
    page = paginate_keyset(
        card_rows(home_feed_posts(viewer), viewer),
        ordering=NEWEST_FIRST,
        cursor=cursor,
        page_size=page_size,
    )
    return card_page(page)


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
    qs = card_rows(qs.annotate(score=EXPLORE_SCORE), viewer)
    return card_page(
        paginate_keyset(qs, ordering=BY_ENGAGEMENT, cursor=cursor, page_size=page_size),
        extra=("score",),
    )


def posts_of_cards(page, *, viewer):
    """The same page with whole posts (Post.for_display: author, images, viewer flags) in
    place of its cards, each card's `extra` kept on its post: for entities that show more of
    the author than a card holds (the Mastodon API's Account). One query; the cards' ids were
    chosen by the visibility rule already."""
    cards = list(page.items)
    if not cards:
        return page
    posts = Post.objects.filter(pk__in=[card.pk for card in cards]).for_display(viewer)
    found = {post.pk: post for post in posts}
    items = []
    for card in cards:
        post = found.get(card.pk)
        if post is not None:
            for name, value in card.extra.items():
                setattr(post, name, value)
            items.append(post)
    return KeysetPage(items=items, next_cursor=page.next_cursor, has_next=page.has_next)


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
        card_rows(visible, viewer), ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size
    )
    # An empty first page says it all; past the first, ask (a link from any other tag's page
    # could be replayed here), which costs a query only when a later page comes back empty.
    if not page.items and (cursor is None or not visible.exists()):
        raise Hashtag.DoesNotExist("No visible post carries this hashtag.")
    return card_page(page)


def profile_posts(*, viewer, user, cursor=None, page_size=None):
    """`user`'s grid, newest first: User.DoesNotExist across a block or for a suspended account,
    an empty page when the account is private and `viewer` is not an accepted follower."""
    owner = User.objects.visible_to(viewer).with_content_visibility(viewer).get(pk=user.pk)
    if not owner.can_see_content:
        return empty_page()
    qs = card_rows(Post.objects.visible_to(viewer).filter(author=owner), viewer)
    return card_page(paginate_keyset(qs, ordering=NEWEST_FIRST, cursor=cursor, page_size=page_size))


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
    # An upload no post uses yet (MediaUpload): its uploader's only.
    if viewer is not None and viewer.is_authenticated:
        uploads = MediaUpload.objects.filter(Q(image=name) | Q(display=name) | Q(thumbnail=name))
        if uploads.filter(owner=viewer).exists():
            return MediaAccess.PRIVATE
    return None


def media_upload_get(*, viewer, upload_id):
    """`viewer`'s unused upload `upload_id`; MediaUpload.DoesNotExist for anyone else's."""
    if not _signed_in(viewer):
        raise MediaUpload.DoesNotExist("No such upload.")
    return MediaUpload.objects.get(pk=upload_id, owner=viewer)


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


def _comments_shown(viewer):
    return Comment.objects.visible_to(viewer).select_related("author").with_viewer_flags(viewer)


def post_comments(*, viewer, post, cursor=None, page_size=None, with_replies=False):
    """The visible top-level comments on `post`, oldest first, with their authors and `liked`
    for the viewer; `with_replies` adds their first REPLIES_SHOWN visible replies (as
    `shown_replies`, alike) and how many more there are (`more_replies`, with the cursor of
    their page, `more_replies_cursor`).

    Comments across a block with the post's author are left out (Comment.visible_to).
    Post.DoesNotExist when `viewer` may not see the post itself. Two queries whatever the
    page's length (the post's visibility, the comments), and one for the replies.
    """
    _visible_author_id(viewer, post)
    qs = _comments_shown(viewer).filter(post=post, parent__isnull=True)
    if with_replies:
        replies = _comments_shown(viewer).order_by("created_at", "id")[:REPLIES_SHOWN]
        qs = qs.prefetch_related(Prefetch("replies", queryset=replies, to_attr="shown_replies"))
    page = paginate_keyset(qs, ordering=OLDEST_FIRST, cursor=cursor, page_size=page_size)
    if not with_replies:
        return page
    for comment in page.items:
        shown = comment.shown_replies
        # Where "View N more replies" starts: after the last reply shown.
        comment.more_replies_cursor = keyset_cursor(OLDEST_FIRST, shown[-1]) if shown else None
        # reply_count counts replies hidden from this viewer too (blocks): never below zero.
        comment.more_replies = max(0, comment.reply_count - len(shown)) if shown else 0
    return page


def comment_get(*, viewer, comment_id):
    """One comment `viewer` may see, with its author and `liked`; Comment.DoesNotExist if the
    comment or its post is hidden from them."""
    return (
        _comments_shown(viewer)
        .filter(post_visible_q(viewer, prefix="post__"))
        .select_related("post__author")
        .get(pk=comment_id)
    )


def comment_replies(*, viewer, comment, cursor=None, page_size=None):
    """The visible replies to top-level `comment`, oldest first, with authors and `liked`.

    Comment.DoesNotExist when `viewer` may not see `comment` (or its post)."""
    comment_get(viewer=viewer, comment_id=comment.pk)
    qs = _comments_shown(viewer).filter(parent=comment)
    return paginate_keyset(qs, ordering=OLDEST_FIRST, cursor=cursor, page_size=page_size)


def comment_counts(*, comment_id):
    """The comment's like and reply counts and its post, as stored, for the answer to a write."""
    return (
        Comment.objects.filter(pk=comment_id).values("like_count", "reply_count", "post_id").get()
    )


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
    )
    ordering = (("saved_at", "desc"), ("save_id", "desc"))
    page = paginate_keyset(
        card_rows(qs, viewer), ordering=ordering, cursor=cursor, page_size=page_size
    )
    return card_page(page, extra=("saved_at", "save_id"))


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


def post_position(*, post_id):
    """Where post `post_id` stands in the lists of posts (created_at, id, and explore's score),
    or None when there is no such post. Says nothing of who may see it: a page that starts
    after a post shows only what the viewer may see."""
    return (
        Post.objects.filter(pk=post_id)
        .annotate(score=EXPLORE_SCORE)
        .values("created_at", "id", "score")
        .first()
    )


def liked_posts(*, viewer, cursor=None, page_size=None):
    """Posts `viewer` liked and may still see, latest like first."""
    if not _signed_in(viewer):
        return empty_page()
    qs = (
        Post.objects.visible_to(viewer)
        .annotate(my_like=FilteredRelation("likes", condition=Q(likes__user=viewer)))
        .filter(my_like__isnull=False)
        .annotate(liked_at=F("my_like__created_at"), like_id=F("my_like__id"))
        .for_display(viewer)
    )
    ordering = (("liked_at", "desc"), ("like_id", "desc"))
    return paginate_keyset(qs, ordering=ordering, cursor=cursor, page_size=page_size)


def comment_detail(*, viewer, comment_id):
    """One comment `viewer` may see, on a post they may see (comment_get: author, the post's
    author, `liked`); Comment.DoesNotExist otherwise. The Mastodon API's name for it."""
    return comment_get(viewer=viewer, comment_id=comment_id)


def _comments_on_visible_posts(viewer):
    """Comments `viewer` may see on posts they may see, with author, post and its author, as
    comment_get reads one."""
    return (
        _comments_shown(viewer)
        .filter(post_visible_q(viewer, prefix="post__"))
        .select_related("post__author")
    )


def site_stats():
    """How many accounts can be seen and how many posts are live (the instance's numbers)."""
    return {
        "user_count": User.objects.active().count(),
        "status_count": Post.objects.live().count(),
    }


def posts_by_ids(*, viewer, post_ids):
    """{id: post} of the posts among `post_ids` that `viewer` may see, loaded for display."""
    if not post_ids:
        return {}
    posts = Post.objects.visible_to(viewer).filter(pk__in=post_ids).for_display(viewer)
    return {post.pk: post for post in posts}


def comments_by_ids(*, viewer, comment_ids):
    """{id: comment} of the comments among `comment_ids` that comment_detail would show."""
    if not comment_ids:
        return {}
    comments = _comments_on_visible_posts(viewer).filter(pk__in=comment_ids)
    return {comment.pk: comment for comment in comments}
