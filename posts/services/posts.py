"""Creating, editing and deleting posts, and making their image variants."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from PIL import Image

from accounts.cache import profile_cache_forget
from accounts.models import User
from core import images as media
from core.db_router import pin_to_primary
from core.outbox import outbox_enqueue
from core.upload_budget import upload_budget_charge
from posts.models import Post, PostImage
from posts.services.common import (
    counter_move,
    post_visible_or_404,
    write_transaction,
)
from posts.services.text import mentions_sync, post_hashtags_sync
from social.graph.triggers import timeline_post_changed

logger = logging.getLogger(__name__)

VARIANTS_TASK = "posts.tasks.post_image_variants_make"
CAPTION_MAX = Post._meta.get_field("caption").max_length
ALT_TEXT_MAX = PostImage._meta.get_field("alt_text").max_length


@dataclass
class PreparedImage:
    """An upload that passed every check, re-encoded and ready to store."""

    content: ContentFile
    extension: str
    width: int
    height: int
    phash: int


# --- Checks (no side effects) ------------------------------------------------------------------


def _caption_errors(caption):
    if len(caption) > CAPTION_MAX:
        return [f"A caption can be at most {CAPTION_MAX} characters; this one has {len(caption)}."]
    return []


def _alt_text_errors(alt_texts, *, image_count, labels=None):
    errors = []
    if len(alt_texts) > image_count:
        errors.append(f"There are {len(alt_texts)} alt texts for {image_count} images.")
    for index, text in enumerate(alt_texts[:image_count]):
        if len(text) > ALT_TEXT_MAX:
            which = labels[index] if labels else f"image {index + 1}"
            errors.append(
                f"The alt text of {which} has {len(text)} characters; the limit is {ALT_TEXT_MAX}."
            )
    return errors


def _image_count_errors(count):
    limit = settings.SHUTTER["MAX_IMAGES_PER_POST"]
    if count == 0:
        return ["Add at least one image."]
    if count > limit:
        return [f"A post can have at most {limit} images; you chose {count}."]
    return []


def _label(upload, index):
    return getattr(upload, "name", None) or f"Image {index + 1}"


def _clean_texts(texts):
    return [(text or "").strip() for text in texts]


def _check_new_post(*, images, alt_texts, caption):
    """Every cheap check of a new post at once, so the person can fix all of it in one go."""
    labels = [_label(upload, i) for i, upload in enumerate(images)]
    errors = {
        "images": _image_count_errors(len(images)),
        "caption": _caption_errors(caption),
        "alt_texts": _alt_text_errors(alt_texts, image_count=len(images), labels=labels),
    }
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
    return labels


def _prepare(opened):
    img = media.upload_decode(opened)
    try:
        _, extension = media.stored_format(img.format, alpha=img.mode == "RGBA")
        return PreparedImage(
            content=media.encode_original(img, source_format=img.format),
            extension=extension,
            width=img.width,
            height=img.height,
            phash=media.perceptual_hash(img),
        )
    finally:
        img.close()


def _open_all(images, labels):
    """Read every upload's header; refuse them all together if any breaks a limit."""
    opened, errors = [], []
    for upload, label in zip(images, labels, strict=True):
        try:
            opened.append(media.upload_open(upload, label=label))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        for item in opened:
            item.img.close()
        raise ValidationError({"images": errors})
    return opened


def _prepare_all(*, author, images, labels):
    """Decode and re-encode every upload within the author's hourly budget; refuse them all
    together if any is bad. Decoding one at a time bounds the memory to one image's."""
    opened = _open_all(images, labels)
    try:
        upload_budget_charge(
            user_id=author.pk, pixels=sum(item.pixels for item in opened), field="images"
        )
    except ValidationError:
        for item in opened:
            item.img.close()
        raise
    prepared, errors = [], []
    for item in opened:
        try:
            prepared.append(_prepare(item))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"images": errors})
    return prepared


def _upload_checks():
    """The checks layers above add to every upload (settings.SHUTTER_UPLOAD_CHECKS): each takes
    the images' perceptual hashes and returns the indexes it refuses. Moderation's banned-image
    match is one; naming it in settings keeps posts from importing the layer above it."""
    return [import_string(path) for path in settings.SHUTTER_UPLOAD_CHECKS]


def _banned_refuse(prepared, labels):
    """Refuse uploads that match an image moderators removed (perceptual hash; one query)."""
    phashes = [item.phash for item in prepared]
    matches = sorted({i for check in _upload_checks() for i in check(phashes)})
    if matches:
        raise ValidationError(
            {
                "images": [
                    f"{labels[i]} matches an image removed by our moderators." for i in matches
                ]
            }
        )


# --- Storage -----------------------------------------------------------------------------------


def _files_delete(names):
    storage = PostImage._meta.get_field("image").storage
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            # The rows are already gone; a leftover file is only wasted space, so log it.
            logger.exception("Could not delete media file %s", name)


def _store(field_name, instance, filename, content):
    """Save `content` where `field_name`'s upload_to puts it; returns the stored name."""
    field = PostImage._meta.get_field(field_name)
    return field.storage.save(field.generate_filename(instance, filename), content)


def _store_originals(prepared):
    names = []
    try:
        # A row that is never saved, for upload_to, which gives each file a random name.
        placeholder = PostImage()
        for item in prepared:
            names.append(_store("image", placeholder, f"original.{item.extension}", item.content))
    except BaseException:
        _files_delete(names)
        raise
    return names


# --- Services ----------------------------------------------------------------------------------


def post_create(*, author, images, alt_texts=None, caption=""):
    """Publish a post of 1 to 10 images; every image is checked before anything is stored.

    Raises ValidationError (fields images, caption, alt_texts) and leaves no row or file.
    """
    images = list(images)
    caption = (caption or "").strip()
    alt_texts = _clean_texts(alt_texts or [])
    labels = _check_new_post(images=images, alt_texts=alt_texts, caption=caption)
    alt_texts += [""] * (len(images) - len(alt_texts))
    # The heavy work (decoding, encoding, writing files) happens before the transaction, so
    # the database's write lock is held only for the few quick statements below.
    prepared = _prepare_all(author=author, images=images, labels=labels)
    _banned_refuse(prepared, labels)
    names = _store_originals(prepared)
    try:
        with write_transaction():
            post = Post.objects.create(author=author, caption=caption)
            rows = PostImage.objects.bulk_create(
                PostImage(
                    post=post,
                    position=position,
                    image=name,
                    width=item.width,
                    height=item.height,
                    phash=item.phash,
                    alt_text=alt_text,
                )
                for position, (item, name, alt_text) in enumerate(
                    zip(prepared, names, alt_texts, strict=True)
                )
            )
            counter_move(User, author.pk, "post_count", +1)
            profile_cache_forget(author.pk)
            post_hashtags_sync(post=post)
            mentions_sync(actor=author, text=caption, post=post)
            # The post shows at once with its originals; the variants follow from a worker.
            for row in rows:
                outbox_enqueue(VARIANTS_TASK, row.pk)
            timeline_post_changed(post_id=post.pk, author_id=author.pk)
    except BaseException:
        # Only our own transaction's failure is seen here: a caller's outer transaction that
        # rolls back later would leave the files behind, so call this outside one.
        _files_delete(names)
        raise
    return post


def post_author_check(*, actor, post):
    """Let only the author through; others get PermissionDenied, or 404 if they can't see it.

    The rule post_update and post_delete apply, for pages that show their form first.
    """
    if post.author_id == actor.pk:
        return
    post_visible_or_404(actor=actor, post=post)
    raise PermissionDenied("Only the author can change this post.")


def _post_update_check(*, caption, alt_texts, image_count):
    errors = {}
    if caption is not None and (messages := _caption_errors(caption)):
        errors["caption"] = messages
    if alt_texts is not None and (messages := _alt_text_errors(alt_texts, image_count=image_count)):
        errors["alt_texts"] = messages
    if errors:
        raise ValidationError(errors)


def post_update(*, actor, post, caption=None, alt_texts=None):
    """Edit the caption and/or the alt texts (in image order); `None` leaves one unchanged.

    Hashtags and mentions follow the new caption. Returns the post as stored.
    """
    caption = caption.strip() if caption is not None else None
    alt_texts = _clean_texts(alt_texts) if alt_texts is not None else None
    with write_transaction():
        post_author_check(actor=actor, post=post)
        post = Post.objects.select_for_update().get(pk=post.pk)
        images = list(post.images.order_by("position"))
        _post_update_check(caption=caption, alt_texts=alt_texts, image_count=len(images))
        changed = []
        for image, text in zip(images, alt_texts or [], strict=False):
            if image.alt_text != text:
                image.alt_text = text
                changed.append(image)
        if changed:
            PostImage.objects.bulk_update(changed, ["alt_text"])
        caption_changed = caption is not None and caption != post.caption
        if caption_changed:
            post.caption = caption
            post_hashtags_sync(post=post)
            mentions_sync(actor=actor, text=caption, post=post)
        if changed or caption_changed:
            post.edited_at = timezone.now()
            post.save(update_fields=["caption", "edited_at"])
    return post


def post_delete(*, actor, post):
    """Delete a post (author only); its files leave storage once the deletion commits."""
    with write_transaction():
        post_author_check(actor=actor, post=post)
        files = PostImage.objects.filter(post_id=post.pk).values_list(
            "image", "display", "thumbnail"
        )
        names = [name for triple in files for name in triple]
        # Locked, so a moderator's removal or restore can't slip between this read and the
        # delete; a removed post is no longer in post_count.
        locked = Post.objects.select_for_update().filter(pk=post.pk)
        was_removed = locked.values_list("removed_at", flat=True).first() is not None
        _, deleted = Post.objects.filter(pk=post.pk).delete()
        # Two deletes racing: only the one that really removed the row moves the counter.
        if deleted.get(Post._meta.label):
            if not was_removed:
                counter_move(User, post.author_id, "post_count", -1)
            profile_cache_forget(post.author_id)
            timeline_post_changed(post_id=post.pk, author_id=post.author_id)
            transaction.on_commit(lambda: _files_delete(names), robust=True)


def post_image_variants_create(*, image_id):
    """Make the display and thumbnail files of one image, unless it has them already.

    Returns True when it made them. Safe to run twice or after the post was deleted.
    """
    pin_to_primary()  # the image was just committed; a lagging replica may not have it
    image = PostImage.objects.select_related("post").filter(pk=image_id).first()
    if image is None or image.display:
        return False
    try:
        stored = image.image.open("rb")
    except FileNotFoundError:
        # Retrying cannot bring the original back; the post is being deleted or storage lost it.
        logger.warning("Original of PostImage %s is missing; no variants made", image_id)
        return False
    with stored, Image.open(stored) as img:
        media.draft_for_variants(img)
        img.load()
        display = media.display_variant(img)
        thumbnail = media.thumbnail_variant(img)
    # Random names of their own: knowing one file of a post leads to none of its others.
    names = [
        _store("display", image, "display.jpg", display),
        _store("thumbnail", image, "thumbnail.jpg", thumbnail),
    ]
    with write_transaction():
        # Conditional, so a second worker (or a deleted post) keeps what is there.
        updated = PostImage.objects.filter(pk=image_id, display="").update(
            display=names[0], thumbnail=names[1]
        )
    if not updated:
        _files_delete(names)
    return bool(updated)
