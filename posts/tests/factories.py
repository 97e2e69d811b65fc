import functools
import io
import random
import struct
import zlib
from pathlib import Path

import factory
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from accounts.tests.factories import UserFactory
from posts.models import Comment, Hashtag, Post, PostImage


def image_upload(name="photo.jpg", size=(64, 48), color=(200, 80, 40), fmt="JPEG", exif=None):
    """An uploaded file holding a real, decodable image."""
    buf = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    Image.new("RGB", size, color).save(buf, format=fmt, **kwargs)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(fmt, "")
    return SimpleUploadedFile(name, buf.getvalue(), content_type=content_type)


def structured_image(seed=0, size=(640, 480), mode="RGB"):
    """A photo-like image: a gradient with shapes placed by `seed`.

    Flat colours all look alike to a perceptual hash; these differ the way photos do.
    """
    rng = random.Random(seed)
    width, height = size
    start = [rng.randrange(256) for _ in range(3)]
    end = [rng.randrange(256) for _ in range(3)]
    img = Image.new("RGB", size)
    draw = ImageDraw.Draw(img)
    for x in range(width):
        t = x / max(1, width - 1)
        draw.line(
            [(x, 0), (x, height)],
            fill=tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True)),
        )
    for _ in range(6):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        x1 = min(width, x0 + rng.randrange(width // 8, width // 2))
        y1 = min(height, y0 + rng.randrange(height // 8, height // 2))
        colour = tuple(rng.randrange(256) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x0, y0, x1, y1), fill=colour)
    return img.convert(mode) if mode != "RGB" else img


def image_bytes(img, fmt="JPEG", **options):
    buf = io.BytesIO()
    img.save(buf, format=fmt, **options)
    return buf.getvalue()


def upload(name, data, content_type=""):
    """An uploaded file as the browser would send it; name and type are the client's claim."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def photo_upload(name="photo.jpg", seed=0, size=(640, 480), fmt="JPEG", **options):
    """An upload of a structured (photo-like) image."""
    return upload(name, image_bytes(structured_image(seed, size), fmt, **options))


def png_of_zeros(width, height):
    """A valid 1-bit PNG of `width` x `height` black pixels, tiny however large it claims to be.

    Built by hand, so a test can hold a 400-megapixel "decompression bomb" without making it.
    """
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row * min(1000, height - y)) for y in range(0, height, 1000)]
    data = b"".join(parts) + packer.flush()

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


@functools.cache
def single_colour_png(width=6300, height=6300, colour=(200, 80, 40)):
    """The upload of the trust finding: an RGB PNG of one colour, about 131 KB for 6300 x 6300
    (39.7 megapixels), compressed as Pillow does (zlib level 6). Built row by row, never held
    as an image, and once per test process (it takes a second or two)."""
    row = b"\x00" + bytes(colour) * width
    packer = zlib.compressobj(6)
    parts = [packer.compress(row * min(100, height - y)) for y in range(0, height, 100)]
    data = b"".join(parts) + packer.flush()

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def media_files():
    """Every file under MEDIA_ROOT, relative to it (each test has its own MEDIA_ROOT)."""
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


class PostFactory(factory.django.DjangoModelFactory):
    """A raw Post row with one image; counters and hashtags are not maintained here."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    caption = factory.Faker("sentence")

    @factory.post_generation
    def images(self, create, extracted, **kwargs):
        if not create:
            return
        for position in range(extracted if isinstance(extracted, int) else 1):
            PostImage.objects.create(
                post=self, position=position, image=image_upload(f"p{self.pk}-{position}.jpg")
            )


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Faker("sentence")


class HashtagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hashtag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag{n}")
