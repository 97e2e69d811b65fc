"""The image pipeline: decode an upload safely, re-encode it clean, make variants, hash it.

An upload is judged by decoding it, never by its name or content type. Whatever is stored is
our own re-encoding of the decoded pixels, so no EXIF, GPS, XMP or ICC block can ride along.
"""

import contextlib
import io
import math
import struct
import tempfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow's format ids; only these decoders ever see an upload. HEIF comes from pillow-heif.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
ACCEPTED_FORMATS_TEXT = "JPEG, PNG, WebP or HEIC"
# What each accepted format is stored as: phone HEIC becomes JPEG, which every browser shows.
# WebP becomes JPEG too (PNG when it has transparency): libwebp's encoder needs about ten
# bytes and, here, most of a second per pixel-megapixel, which a request can't afford; the
# JPEG and PNG encoders stream.
STORED_FORMAT = {"JPEG": "JPEG", "HEIF": "JPEG", "PNG": "PNG", "WEBP": "JPEG"}
EXTENSION = {"JPEG": "jpg", "PNG": "png"}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC"}
# Decoders signal broken data with any of these; none of them is a bug on our side.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)

WHITE = (255, 255, 255)
HASH_SIZE = 8
HASH_SAMPLE = 32
HASH_REDUCING_GAP = 3
# Encoded originals up to this size stay in memory; larger ones wait in a temporary file.
SPOOL_IN_MEMORY = 2 * 1024 * 1024


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


def _limits(source_format=None):
    """The byte limit, the pixel limit, and the decoding limit of `source_format`."""
    shutter = settings.SHUTTER
    decoded = shutter["MAX_WEBP_PIXELS" if source_format == "WEBP" else "MAX_DECODED_PIXELS"]
    return shutter["MAX_IMAGE_BYTES"], shutter["MAX_IMAGE_PIXELS"], decoded


@dataclass
class OpenedUpload:
    """An upload whose header was read and judged; not one pixel decoded yet.

    `pixels` is what decoding will cost: for a JPEG, after the decoder was told to scale down.
    """

    img: Image.Image
    label: str
    pixels: int


def _draft_scale(width, height, max_pixels):
    """The smallest JPEG decoder scale (1, 2, 4 or 8) that keeps the decoded image within
    `max_pixels`; None when even 1/8 does not."""
    for scale in (1, 2, 4, 8):
        if math.ceil(width / scale) * math.ceil(height / scale) <= max_pixels:
            return scale
    return None


def _draft(img, *, max_pixels, fit=None):
    """Let a JPEG decode at 1/2, 1/4 or 1/8 scale (libjpeg does that for a fraction of the
    memory and time): to stay within `max_pixels`, and further while both sides stay at least
    `fit` (width, height) when the caller needs no more than that."""
    if img.format != "JPEG":
        return
    width, height = img.size
    scale = _draft_scale(width, height, max_pixels) or 8
    if fit:
        scale = max(scale, min(width // fit[0], height // fit[1], 8))
    if scale > 1:
        img.draft(img.mode, (max(1, width // scale), max(1, height // scale)))


def _pixel_refusal(label, img, max_pixels, max_decoded):
    """The message refusing `img` for its size, or None when it may be decoded."""
    width, height = img.size
    pixels = width * height
    size_text = f"{label} is {pixels / 1_000_000:.1f} megapixels ({width} x {height})"
    if pixels > max_pixels:
        return f"{size_text}; the limit is {max_pixels / 1_000_000:g} megapixels per image."
    if pixels > max_decoded and img.format != "JPEG":
        # Only JPEG can be decoded at a reduced scale; any other format is decoded in full, so
        # its size is what the request's memory pays for.
        return (
            f"{size_text}; the limit is {max_decoded / 1_000_000:g} megapixels for a "
            f"{FORMAT_NAMES[img.format]} image ({max_pixels / 1_000_000:g} for a JPEG)."
        )
    return None


def upload_open(upload, *, label, fit=None):
    """Read an upload's header and judge its bytes, format and pixel count before decoding.

    A JPEG over MAX_DECODED_PIXELS is set to decode at a reduced scale (as is one bigger than
    `fit` needs); other formats over their decoding limit (MAX_WEBP_PIXELS for WebP) are
    refused. Raises ValidationError naming `label` and the limit it broke.
    """
    max_bytes, max_pixels, _ = _limits()
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
    _, _, max_decoded = _limits(img.format)
    if message := _pixel_refusal(label, img, max_pixels, max_decoded):
        img.close()
        _refuse(message)
    _draft(img, max_pixels=max_decoded, fit=fit)
    return OpenedUpload(img=img, label=label, pixels=img.width * img.height)


def upload_decode(opened):
    """Decode an opened upload: upright, in sRGB, with no metadata left.

    Raises ValidationError when the data turns out damaged. Intermediate copies are dropped
    as soon as the next one exists, so at most two decoded copies are alive at once.
    """
    img, label = opened.img, opened.label
    max_mp = _limits()[1] / 1_000_000
    opened.img = None  # this function now holds the only reference, so copies can be freed
    try:
        img.load()
    except Image.DecompressionBombError:
        img.close()
        _refuse(f"{label} decodes to more than {max_mp:g} megapixels; that is the limit.")
    except DECODE_ERRORS:
        img.close()
        _refuse(f"{label} is damaged or incomplete and could not be read; try exporting it again.")
    source_format = img.format
    # Unreadable EXIF: keep the photo as stored rather than refuse it.
    with contextlib.suppress(*DECODE_ERRORS):
        ImageOps.exif_transpose(img, in_place=True)
    clean = _to_srgb(img)
    if clean is img:
        # A plain image over the same pixels (no copy), without the file object's state: a
        # JpegImageFile would still answer getexif() from what it read off the upload.
        clean = img._new(img.im)
    del img
    # Every copy above kept the source's info (exif, xmp, icc_profile, comments); encoders
    # read some of them from there, so the image we hand on carries none.
    clean.info.clear()
    clean.format = source_format
    return clean


def decode_upload(upload, *, label, fit=None):
    """Open and decode an upload within the byte, format and pixel limits; upright, no metadata.

    Raises ValidationError naming `label` and the limit it broke.
    """
    return upload_decode(upload_open(upload, label=label, fit=fit))


def _has_alpha(img):
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        img.mode == "P" and "transparency" in img.info
    )


_SIXTEEN_TO_EIGHT_BITS = [value >> 8 for value in range(65536)]


def _to_srgb(img):
    """RGB or RGBA pixels in sRGB: an embedded colour profile is applied, then dropped.

    Converts in place where the mode stays, so a large photo is not held twice.
    """
    target = "RGBA" if _has_alpha(img) else "RGB"
    profile = img.info.get("icc_profile")
    if profile and img.mode in ("RGB", "RGBA", "CMYK", "L"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            srgb = ImageCms.createProfile("sRGB")
            mode = target if img.mode != "CMYK" else "RGB"
            in_place = img.mode == mode
            converted = ImageCms.profileToProfile(
                img, source, srgb, outputMode=mode, inPlace=in_place
            )
            if in_place:
                return img
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # A broken profile: keep the pixels as they are, like browsers do.
    if img.mode.startswith("I") or img.mode == "F":
        # 16-bit greyscale: scale to 8 bits instead of clipping everything to white. A lookup
        # table straight to L: no second 4-byte-per-pixel copy.
        img = img.convert("I").point(_SIXTEEN_TO_EIGHT_BITS, "L")
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


def _encode_spooled(img, fmt, name, **options):
    """Like _encode, but a large result goes to a temporary file instead of staying in memory
    until it is stored (a post holds up to ten of them)."""
    # Not a context manager: the file lives on in the returned File until it is stored.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    img.save(spool, format=fmt, **options)
    spool.seek(0)
    return File(spool, name=name)


def _jpeg(img, name):
    return _encode(_flatten(img), "JPEG", name, quality=85, optimize=True, progressive=True)


def stored_format(source_format, *, alpha=False):
    """The format (and so the file extension) an upload of `source_format` is stored in."""
    fmt = "PNG" if source_format == "WEBP" and alpha else STORED_FORMAT[source_format]
    return fmt, EXTENSION[fmt]


def encode_original(img, *, source_format):
    """The full-size image to store, no metadata: JPEG q90 for JPEG, HEIC and opaque WebP,
    PNG for PNG and transparent WebP."""
    fmt, ext = stored_format(source_format, alpha=img.mode == "RGBA")
    name = f"original.{ext}"
    if fmt == "JPEG":
        return _encode_spooled(_flatten(img), "JPEG", name, quality=90, progressive=True)
    return _encode_spooled(img, "PNG", name)


def draft_for_variants(img):
    """Let a stored JPEG original decode at the smallest scale the variants can be made from."""
    shutter = settings.SHUTTER
    fit = (shutter["DISPLAY_WIDTH"], shutter["THUMBNAIL_SIZE"])
    _draft(img, max_pixels=shutter["MAX_DECODED_PIXELS"], fit=fit)


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
    # Shrink first (what reducing_gap would do inside resize), so the colour work below
    # touches a small copy, never a second full-size one.
    factor = tuple(max(1, side // (HASH_SAMPLE * HASH_REDUCING_GAP)) for side in img.size)
    shrunk = img.reduce(factor) if factor != (1, 1) else img
    grey = _flatten(shrunk).convert("L")
    small = grey.resize((HASH_SAMPLE, HASH_SAMPLE), Image.Resampling.LANCZOS)
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
