"""Template helpers for Shutter's pages: linked captions, image candidates, short counts.

Every helper works on what the view already loaded; none of them touches the database.
"""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

from posts.services.text import text_html

register = template.Library()

# Instagram's bounds: taller than 4:5 or wider than 1.91:1 gets cropped in the carousel frame.
_MIN_RATIO, _MAX_RATIO = 4 / 5, 1.91


@register.filter(needs_autoescape=True)
def linkify(text, autoescape=True):
    """Caption or comment text, escaped, with #tags and @mentions as links and line breaks kept
    (posts.services.text.text_html: the one place that says where a link goes)."""
    return text_html(text, autoescape=autoescape)


def _display_width(image):
    return min(image.width or settings.SHUTTER["DISPLAY_WIDTH"], settings.SHUTTER["DISPLAY_WIDTH"])


@register.filter
def image_src(image):
    """The URL to put in `src`: the display variant, or the original while it is pending."""
    if not getattr(image, "image", None):
        return ""
    return image.display.url if image.display else image.image.url


@register.filter
def image_srcset(image):
    """`srcset` candidates for a full-frame image (the carousel).

    The square thumbnail only fits an image that is square itself; the original is offered
    only while the display variant is pending, since it may weigh megabytes.
    """
    if not getattr(image, "image", None):
        return ""
    candidates = []
    if image.thumbnail and image.width and image.width == image.height:
        candidates.append(f"{image.thumbnail.url} {settings.SHUTTER['THUMBNAIL_SIZE']}w")
    if image.display:
        candidates.append(f"{image.display.url} {_display_width(image)}w")
    elif image.width:
        candidates.append(f"{image.image.url} {image.width}w")
    return ", ".join(candidates)


@register.filter
def thumb_src(image):
    """The URL for a square grid tile: the thumbnail, else the display variant or the original."""
    if getattr(image, "thumbnail", None):
        return image.thumbnail.url
    return image_src(image)


@register.filter
def thumb_srcset(image):
    """`srcset` candidates for a square grid tile, which crops whatever it gets to a square."""
    if not getattr(image, "image", None):
        return ""
    candidates = []
    if image.thumbnail:
        candidates.append(f"{image.thumbnail.url} {settings.SHUTTER['THUMBNAIL_SIZE']}w")
    if image.display:
        candidates.append(f"{image.display.url} {_display_width(image)}w")
    elif not candidates and image.width:
        candidates.append(f"{image.image.url} {image.width}w")
    return ", ".join(candidates)


@register.filter
def frame_ratio(image):
    """The carousel frame's width/height ratio, from its first image, clamped like Instagram's."""
    if not getattr(image, "width", None) or not getattr(image, "height", None):
        return "1"
    ratio = min(max(image.width / image.height, _MIN_RATIO), _MAX_RATIO)
    return f"{ratio:.4f}"


@register.filter
def suggestion_why(person):
    """Why an account is suggested (posts.suggestions): whom of mine follows it, or else."""
    reason = getattr(person, "reason", "")
    if reason == "followed_by" and person.mutual_name:
        others = person.mutual_count - 1
        more = f" + {others} more" if others > 0 else ""
        return f"Followed by {person.mutual_name}{more}"
    if reason == "interests":
        return "Posts about what you like"
    return "Popular on Shutter"


@register.filter
def follow_state(person):
    """The follow button's state from a user's relationship flags: "accepted", "pending" or ""."""
    if getattr(person, "is_following", False):
        return "accepted"
    if getattr(person, "follow_requested", False):
        return "pending"
    return ""


@register.filter
def count_short(value):
    """1234 → "1,234", 12345 → "12.3K", 1234567 → "1.2M": counts that fit a profile header."""
    try:
        value = int(value)
    except (TypeError, ValueError):
        return value
    if value < 10_000:
        return f"{value:,}"
    for limit, suffix in ((1_000, "K"), (1_000_000, "M"), (1_000_000_000, "B")):
        scaled = round(value / limit, 1)
        # 999,999 rounds to 1000.0K: say 1M instead.
        if scaled < 1000 or suffix == "B":
            return f"{scaled:.1f}".removesuffix(".0") + suffix
    return str(value)


@register.filter
def ago(moment, now=None):
    """How long ago, the way photo apps print it: "now", "5m", "3h", "2d", "4w", then a date."""
    if not moment:
        return ""
    now = now or timezone.now()
    seconds = int((now - moment).total_seconds())
    for limit, unit_seconds, suffix in (
        (60, 1, None),
        (3_600, 60, "m"),
        (86_400, 3_600, "h"),
        (604_800, 86_400, "d"),
        (8 * 604_800, 604_800, "w"),
    ):
        if seconds < limit:
            return f"{seconds // unit_seconds}{suffix}" if suffix else "now"
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return date_format(local, "M j" if local.year == now.year else "M j, Y")
