"""Banned images: a photo moderators removed can't be posted again, even re-encoded, resized,
cropped a little or brightened, while different photos still can.

The photos are generated with the structure real ones have (a lit gradient, overlapping
shapes, sensor-like noise, a little blur): flat colours would all hash alike.
"""

import functools
import io
import random

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Value
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from accounts.tests.factories import UserFactory
from core.images import hamming_distance, perceptual_hash
from posts.models import Post
from posts.services import post_create
from posts.tests.factories import media_files, upload
from social.moderation import services as moderation
from social.moderation.banned_images import MAX_DISTANCE, HammingDistance, banned_matches
from social.moderation.models import BannedImage
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db
BANNED_SEEDS = range(100, 106)
OTHER_SEEDS = range(200, 224)
SIZES = [(800, 600), (600, 800), (700, 700), (1080, 720)]


@functools.cache
def photo(seed):
    """A photo-like picture drawn from `seed`: gradient light, shapes, noise, soft focus.

    Cached: the tests only ever derive new images from it.
    """
    rng = random.Random(seed)
    size = rng.choice(SIZES)
    width, height = size
    light = Image.linear_gradient("L").resize(size).rotate(rng.uniform(0, 360), fillcolor=128)
    colours = [tuple(rng.randrange(256) for _ in range(3)) for _ in range(2)]
    img = Image.composite(
        Image.new("RGB", size, colours[0]), Image.new("RGB", size, colours[1]), light
    )
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 12)):
        fill = tuple(rng.randrange(256) for _ in range(3))
        x0, y0 = rng.randrange(width), rng.randrange(height)
        box = [x0, y0, x0 + rng.randint(40, width // 2), y0 + rng.randint(40, height // 2)]
        shape = rng.choice(["ellipse", "rectangle", "polygon", "line"])
        if shape == "polygon":
            points = [
                (rng.randrange(width), rng.randrange(height)) for _ in range(rng.randint(3, 6))
            ]
            draw.polygon(points, fill=fill)
        elif shape == "line":
            points = [(rng.randrange(width), rng.randrange(height)) for _ in range(4)]
            draw.line(points, fill=fill, width=rng.randint(5, 30))
        else:
            getattr(draw, shape)(box, fill=fill)
    noise = Image.effect_noise(size, rng.uniform(10, 40)).convert("RGB")
    img = Image.blend(img, noise, 0.15)
    return img.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.5)))


def jpeg(img, quality=90):
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def decoded(data):
    return Image.open(io.BytesIO(data))


def crop(img, keep, left, top):
    """Keep `keep` of each side, the rest cut at the left/top by those fractions of it."""
    w, h = round(img.width * keep), round(img.height * keep)
    x, y = round((img.width - w) * left), round((img.height - h) * top)
    return img.crop((x, y, x + w, y + h))


TRANSFORMS = {
    "re-encoded as JPEG quality 40": lambda img: decoded(jpeg(img, 40)),
    "resized to 50%": lambda img: img.resize((img.width // 2, img.height // 2)),
    "cropped 5%, centred": lambda img: crop(img, 0.95, 0.5, 0.5),
    "cropped 5%, top left kept": lambda img: crop(img, 0.95, 0, 0),
    "cropped 5%, off-centre": lambda img: crop(img, 0.95, 0.8, 0.3),
    "cropped 5% on the right only": lambda img: img.crop(
        (0, 0, round(img.width * 0.95), img.height)
    ),
    "brightened 10%": lambda img: ImageEnhance.Brightness(img).enhance(1.1),
    "darkened 10%": lambda img: ImageEnhance.Brightness(img).enhance(0.9),
    "cropped, resized, brightened, JPEG 40": lambda img: decoded(
        jpeg(ImageEnhance.Brightness(crop(img, 0.95, 0.3, 0.7)).enhance(1.1).resize((400, 300)), 40)
    ),
}


@pytest.fixture
def banned(django_capture_on_commit_callbacks):
    """The BANNED_SEEDS photos, posted and then removed by a moderator (cropped views too)."""
    author, moderator = UserFactory(), moderator_make()
    originals = {}
    for seed in BANNED_SEEDS:
        originals[seed] = photo(seed)
        post = post_create(author=author, images=[upload(f"{seed}.jpg", jpeg(originals[seed]))])
        with django_capture_on_commit_callbacks(execute=True):
            moderation.post_remove(moderator=moderator, post=post, reason="Removed in a test")
    return originals


def test_every_transformed_copy_of_a_banned_photo_is_matched(banned):
    copies = {
        (seed, name): perceptual_hash(transform(original))
        for seed, original in banned.items()
        for name, transform in TRANSFORMS.items()
    }

    matched = banned_matches(list(copies.values()))

    missed = [key for index, key in enumerate(copies) if index not in matched]
    assert missed == []
    assert len(matched) == len(BANNED_SEEDS) * len(TRANSFORMS)  # 54 of 54


def test_different_photos_are_not_matched(banned):
    others = [perceptual_hash(photo(seed)) for seed in OTHER_SEEDS]

    assert banned_matches(others) == []  # 0 of 24


def test_different_photos_stay_clear_of_the_threshold(banned):
    """A margin, not just a pass: the nearest different photo is well past MAX_DISTANCE."""
    bans = list(BannedImage.objects.values_list("phash", flat=True))
    others = [perceptual_hash(photo(seed)) for seed in OTHER_SEEDS]

    nearest = min(hamming_distance(other, ban) for other in others for ban in bans)

    assert nearest > MAX_DISTANCE


def test_post_create_refuses_a_banned_photo_naming_the_file_and_stores_nothing(banned):
    author = UserFactory()
    before = media_files()
    copy = upload("photo.jpg", jpeg(banned[BANNED_SEEDS[0]].resize((400, 300)), 60))
    fine = upload("garden.jpg", jpeg(photo(300)))

    with pytest.raises(ValidationError) as error:
        post_create(author=author, images=[fine, copy])

    assert error.value.message_dict == {
        "images": ["photo.jpg matches an image removed by our moderators."]
    }
    assert not Post.objects.filter(author=author).exists()
    assert media_files() == before


def test_a_photo_may_be_posted_again_once_its_post_is_restored(banned):
    moderator = moderator_make()
    seed = BANNED_SEEDS[0]
    for post in Post.objects.filter(removed_at__isnull=False):
        if hamming_distance(post.images.get().phash, perceptual_hash(banned[seed])) == 0:
            moderation.post_restore(moderator=moderator, post=post, reason="Appeal accepted")

    post = post_create(author=UserFactory(), images=[upload("again.jpg", jpeg(banned[seed], 70))])

    assert post.pk is not None


def test_matching_a_whole_post_is_one_query(banned, django_assert_num_queries):
    hashes = [perceptual_hash(photo(seed)) for seed in OTHER_SEEDS[:10]]

    with django_assert_num_queries(1):  # SELECT phash FROM banned images near any of them
        banned_matches(hashes)


def test_no_hashes_means_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert banned_matches([None]) == []


def test_the_database_counts_differing_bits_like_python():
    rng = random.Random(7)
    values = [rng.randrange(-(1 << 63), 1 << 63) for _ in range(40)] + [0, -1, 1 << 62, -(1 << 63)]
    rows = BannedImage.objects.bulk_create(BannedImage(phash=v) for v in values)
    probe = values[3]

    found = dict(
        BannedImage.objects.filter(pk__in=[r.pk for r in rows])
        .annotate(d=HammingDistance("phash", Value(probe)))
        .values_list("phash", "d")
    )

    assert found == {v: hamming_distance(v, probe) for v in values}


def test_postgresql_counts_the_bits_of_the_xor_natively():
    from django.db.backends.postgresql.base import DatabaseWrapper

    from posts.models import PostImage

    qs = PostImage.objects.annotate(d=HammingDistance("phash", Value(5)))
    compiler = qs.query.get_compiler(connection=DatabaseWrapper(connection.settings_dict, "pg"))
    sql, params = qs.query.annotations["d"].as_postgresql(compiler, compiler.connection)

    assert sql == 'bit_count(CAST(("posts_postimage"."phash" # %s) AS bit(64)))'
    assert params == (5,)
