"""Shutter's rows as the entities of Mastodon's client API, field by field.

https://docs.joinmastodon.org/entities/ — Account, Status, MediaAttachment, Relationship,
Notification, Tag, Marker, Instance. Ids are strings, times ISO 8601 in UTC with milliseconds,
text is HTML. These functions only render what a selector loaded; none of them decides who may
see what.

Ids: a post's status id is its own id ("42"); a comment is a status too (a reply to its post),
with the id COMMENT_ID_BASE + its id ("1000000000000007"), so one /statuses/:id route tells
them apart without a prefix that would break apps comparing ids as numbers.
"""

from datetime import UTC

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from posts.services.text import text_tokens

# Statuses that are comments live above this; posts below (a bigint id space, never reached).
COMMENT_ID_BASE = 10**15


def status_id_of_comment(comment_id):
    return str(COMMENT_ID_BASE + int(comment_id))


def parse_status_id(value):
    """("post", id) or ("comment", id) for a status id; None when it is no id of ours."""
    value = str(value or "")
    if not value.isdigit() or len(value) > 18:
        return None
    number = int(value)
    if number <= 0:
        return None
    if number > COMMENT_ID_BASE:
        return "comment", number - COMMENT_ID_BASE
    return "post", number


def iso(moment):
    """Mastodon's timestamps: 2019-12-08T03:48:33.901Z (UTC, milliseconds)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _abs(request, path):
    return request.build_absolute_uri(path)


def _file_url(request, file):
    return _abs(request, file.url) if file else None


def html_text(request, text):
    """Text as Mastodon's HTML: escaped, in paragraphs, #tags and @mentions as links."""
    text = str(text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    parts, last = [], 0
    for token in text_tokens(text):
        parts.append(escape(text[last : token.start]))
        if token.kind == "hashtag":
            url = _abs(request, reverse("posts:tag", args=[token.name.lower()]))
            parts.append(
                format_html(
                    '<a href="{}" class="mention hashtag" rel="tag">#<span>{}</span></a>',
                    url,
                    token.name,
                )
            )
        else:
            url = _abs(request, f"/u/{token.name}/")
            parts.append(
                format_html(
                    '<span class="h-card"><a href="{}" class="u-url mention">'
                    "@<span>{}</span></a></span>",
                    url,
                    token.name,
                )
            )
        last = token.end
    parts.append(escape(text[last:]))
    body = "".join(parts)
    paragraphs = [p.replace("\n", "<br>") for p in body.split("\n\n") if p.strip()]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))


def _avatar(request, user):
    if user.avatar:
        return _file_url(request, user.avatar)
    return _abs(request, static("img/avatar-missing.png"))


def account(request, user, *, source=False):
    """The Account entity. `source` adds the owner's own `source` block (verify_credentials)."""
    avatar = _avatar(request, user)
    header = _abs(request, static("img/header-missing.png"))
    data = {
        "id": str(user.pk),
        "username": user.username,
        "acct": user.username,
        "display_name": user.display_name or "",
        "locked": bool(user.is_private),
        "bot": False,
        "discoverable": not user.is_private,
        "indexable": not user.is_private,
        "group": False,
        "noindex": bool(user.is_private),
        "created_at": iso(user.date_joined),
        "note": html_text(request, user.bio),
        "url": _abs(request, f"/u/{user.username}/"),
        "uri": _abs(request, f"/u/{user.username}/"),
        "avatar": avatar,
        "avatar_static": avatar,
        "header": header,
        "header_static": header,
        "followers_count": user.follower_count,
        "following_count": user.following_count,
        "statuses_count": user.post_count,
        "last_status_at": None,
        "emojis": [],
        "fields": (
            [{"name": "Website", "value": escape(user.website), "verified_at": None}]
            if user.website
            else []
        ),
    }
    if source:
        data["source"] = {
            "privacy": "private" if user.is_private else "public",
            "sensitive": False,
            "language": "",
            "note": user.bio,
            "fields": [
                {"name": field["name"], "value": user.website, "verified_at": None}
                for field in data["fields"]
            ],
            "follow_requests_count": 0,
        }
        data["role"] = None
    return data


def relationship(user):
    """The Relationship entity from a user annotated by `with_relationship_flags`."""
    return {
        "id": str(user.pk),
        "following": bool(user.is_following),
        "showing_reblogs": bool(user.is_following),
        "notifying": False,
        "languages": None,
        "followed_by": bool(user.is_followed_by),
        "blocking": bool(user.is_blocking),
        "blocked_by": False,
        "muting": bool(user.is_muting),
        "muting_notifications": bool(user.is_muting),
        "requested": bool(user.follow_requested),
        "requested_by": False,
        "domain_blocking": False,
        "endorsed": False,
        "note": "",
    }


def _meta_of(width, height, size=None):
    meta = {"width": width, "height": height}
    if width and height:
        meta["size"] = size or f"{width}x{height}"
        meta["aspect"] = round(width / height, 4)
    return meta


def _display_size(width, height):
    """The display variant's size (core.images.display_variant: at most DISPLAY_WIDTH wide)."""
    bound = settings.SHUTTER["DISPLAY_WIDTH"]
    if not width or not height or width <= bound:
        return width, height
    return bound, max(1, round(height * bound / width))


def media_attachment(request, image):
    """The MediaAttachment entity of a PostImage or a MediaUpload: `url` is the original (EXIF
    stripped), `preview_url` the display variant (the same frame, at most DISPLAY_WIDTH wide),
    which is the original until the worker has made it."""
    small_w, small_h = (
        _display_size(image.width, image.height)
        if image.display
        else (
            image.width,
            image.height,
        )
    )
    return {
        "id": str(image.pk),
        "type": "image",
        "url": _file_url(request, image.image),
        "preview_url": _file_url(request, image.display or image.image),
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": {
            "original": _meta_of(image.width, image.height),
            "small": _meta_of(small_w, small_h),
            "focus": {
                "x": getattr(image, "focus_x", 0.0),
                "y": getattr(image, "focus_y", 0.0),
            },
        },
        "description": image.alt_text or None,
        "blurhash": None,
    }


def tag(request, name, history=None):
    """The Tag entity."""
    return {
        "name": name,
        "url": _abs(request, reverse("posts:tag", args=[name.lower()])),
        "history": history or [],
        "following": False,
    }


def _mentions(request, text):
    """The Mention entities of the accounts `text` names, as request.mastodon_mentions (a map
    of lower-cased username to id the view loaded for the whole page) knows them."""
    known = getattr(request, "mastodon_mentions", {})
    seen, out = set(), []
    for token in text_tokens(text):
        key = token.name.lower()
        if token.kind == "mention" and key not in seen and key in known:
            seen.add(key)
            out.append(
                {
                    "id": str(known[key]),
                    "username": token.name,
                    "url": _abs(request, f"/u/{token.name}/"),
                    "acct": token.name,
                }
            )
    return out


def mentioned_names(texts):
    """The lower-cased usernames mentioned in any of `texts` (for one lookup per page)."""
    return {
        token.name.lower()
        for text in texts
        for token in text_tokens(text)
        if token.kind == "mention"
    }


def _tags(request, text):
    names = dict.fromkeys(t.name.lower() for t in text_tokens(text) if t.kind == "hashtag")
    return [{"name": name, "url": tag(request, name)["url"]} for name in names]


def _base_status(request, *, id, author, created_at, text, url):
    return {
        "id": id,
        "uri": url,
        "url": url,
        "created_at": iso(created_at),
        "account": account(request, author),
        "content": html_text(request, text),
        "visibility": "private" if author.is_private else "public",
        "sensitive": False,
        "spoiler_text": "",
        "media_attachments": [],
        "application": None,
        "mentions": _mentions(request, text),
        "tags": _tags(request, text),
        "emojis": [],
        "reblogs_count": 0,
        "favourites_count": 0,
        "replies_count": 0,
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "reblog": None,
        "poll": None,
        "card": None,
        "language": None,
        "text": None,
        "edited_at": None,
        "favourited": False,
        "reblogged": False,
        "muted": False,
        "bookmarked": False,
        "pinned": False,
        "filtered": [],
    }


def status(request, post):
    """The Status entity of a post loaded `for_display` (author, images, liked, saved)."""
    url = _abs(request, reverse("posts:post-detail", args=[post.pk]))
    data = _base_status(
        request,
        id=str(post.pk),
        author=post.author,
        created_at=post.created_at,
        text=post.caption,
        url=url,
    )
    data.update(
        media_attachments=[media_attachment(request, image) for image in post.images.all()],
        favourites_count=post.like_count,
        replies_count=post.comment_count,
        favourited=bool(getattr(post, "liked", False)),
        bookmarked=bool(getattr(post, "saved", False)),
        edited_at=iso(post.edited_at),
    )
    return data


def comment_status(request, comment):
    """A comment as a Status: a reply to its post, without media, likes or replies."""
    url = _abs(request, reverse("posts:post-detail", args=[comment.post_id]))
    data = _base_status(
        request,
        id=status_id_of_comment(comment.pk),
        author=comment.author,
        created_at=comment.created_at,
        text=comment.text,
        url=f"{url}#comment-{comment.pk}",
    )
    data.update(
        in_reply_to_id=str(comment.post_id),
        in_reply_to_account_id=str(comment.post.author_id),
        # A comment is as visible as its post.
        visibility="private" if comment.post.author.is_private else "public",
    )
    return data


NOTIFICATION_TYPES = {
    "like": "favourite",
    "comment": "mention",
    "mention": "mention",
    "follow": "follow",
    "follow_request": "follow_request",
    "follow_accepted": "follow",
    "report_resolved": "moderation_warning",
    "report_dismissed": "moderation_warning",
}


def notification(request, row, *, post_status=None):
    """The Notification entity of a notification row (actor, post, comment loaded)."""
    kind = NOTIFICATION_TYPES.get(row.kind, row.kind)
    status_data = None
    if row.comment_id is not None:
        status_data = comment_status(request, row.comment)
    elif post_status is not None:
        status_data = post_status
    return {
        "id": str(row.pk),
        "type": kind,
        "created_at": iso(row.created_at),
        "group_key": f"ungrouped-{row.pk}",
        "account": account(request, row.actor),
        "status": status_data,
    }


def marker(row):
    return {
        "last_read_id": row.last_read_id,
        "version": row.version,
        "updated_at": iso(row.updated_at),
    }
