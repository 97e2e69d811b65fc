"""Images uploaded before their post exists (MediaUpload), and the post made from them.

The Mastodon client API uploads each image on its own, then names the uploads in a new status.
An upload passes exactly the checks of post_create (format, bytes, pixels, the hourly budget,
banned images) when it arrives; publishing moves its stored files onto the post's images, so
nothing is decoded twice. Unused uploads are deleted by a beat job after UPLOAD_TTL.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from PIL import Image

from core import images as media
from core.db_router import pin_to_primary
from core.outbox import outbox_enqueue
from posts.models import MediaUpload
from posts.services.common import write_transaction
from posts.services.posts import (
    ALT_TEXT_MAX,
    _banned_refuse,
    _caption_errors,
    _files_delete,
    _image_count_errors,
    _prepare_all,
    _publish,
    _store,
    _store_originals,
)

UPLOAD_VARIANTS_TASK = "posts.tasks.media_upload_variants_make"
# How long an upload waits for its post before the beat job deletes it.
UPLOAD_TTL = timedelta(days=1)


def _alt_text_check(alt_text):
    if len(alt_text) > ALT_TEXT_MAX:
        raise ValidationError(
            {"description": [f"An alt text can be at most {ALT_TEXT_MAX} characters."]}
        )


def _focus_clean(focus):
    """(x, y) from Mastodon's "x,y" (each -1.0..1.0); ValidationError otherwise."""
    try:
        x, y = (float(part) for part in str(focus).split(","))
    except ValueError:
        raise ValidationError(
            {"focus": ['Give the focal point as "x,y", each -1.0 to 1.0.']}
        ) from None
    if not (-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0):
        raise ValidationError({"focus": ["Each coordinate of the focal point is -1.0 to 1.0."]})
    return x, y


def media_upload_create(*, owner, upload, alt_text="", focus=None):
    """Check and store one image for a post to come; its variants follow from a worker.

    Raises ValidationError (field images) like post_create, and stores nothing then.
    """
    alt_text = (alt_text or "").strip()
    _alt_text_check(alt_text)
    focus_x, focus_y = _focus_clean(focus) if focus else (0.0, 0.0)
    label = getattr(upload, "name", None) or "The image"
    (prepared,) = _prepare_all(author=owner, images=[upload], labels=[label])
    _banned_refuse([prepared], [label])
    (name,) = _store_originals([prepared])
    try:
        with write_transaction():
            row = MediaUpload.objects.create(
                owner=owner,
                image=name,
                width=prepared.width,
                height=prepared.height,
                phash=prepared.phash,
                alt_text=alt_text,
                focus_x=focus_x,
                focus_y=focus_y,
            )
            outbox_enqueue(UPLOAD_VARIANTS_TASK, row.pk)
    except BaseException:
        _files_delete([name])
        raise
    return row


def media_upload_update(*, owner, upload_id, alt_text=None, focus=None):
    """Change an unused upload's alt text and/or focal point; MediaUpload.DoesNotExist when
    `owner` has no such upload."""
    alt_text = alt_text.strip() if alt_text is not None else None
    if alt_text is not None:
        _alt_text_check(alt_text)
    point = _focus_clean(focus) if focus else None
    with write_transaction():
        row = MediaUpload.objects.select_for_update().get(pk=upload_id, owner=owner)
        if alt_text is not None:
            row.alt_text = alt_text
        if point is not None:
            row.focus_x, row.focus_y = point
        row.save(update_fields=["alt_text", "focus_x", "focus_y"])
    return row


def media_upload_variants_create(*, upload_id):
    """Make an upload's display and thumbnail files unless it has them (or is gone)."""
    pin_to_primary()
    row = MediaUpload.objects.filter(pk=upload_id).first()
    if row is None or row.display:
        return False
    try:
        stored = row.image.open("rb")
    except FileNotFoundError:
        return False
    with stored, Image.open(stored) as img:
        media.draft_for_variants(img)
        img.load()
        display = media.display_variant(img)
        thumbnail = media.thumbnail_variant(img)
    names = [_store("display", None, "display.jpg", display)]
    names.append(_store("thumbnail", None, "thumbnail.jpg", thumbnail))
    with write_transaction():
        updated = MediaUpload.objects.filter(pk=upload_id, display="").update(
            display=names[0], thumbnail=names[1]
        )
    if not updated:
        _files_delete(names)
    return bool(updated)


def post_create_from_uploads(*, author, upload_ids, caption=""):
    """Publish a post of `author`'s unused uploads, in the order given.

    ValidationError (images, caption) when there are none, too many, or one is not theirs (or
    already used); the uploads are consumed only when the post is made.
    """
    caption = (caption or "").strip()
    upload_ids = list(dict.fromkeys(upload_ids))
    errors = {}
    if messages := _image_count_errors(len(upload_ids)):
        errors["images"] = messages
    if messages := _caption_errors(caption):
        errors["caption"] = messages
    if errors:
        raise ValidationError(errors)
    found = {row.pk: row for row in MediaUpload.objects.filter(pk__in=upload_ids, owner=author)}
    missing = [str(pk) for pk in upload_ids if pk not in found]
    if missing:
        raise ValidationError({"images": [f"No upload of yours has the id {', '.join(missing)}."]})
    rows = [found[pk] for pk in upload_ids]

    def consume():
        # Inside the post's transaction: two statuses racing for one upload can't both have it.
        deleted, _ = MediaUpload.objects.filter(pk__in=upload_ids, owner=author).delete()
        if deleted != len(upload_ids):
            raise ValidationError({"images": ["An upload was used meanwhile; upload it again."]})

    return _publish(
        author=author,
        caption=caption,
        before=consume,
        images=[
            {
                "image": row.image.name,
                "display": row.display.name or "",
                "thumbnail": row.thumbnail.name or "",
                "width": row.width,
                "height": row.height,
                "phash": row.phash,
                "alt_text": row.alt_text,
            }
            for row in rows
        ],
    )


def media_uploads_prune(*, older_than=None):
    """Delete uploads no post used within UPLOAD_TTL, and their files. Returns how many."""
    cutoff = timezone.now() - (older_than or UPLOAD_TTL)
    stale = MediaUpload.objects.filter(created_at__lt=cutoff)
    with write_transaction():
        rows = list(stale.select_for_update().values_list("pk", "image", "display", "thumbnail"))
        MediaUpload.objects.filter(pk__in=[row[0] for row in rows]).delete()
        names = [name for row in rows for name in row[1:]]
        transaction.on_commit(lambda: _files_delete(names), robust=True)
    return len(rows)


__all__ = [
    "UPLOAD_TTL",
    "media_upload_create",
    "media_upload_update",
    "media_upload_variants_create",
    "media_uploads_prune",
    "post_create_from_uploads",
]
