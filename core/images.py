"""The image pipeline: decode an upload safely, re-encode it clean, make variants, hash it.

An upload is judged by decoding it, never by its name or content type. Whatever is stored is
our own re-encoding of the decoded pixels, so no EXIF, GPS, XMP or ICC block can ride along.
"""

import io
import math
import struct

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow's format ids; only these decoders ever see an upload. HEIF comes from pillow-heif.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
ACCEPTED_FORMATS_TEXT = "JPEG, PNG, WebP or HEIC"
# What each accepted format is stored as: phone HEIC becomes JPEG, which every browser shows.
STORED_FORMAT = {"JPEG": "JPEG", "HEIF": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Decoders signal broken data with any of these; none of them is a bug on our side.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

WHITE = (255, 255, 255)
HASH_SIZE = 8
HASH_SAMPLE = 32


def _megabytes(n_bytes):
    return n_bytes / (1024 * 1024)


def _upload_size(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def _refuse(message):
    raise ValidationError(message, code="invalid_image")


def _limits():
    return settings.SHUTTER["MAX_IMAGE_BYTES"], settings.SHUTTER["MAX_IMAGE_PIXELS"]


def decode_upload(upload, *, label):
    """Decode an uploaded image within the byte, format and pixel limits; upright, no metadata.

    Raises ValidationError naming `label` and the limit it broke.
    """
    max_bytes, max_pixels = _limits()
    max_mp = max_pixels / 1_000_000
    size = _upload_size(upload)
    if size > max_bytes:
        _refuse(
            f"{label} is {_megabytes(size):.1f} MB; "
            f"the limit is {_megabytes(max_bytes):g} MB per image."
        )
    upload.seek(0)
    try:
        # Opening reads only the header; Pillow raises DecompressionBombError here when the
        # header claims more than twice Image.MAX_IMAGE_PIXELS.
        img = Image.open(upload, formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError:
        _refuse(
            f"{label} claims far more than {max_mp:g} megapixels and was not opened; "
            f"the limit is {max_mp:g} megapixels per image."
        )
    except (UnidentifiedImageError, *DECODE_ERRORS):
        _refuse(f"{label} is not an image we accept: use {ACCEPTED_FORMATS_TEXT}.")
    # The header's size decides, before a single pixel is decompressed. Pillow's own guard is
    # only a backstop: our limit sits below Image.MAX_IMAGE_PIXELS, where Pillow merely warns.
    width, height = img.size
    if width * height > max_pixels:
        img.close()
        _refuse(
            f"{label} is {width * height / 1_000_000:.1f} megapixels ({width} x {height}); "
            f"the limit is {max_mp:g} megapixels per image."
        )
    try:
        img.load()
    except Image.DecompressionBombError:
        img.close()
        _refuse(f"{label} decodes to more than {max_mp:g} megapixels; that is the limit.")
    except DECODE_ERRORS:
        img.close()
        _refuse(f"{label} is damaged or incomplete and could not be read; try exporting it again.")
    source_format = img.format
    try:
        upright = ImageOps.exif_transpose(img)
    except DECODE_ERRORS:
        upright = img  # Unreadable EXIF: keep the photo as stored rather than refuse it.
    clean = _to_srgb(upright)
    # Every copy above kept the source's info (exif, xmp, icc_profile, comments); encoders
    # read some of them from there, so the image we hand on carries none.
    clean.info.clear()
    clean.format = source_format
    return clean


def _has_alpha(img):
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        img.mode == "P" and "transparency" in img.info
    )


def _to_srgb(img):
    """RGB or RGBA pixels in sRGB: an embedded colour profile is applied, then dropped."""
    target = "RGBA" if _has_alpha(img) else "RGB"
    profile = img.info.get("icc_profile")
    if profile and img.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            srgb = ImageCms.createProfile("sRGB")
            mode = target if img.mode != "CMYK" else "RGB"
            converted = ImageCms.profileToProfile(img, source, srgb, outputMode=mode)
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # A broken profile: keep the pixels as they are, like browsers do.
    if img.mode.startswith("I") or img.mode == "F":
        # 16-bit greyscale: scale to 8 bits instead of clipping everything to white.
        img = img.convert("I").point(lambda value: value / 256).convert("L")
    return img if img.mode == target else img.convert(target)


def _flatten(img):
    """An RGB image; transparency is laid over white (JPEG has no alpha)."""
    if img.mode == "RGB":
        return img
    if img.mode != "RGBA":
        return img.convert("RGB")
    background = Image.new("RGB", img.size, WHITE)
    background.paste(img, mask=img.getchannel("A"))
    return background


def _encode(img, fmt, name, **options):
    buf = io.BytesIO()
    img.save(buf, format=fmt, **options)
    return ContentFile(buf.getvalue(), name=name)


def _jpeg(img, name):
    return _encode(_flatten(img), "JPEG", name, quality=85, optimize=True, progressive=True)


def stored_format(source_format):
    """The format (and so the file extension) an upload of `source_format` is stored in."""
    fmt = STORED_FORMAT[source_format]
    return fmt, EXTENSION[fmt]


def encode_original(img, *, source_format):
    """The full-size image to store: JPEG q90 for JPEG/HEIC, PNG and WebP kept, no metadata."""
    fmt, ext = stored_format(source_format)
    name = f"original.{ext}"
    if fmt == "JPEG":
        return _encode(_flatten(img), "JPEG", name, quality=90, progressive=True)
    if fmt == "PNG":
        return _encode(img, "PNG", name)
    return _encode(img, "WEBP", name, quality=90, method=4)


def display_variant(img):
    """JPEG at most DISPLAY_WIDTH px wide, never upscaled, alpha flattened on white."""
    max_width = settings.SHUTTER["DISPLAY_WIDTH"]
    if img.width > max_width:
        height = max(1, round(img.height * max_width / img.width))
        img = img.resize((max_width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return _jpeg(img, "display.jpg")


def _square(img, name):
    side = settings.SHUTTER["THUMBNAIL_SIZE"]
    crop = min(img.width, img.height)
    left, top = (img.width - crop) // 2, (img.height - crop) // 2
    box = (left, top, left + crop, top + crop)
    square = img.resize((side, side), Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    return _jpeg(square, name)


def thumbnail_variant(img):
    """JPEG THUMBNAIL_SIZE px square, cropped from the centre."""
    return _square(img, "thumbnail.jpg")


def avatar_variant(img):
    """JPEG THUMBNAIL_SIZE px square avatar, cropped from the centre."""
    return _square(img, "avatar.jpg")


# --- Perceptual hash ----------------------------------------------------------------------------

# cos((2x + 1) * u * pi / 2N): row u is the u-th DCT-II basis over N samples. Only the first
# HASH_SIZE frequencies are ever needed, so only those rows exist.
_DCT_BASIS = [
    [math.cos((2 * x + 1) * u * math.pi / (2 * HASH_SAMPLE)) for x in range(HASH_SAMPLE)]
    for u in range(HASH_SIZE)
]


def _dct_low(values):
    """The first HASH_SIZE DCT-II coefficients of a sequence of HASH_SAMPLE numbers."""
    return [sum(b * v for b, v in zip(basis, values, strict=True)) for basis in _DCT_BASIS]


def perceptual_hash(img):
    """64-bit DCT pHash of `img` as a signed integer (fits a BigIntegerField).

    32x32 greyscale, separable DCT, the 8x8 lowest frequencies thresholded at their median.
    The DC term (overall brightness) stays out of the median; its bit, the lowest, is 0.
    """
    grey = _flatten(img).convert("L")
    small = grey.resize((HASH_SAMPLE, HASH_SAMPLE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    pixels = list(small.tobytes())  # mode L: one byte per pixel
    rows = [pixels[i * HASH_SAMPLE : (i + 1) * HASH_SAMPLE] for i in range(HASH_SAMPLE)]
    row_freqs = [_dct_low(row) for row in rows]  # 32 rows x 8 horizontal frequencies
    columns = [[row[u] for row in row_freqs] for u in range(HASH_SIZE)]
    col_freqs = [_dct_low(column) for column in columns]  # [u][v], both < 8
    ac = [col_freqs[u][v] for v in range(HASH_SIZE) for u in range(HASH_SIZE)][1:]
    median = sorted(ac)[len(ac) // 2]
    bits = 0
    for value in ac:
        bits = (bits << 1) | (value > median)
    bits <<= 1  # the DC slot
    return bits - (1 << 64) if bits >= 1 << 63 else bits


def hamming_distance(a, b):
    """How many of the 64 bits differ between two perceptual hashes."""
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()
