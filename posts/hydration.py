"""Turning a page of post ids into what every list shows: `post_cards(ids, viewer=...)`.

A list (home feed, explore, tag, profile grid, saved) first selects the ids of its page with
the visibility rule (posts.models.post_visible_q, in the selector's query); this module only
dresses those ids, so it never decides who sees what and never caches who may.

A card has two parts:

- what is the same for every viewer and rarely changes: caption (and its linked HTML), dates,
  the images in order with their URLs (computed once per image, here, not per request), the
  post's page and action URLs. Cached per post under `postcard:v1:<id>` and read for a whole
  page in one round trip (cache.get_many); misses are built in two queries (posts, images)
  and stored in one more (cache.set_many). Forgotten by the writes that change it
  (`post_cards_forget`): caption or alt-text edit, image variants done, removal, deletion.
- what moves or depends on the viewer: like and comment counts, the author's name, display
  name and avatar, and the viewer's `liked` / `saved`. Read fresh for the whole page in one
  query, so a like, a rename or a new avatar shows on the next read with nothing to forget.

So a page costs at most 2 SQL queries and 2 cache round trips here (1 and 1 when every card is
cached), whatever its size; with the selector's own id query, at most 3 SQL queries.
"""

from dataclasses import dataclass, field
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Value
from django.urls import reverse

from posts.cache import post_card_key as card_key
from posts.cache import post_cards_forget
from posts.models import Like, Post, PostImage, SavedPost
from posts.services.text import text_html

__all__ = ["AuthorCard", "ImageCard", "PostCard", "post_card_of", "post_cards", "post_cards_forget"]


class FileURL(str):
    """A stored file's URL standing where templates expect a FieldFile (`.url`, truthy)."""

    @property
    def url(self):
        return str(self)


@dataclass(slots=True)
class AuthorCard:
    """A post's author as lists show them; `avatar` is a FileURL (or None) like User.avatar."""

    id: int
    username: str
    display_name: str
    avatar_url: str | None

    @property
    def pk(self):
        return self.id

    @property
    def avatar(self):
        return FileURL(self.avatar_url) if self.avatar_url else None

    @property
    def profile_url(self):
        return _profile_url(self.username)


@dataclass(slots=True)
class ImageCard:
    """One image: relative URLs of the original and its variants (display and thumbnail fall
    back to the original while pending), and the `src`/`srcset` strings the pages use."""

    url: str
    display_url: str
    thumbnail_url: str
    width: int
    height: int
    alt_text: str
    src: str
    srcset: str
    thumb_src: str
    thumb_srcset: str


@dataclass(slots=True)
class PostCard:
    """A post as every list shows it, for the API serializer and the templates alike."""

    id: int
    author_id: int
    caption: str
    caption_html: str
    created_at: object
    edited_at: object
    images: tuple
    urls: dict
    author: AuthorCard | None = None
    like_count: int = 0
    comment_count: int = 0
    liked: bool = False
    saved: bool = False
    # Anything a selector adds about the row (e.g. `saved_at`); not cached.
    extra: dict = field(default_factory=dict)

    @property
    def pk(self):
        return self.id


def post_cards(post_ids, *, viewer):
    """The cards of `post_ids` in their order, for `viewer`; ids no longer there are left out.

    The ids must already be filtered by post_visible_q for `viewer`. At most 2 SQL queries and
    2 cache round trips for any number of ids.
    """
    ids = list(dict.fromkeys(post_ids))
    if not ids:
        return []
    keys = [card_key(pk) for pk in ids]
    found = cache.get_many(keys)
    stored = {pk: found[key] for pk, key in zip(ids, keys, strict=True) if key in found}
    missing = [pk for pk in ids if pk not in stored]
    if missing:
        built = _stored_cards_build(missing)
        if built:
            cache.set_many(
                {card_key(pk): value for pk, value in built.items()},
                settings.SHUTTER_CACHE_TTL["POST_CARD"],
            )
        stored.update(built)
    states = _live_state(ids, viewer)
    return [_card(stored[pk], states[pk]) for pk in ids if pk in stored and pk in states]


def post_card_of(post):
    """The card of a post already loaded by Post.objects.for_display (author selected, images
    prefetched, `liked`/`saved` annotated): no query, nothing cached. For a post's own page."""
    value = _stored_card(post, list(post.images.all()))
    author = post.author
    state = (
        post.like_count,
        post.comment_count,
        author.username,
        author.display_name,
        author.avatar.name or "",
        getattr(post, "liked", False),
        getattr(post, "saved", False),
    )
    return _card(value, state)


# --- Building ----------------------------------------------------------------------------------


def _stored_cards_build(ids):
    """{id: stored card} of the posts among `ids` that exist: 2 queries."""
    images = Prefetch("images", queryset=PostImage.objects.order_by("position"))
    posts = (
        Post.objects.filter(pk__in=ids)
        .select_related("author")
        .only("pk", "author_id", "caption", "created_at", "edited_at", "author__avatar")
        .prefetch_related(images)
    )
    return {post.pk: _stored_card(post, list(post.images.all())) for post in posts}


def _stored_card(post, images):
    """The cached, viewer-independent part of a card, as plain data (safe to pickle)."""
    avatar = post.author.avatar
    return {
        "id": post.pk,
        "author_id": post.author_id,
        "caption": post.caption,
        "caption_html": text_html(post.caption),
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "images": tuple(_image_data(image) for image in images),
        "urls": _post_urls(post.pk),
        # The author's avatar URL by file name; a new avatar is looked up once per request.
        "avatars": {avatar.name: avatar.url} if avatar else {},
    }


def _image_data(image):
    shutter = settings.SHUTTER
    original = image.image.url
    display = image.display.url if image.display else None
    thumbnail = image.thumbnail.url if image.thumbnail else None
    display_width = min(image.width or shutter["DISPLAY_WIDTH"], shutter["DISPLAY_WIDTH"])
    # The same candidates as posts.templatetags.shutter's image_srcset and thumb_srcset.
    srcset = []
    if thumbnail and image.width and image.width == image.height:
        srcset.append(f"{thumbnail} {shutter['THUMBNAIL_SIZE']}w")
    if display:
        srcset.append(f"{display} {display_width}w")
    elif image.width:
        srcset.append(f"{original} {image.width}w")
    thumb_srcset = []
    if thumbnail:
        thumb_srcset.append(f"{thumbnail} {shutter['THUMBNAIL_SIZE']}w")
    if display:
        thumb_srcset.append(f"{display} {display_width}w")
    elif not thumb_srcset and image.width:
        thumb_srcset.append(f"{original} {image.width}w")
    return (
        original,
        display or original,
        thumbnail or original,
        image.width,
        image.height,
        image.alt_text,
        display or original,
        ", ".join(srcset),
        thumbnail or display or original,
        ", ".join(thumb_srcset),
    )


_POST_ROUTES = {
    "detail": "post-detail",
    "edit": "post-edit",
    "delete": "post-delete",
    "report": "post-report",
    "like": "like",
    "unlike": "unlike",
    "save": "save",
    "unsave": "unsave",
    "comment_add": "comment-add",
}


def _post_urls(post_id):
    return {name: reverse(f"posts:{route}", args=[post_id]) for name, route in _POST_ROUTES.items()}


@memoize
def _profile_url_pattern():
    marker = "0shutter0"
    return reverse("accounts:profile", args=[marker]).replace(marker, "{}")


def _profile_url(username):
    return _profile_url_pattern().format(username)


@memoize
def _avatar_storage():
    from accounts.models import User

    return User._meta.get_field("avatar").storage


def _avatar_url(value, name):
    """The avatar's URL, computed once per avatar file and kept in the stored card."""
    if not name:
        return None
    avatars = value["avatars"]
    url = avatars.get(name)
    if url is None:
        url = avatars[name] = _avatar_storage().url(name)
    return url


# --- Reading -----------------------------------------------------------------------------------


def _live_state(ids, viewer):
    """{id: (likes, comments, username, display name, avatar, liked, saved)}: one query."""
    qs = Post.objects.filter(pk__in=ids)
    if viewer is not None and viewer.is_authenticated:
        qs = qs.annotate(
            liked=Exists(Like.objects.filter(post=OuterRef("pk"), user=viewer)),
            saved=Exists(SavedPost.objects.filter(post=OuterRef("pk"), user=viewer)),
        )
    else:
        qs = qs.annotate(liked=Value(False), saved=Value(False))
    rows = qs.values_list(
        "pk",
        "like_count",
        "comment_count",
        "author__username",
        "author__display_name",
        "author__avatar",
        "liked",
        "saved",
    ).order_by()
    return {row[0]: row[1:] for row in rows}


def _card(value, state):
    likes, comments, username, display_name, avatar, liked, saved = state
    author = AuthorCard(
        value["author_id"], username, display_name, _avatar_url(value, avatar or "")
    )
    return PostCard(
        id=value["id"],
        author_id=value["author_id"],
        caption=value["caption"],
        caption_html=value["caption_html"],
        created_at=value["created_at"],
        edited_at=value["edited_at"],
        images=tuple(ImageCard(*image) for image in value["images"]),
        urls=value["urls"],
        author=author,
        like_count=likes,
        comment_count=comments,
        liked=bool(liked),
        saved=bool(saved),
    )
