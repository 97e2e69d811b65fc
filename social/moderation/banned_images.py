"""Banned images: what moderators removed stays removed, even re-encoded, resized or cropped.

Each removed image is remembered by the 64-bit DCT pHash of its whole frame (at once, from the
hash stored at upload) and of slightly cropped views of it (a task, from the pixels). An
upload is refused when its pHash is within MAX_DISTANCE bits of any of them.

The comparison runs in the database, one query for all the images of a post:
PostgreSQL counts the differing bits with bit_count((a # b)::bit(64)); SQLite calls a
function registered on each new connection (`sqlite_functions_register`). It scans the banned
rows: on PostgreSQL 15, 10,000 bans (140,000 rows) take about 20 ms per uploaded image. Past
a few hundred thousand bans, split the hash into MAX_DISTANCE + 1 indexed chunks: a hash
within MAX_DISTANCE bits of a ban equals it on at least one chunk, so only rows sharing a
chunk need comparing.
"""

from django.db.models import Func, IntegerField, Q, Value
from PIL import Image

from core.images import hamming_distance, perceptual_hash
from core.transactions import write_transaction
from posts.models import Post, PostImage
from social.moderation.models import BannedImage

# How many of the 64 bits may differ. Measured on generated photos (100 bans, 1,300 copies
# re-encoded at JPEG 40, halved, cropped 3-5% anywhere, brightened or darkened 10%, and mixes
# of those; 600 different photos): every copy lands at most 8 bits from its ban's nearest
# view, and no different photo nearer than 10. pHash weights are always 31 of 63, so
# distances are even; at 10 one different photo in 600 matched, at 8 none did.
MAX_DISTANCE = 8
# Each view keeps this fraction of the width and height, anchored left/centre/right and
# top/middle/bottom, so a copy cropped by up to about 5% on any sides is near one of them.
CROP_KEEP = 0.95
CROP_ANCHORS = (0, 50, 100)
# Views are hashed from a copy this wide at most: pHash looks at 32x32 pixels anyway.
VIEW_SOURCE_MAX = 512
SQLITE_FUNCTION = "shutter_hamming64"


class HammingDistance(Func):
    """How many bits differ between two 64-bit integer expressions."""

    arity = 2
    function = SQLITE_FUNCTION
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="bit_count(CAST((%(expressions)s) AS bit(64)))",
            arg_joiner=" # ",
            **extra_context,
        )


def _hamming_sqlite(a, b):
    if a is None or b is None:
        return None
    return hamming_distance(a, b)


def sqlite_functions_register(sender, connection, **kwargs):
    """connection_created receiver: give SQLite the bit count PostgreSQL has built in."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION, 2, _hamming_sqlite, deterministic=True
        )


def banned_matches(phashes):
    """The positions in `phashes` of the hashes within MAX_DISTANCE of a banned image.

    One query, whatever the number of hashes.
    """
    wanted = [h for h in phashes if h is not None]
    if not wanted:
        return []
    near_any = Q()
    for h in set(wanted):
        near_any |= Q(**{f"d{_key(h)}__lte": MAX_DISTANCE})
    distances = {f"d{_key(h)}": HammingDistance("phash", Value(h)) for h in set(wanted)}
    banned = list(
        BannedImage.objects.alias(**distances).filter(near_any).values_list("phash", flat=True)
    )
    return [
        index
        for index, h in enumerate(phashes)
        if h is not None and any(hamming_distance(h, b) <= MAX_DISTANCE for b in banned)
    ]


def _key(phash):
    # An annotation name per hash; hashes are signed, and names can't hold a minus sign.
    return f"{phash & ((1 << 64) - 1):x}"


def view_name(left, top):
    keep = round(CROP_KEEP * 100)
    return f"{keep}x{keep}@{left},{top}"


def crop_views(img):
    """{view name: pHash} of the slightly cropped views of `img` (its whole frame excluded)."""
    img = img.convert("RGB")
    if img.width > VIEW_SOURCE_MAX:
        height = max(1, round(img.height * VIEW_SOURCE_MAX / img.width))
        img = img.resize((VIEW_SOURCE_MAX, height), Image.Resampling.BILINEAR)
    width, height = img.size
    crop_w, crop_h = round(width * CROP_KEEP), round(height * CROP_KEEP)
    views = {}
    for left in CROP_ANCHORS:
        for top in CROP_ANCHORS:
            x = round((width - crop_w) * left / 100)
            y = round((height - crop_h) * top / 100)
            views[view_name(left, top)] = perceptual_hash(img.crop((x, y, x + crop_w, y + crop_h)))
    for left in (0, 100):  # only the width cropped
        x = round((width - crop_w) * left / 100)
        views[f"{round(CROP_KEEP * 100)}x100@{left},0"] = perceptual_hash(
            img.crop((x, 0, x + crop_w, height))
        )
    for top in (0, 100):  # only the height cropped
        y = round((height - crop_h) * top / 100)
        views[f"100x{round(CROP_KEEP * 100)}@0,{top}"] = perceptual_hash(
            img.crop((0, y, width, y + crop_h))
        )
    return views


# --- Banning and lifting bans (inside the moderation services' transactions) ------------------


def images_ban(*, post, moderator):
    """Ban the whole-frame hashes of `post`'s images, in the caller's transaction.

    The cropped views follow from `banned_image_views_add`, which needs the pixels.
    """
    hashes = PostImage.objects.filter(post=post, phash__isnull=False).values_list("pk", "phash")
    BannedImage.objects.bulk_create(
        [
            BannedImage(image_id=pk, post=post, phash=phash, banned_by=moderator)
            for pk, phash in hashes
        ],
        ignore_conflicts=True,
    )


def images_unban(*, post):
    """Lift every ban that came from `post`, in the caller's transaction."""
    BannedImage.objects.filter(post=post).delete()


def _image_views(image):
    """The cropped views of one stored image, hashed; {} when its file can't be read."""
    source = image.display or image.image
    try:
        with source.open("rb") as stored, Image.open(stored) as img:
            img.load()
            return crop_views(img)
    except (OSError, ValueError, SyntaxError):
        return {}


def banned_image_views_add(*, post_id):
    """Ban the slightly cropped views of a removed post's images; returns how many it hashed.

    Idempotent, and does nothing once the post is restored or gone. The pixels are read before
    the transaction, so no lock waits on storage.
    """
    images = list(PostImage.objects.filter(post_id=post_id, post__removed_at__isnull=False))
    views = {image.pk: _image_views(image) for image in images}
    rows = [
        BannedImage(image_id=image_id, post_id=post_id, view=name, phash=phash)
        for image_id, hashes in views.items()
        for name, phash in hashes.items()
    ]
    with write_transaction():
        # Under the post's lock: a restore that committed meanwhile must not get bans back.
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        if post is None or post.removed_at is None:
            return 0
        for row in rows:
            row.banned_by_id = post.removed_by_id
        BannedImage.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
