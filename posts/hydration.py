"""Turning a page of post ids into what every list shows: `post_cards(ids, viewer=...)`.

A list (home feed, explore, tag, profile grid, saved) first selects the ids of its page with
the visibility rule (posts.models.post_visible_q, in the selector's query); this module only
dresses those ids, so it never decides who sees what and never caches who may.

A card has two parts:

- what is the same for every viewer and rarely changes: caption (and its linked HTML), dates,
  the images in order with their URLs (computed once per image, here, not per request), the
  post's page and action URLs. Cached per post under `postcard:v1:<id>` and read for a whole
  page in one round trip (cache.get_many); misses cost one query for their images and one
  more round trip (cache.set_many). Forgotten by the writes that change it
  (`post_cards_forget`): caption or alt-text edit, image variants done, removal, deletion;
  a card whose caption or edit time no longer matches the row is rebuilt anyway.
- what moves or depends on the viewer: like and comment counts, the author's name, display
  name and avatar, and the viewer's `liked` / `saved`. Read fresh with the page's rows in one
  query (`card_rows`), so a like, a rename or a new avatar shows on the next read with
  nothing to forget.

A list selector pages `card_rows(<its visible queryset>, viewer)` and passes the page to
`card_page`: 1 SQL query and 1 cache round trip when every card is cached, 2 and 2 at most,
whatever the page size. `post_cards(ids, viewer=...)` does the same for ids chosen elsewhere
(a Redis timeline): one query reads the rows of those ids.
"""

from dataclasses import dataclass, field
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.safestring import mark_safe

from core.pagination import KeysetPage
from posts.cache import post_card_key as card_key
from posts.cache import post_cards_forget
from posts.models import Post, PostImage
from posts.services.text import text_html

__all__ = [
    "AuthorCard",
    "ImageCard",
    "PostCard",
    "card_page",
    "card_rows",
    "post_card_of",
    "post_cards",
    "post_cards_forget",
    "post_cards_of_rows",
]


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
    # For the header's Follow button: unfollowing a private account asks first.
    is_private: bool = False

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
    # The viewer's follow of the author: "accepted", "pending" or "" (the header's Follow).
    author_follow: str = ""
    # Anything a selector adds about the row (e.g. `saved_at`); not cached.
    extra: dict = field(default_factory=dict)

    @property
    def pk(self):
        return self.id

    def __getattr__(self, name):
        # What the selector added about the row (a list's ordering values: `score`,
        # `saved_at`…), so keyset pagination and callers read it as on the row.
        try:
            return self.extra[name]
        except KeyError:
            raise AttributeError(name) from None


def post_cards(post_ids, *, viewer):
    """The cards of `post_ids` in their order, for `viewer`; ids no longer there are left out.

    The ids must already be filtered by post_visible_q for `viewer`. 1 SQL query and 1 cache
    round trip when every card is cached; 2 and 2 at most, for any number of ids.
    """
    ids = list(dict.fromkeys(post_ids))
    if not ids:
        return []
    rows = {row.pk: row for row in card_rows(Post.objects.filter(pk__in=ids), viewer)}
    return post_cards_of_rows([rows[pk] for pk in ids if pk in rows])


def card_rows(queryset, viewer):
    """`queryset` reading just what a card needs besides what is cached: the post's own
    fields, its author's name and avatar, and `liked`/`saved` for `viewer` (subqueries).

    A list selector pages this queryset (its rows carry the visibility rule's filter) and
    hands the rows to post_cards_of_rows: its id query is then the card's query too.
    """
    return queryset.select_related("author").only(*CARD_ROW_FIELDS).with_viewer_flags(viewer)


def post_cards_of_rows(rows):
    """The cards of `rows` (from card_rows), in their order: 1 cache round trip when every
    card is cached; else one query for the missing posts' images and one more round trip."""
    rows = list(rows)
    if not rows:
        return []
    keys = [card_key(row.pk) for row in rows]
    found = cache.get_many(keys)
    missing = [
        row for row, key in zip(rows, keys, strict=True) if not _still_fits(found.get(key), row)
    ]
    if missing:
        built = _stored_cards_build(missing)
        cache.set_many(
            {card_key(pk): value for pk, value in built.items()},
            settings.SHUTTER_CACHE_TTL["POST_CARD"],
        )
        found.update((card_key(pk), value) for pk, value in built.items())
    return [_card(found[key], row) for row, key in zip(rows, keys, strict=True)]


def _still_fits(value, row):
    # An edit made without post_cards_forget (a raw update, an admin save) still shows.
    return (
        value is not None
        and value["caption"] == row.caption
        and value["edited_at"] == row.edited_at
    )


def card_page(page, extra=()):
    """A KeysetPage of card_rows rows as the same page of cards; the rows' `extra` attributes
    (a list's own ordering values) come along in each card's `extra`."""
    cards = post_cards_of_rows(page.items)
    for card, row in zip(cards, page.items, strict=True):
        card.extra.update((name, getattr(row, name)) for name in extra)
    return KeysetPage(items=cards, next_cursor=page.next_cursor, has_next=page.has_next)


def post_card_of(post):
    """The card of a post already loaded by Post.objects.for_display (author selected, images
    prefetched, `liked`/`saved` annotated): no query, nothing cached. For a post's own page."""
    return _card(_stored_card(post, list(post.images.all())), post)


# --- Building ----------------------------------------------------------------------------------


CARD_ROW_FIELDS = (
    "pk",
    "author_id",
    "caption",
    "created_at",
    "edited_at",
    "like_count",
    "comment_count",
    "author__username",
    "author__display_name",
    "author__avatar",
    "author__is_private",
)


def _stored_cards_build(rows):
    """{id: stored card} of `rows`: one query for their images, in order."""
    images = {}
    for image in PostImage.objects.filter(post_id__in=[row.pk for row in rows]).order_by(
        "post_id", "position"
    ):
        images.setdefault(image.post_id, []).append(image)
    return {row.pk: _stored_card(row, images.get(row.pk, [])) for row in rows}


def _stored_card(post, images):
    """The cached, viewer-independent part of a card, as plain data (safe to pickle)."""
    avatar = post.author.avatar
    return {
        "id": post.pk,
        "author_id": post.author_id,
        "caption": post.caption,
        "caption_html": str(text_html(post.caption)),
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


def _card(value, row):
    """A card from its stored part and a row read now (counts, author, viewer flags)."""
    author = row.author
    return PostCard(
        id=value["id"],
        author_id=value["author_id"],
        caption=value["caption"],
        # text_html escaped the caption; the mark is lost on its way through a cache.
        caption_html=mark_safe(value["caption_html"]),
        created_at=value["created_at"],
        edited_at=value["edited_at"],
        images=tuple(ImageCard(*image) for image in value["images"]),
        urls=value["urls"],
        author=AuthorCard(
            author.pk,
            author.username,
            author.display_name,
            _avatar_url(value, author.avatar.name or ""),
            author.is_private,
        ),
        like_count=row.like_count,
        comment_count=row.comment_count,
        liked=bool(getattr(row, "liked", False)),
        saved=bool(getattr(row, "saved", False)),
        author_follow=getattr(row, "author_follow", "") or "",
    )
