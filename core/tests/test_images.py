"""The image pipeline: what is accepted, what is refused and why, and what gets stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms, ImageFile

from core import images as media
from posts.tests.factories import image_bytes, png_of_zeros, structured_image, upload

GPS_IFD = 0x8825
ORIENTATION = 0x0112
RED, BLUE = (255, 0, 0), (0, 0, 255)


def reopen(content_file):
    content_file.seek(0)
    img = Image.open(io.BytesIO(content_file.read()))
    img.load()
    return img


def refusal(data, name):
    with pytest.raises(ValidationError) as caught:
        media.decode_upload(upload(name, data), label=name)
    return caught.value.messages[0]


def exif_with_gps(orientation=None):
    exif = Image.Exif()
    if orientation:
        exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 22.0, 1.5), 3: "E", 4: (4.0, 53.0, 2.0)})
    return exif


def halves(left, right, size=(64, 48)):
    img = Image.new("RGB", size, left)
    img.paste(right, (size[0] // 2, 0, size[0], size[1]))
    return img


def forbidden(*args, **kwargs):
    pytest.fail("the image was decoded before it was refused")


def close_to(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


# --- What is accepted ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name", "detected"),
    [
        ("JPEG", "a.jpg", "JPEG"),
        ("PNG", "a.png", "PNG"),
        ("WEBP", "a.webp", "WEBP"),
        ("HEIF", "a.heic", "HEIF"),
    ],
)
def test_decode_accepts_jpeg_png_webp_and_heic(fmt, name, detected):
    img = media.decode_upload(
        upload(name, image_bytes(structured_image(size=(80, 60)), fmt)), label=name
    )

    assert (img.size, img.mode, img.format) == ((80, 60), "RGB", detected)


def test_decode_judges_by_content_not_by_file_name():
    png_named_jpg = upload("holiday.jpg", image_bytes(structured_image(), "PNG"))

    assert media.decode_upload(png_named_jpg, label="holiday.jpg").format == "PNG"


def test_decode_turns_the_photo_upright_from_its_exif_orientation():
    # Orientation 6: the camera was turned; the left of the sensor is the top of the scene.
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    data = image_bytes(halves(RED, BLUE), "JPEG", exif=exif, quality=95)

    img = media.decode_upload(upload("turned.jpg", data), label="turned.jpg")

    assert img.size == (48, 64)
    assert close_to(img.getpixel((24, 2)), RED)
    assert close_to(img.getpixel((24, 61)), BLUE)


def test_decode_keeps_transparency_of_png():
    img = media.decode_upload(
        upload("logo.png", image_bytes(Image.new("RGBA", (20, 20), (0, 0, 0, 0)), "PNG")),
        label="logo.png",
    )

    assert img.mode == "RGBA"


def test_decode_applies_an_embedded_colour_profile_and_drops_it():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = image_bytes(Image.new("RGB", (20, 20), (10, 120, 200)), "PNG", icc_profile=profile)

    img = media.decode_upload(upload("p3.png", data), label="p3.png")

    assert "icc_profile" not in img.info
    assert close_to(img.getpixel((5, 5)), (10, 120, 200), tolerance=3)


# --- What is refused ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n", "notes.jpg"),
        (b"Dear diary, today I renamed a text file.\n" * 20, "diary.jpg"),
        (image_bytes(structured_image(size=(40, 30)), "GIF"), "funny.gif"),
        (image_bytes(structured_image(size=(40, 30)), "BMP"), "scan.jpg"),
        (b"", "empty.png"),
    ],
    ids=["pdf-renamed", "text-renamed", "gif", "bmp-renamed", "empty"],
)
def test_decode_refuses_anything_but_the_accepted_formats(data, name):
    assert refusal(data, name) == (
        f"{name} is not an image we accept: use JPEG, PNG, WebP or HEIC."
    )


def test_decode_refuses_a_file_over_15_mb_before_decoding_it(monkeypatch):
    # A real JPEG padded past the limit: decodable, so only the size check can refuse it.
    data = image_bytes(structured_image()) + b"\0" * (16 * 1024 * 1024)
    monkeypatch.setattr(Image, "open", forbidden)

    message = refusal(data, "huge.jpg")

    assert message.startswith("huge.jpg is 16.0 MB; the limit is 15 MB per image.")


def test_decode_refuses_over_40_megapixels_from_the_header_without_decoding(monkeypatch):
    data = png_of_zeros(8000, 5001)  # 40.008 MP
    monkeypatch.setattr(ImageFile.ImageFile, "load", forbidden)

    message = refusal(data, "pano.png")

    assert message == (
        "pano.png is 40.0 megapixels (8000 x 5001); the limit is 40 megapixels per image."
    )


def test_decode_accepts_exactly_40_megapixels():
    img = media.decode_upload(upload("big.png", png_of_zeros(8000, 5000)), label="big.png")

    assert img.size == (8000, 5000)


def test_decode_refuses_a_decompression_bomb():
    data = png_of_zeros(20000, 20000)  # 400 megapixels in a file of a few kilobytes
    assert len(data) < 200_000

    message = refusal(data, "bomb.png")

    assert message.startswith("bomb.png claims far more than 40 megapixels")
    assert "the limit is 40 megapixels per image" in message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decode_refuses_an_image_in_pillows_warning_zone():
    # Between Pillow's warning (89 MP) and error (179 MP) thresholds.
    assert refusal(png_of_zeros(10000, 10000), "big.png").startswith("big.png is 100.0 megapixels")


def test_decode_refuses_a_truncated_image():
    data = image_bytes(structured_image(size=(400, 300)), "JPEG")

    message = refusal(data[: len(data) // 2], "cut.jpg")

    assert message.startswith("cut.jpg is damaged or incomplete")


# --- What is stored ----------------------------------------------------------------------------


def test_encode_original_strips_exif_and_gps_from_a_jpeg():
    data = image_bytes(structured_image(), "JPEG", exif=exif_with_gps(orientation=1))
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the source has GPS

    img = media.decode_upload(upload("trip.jpg", data), label="trip.jpg")
    assert not img.getexif()
    assert img.info == {}
    stored = media.encode_original(img, source_format=img.format)

    stored.seek(0)
    raw = stored.read()
    assert b"Exif" not in raw
    assert not reopen(stored).getexif()


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_encode_original_keeps_png_and_webp_but_not_their_metadata(fmt):
    data = image_bytes(structured_image(), fmt, exif=exif_with_gps())
    img = media.decode_upload(upload("x", data), label="x")

    stored = reopen(media.encode_original(img, source_format=img.format))

    assert stored.format == fmt
    assert not stored.getexif()
    assert "exif" not in stored.info


def test_encode_original_stores_heic_as_jpeg():
    data = image_bytes(structured_image(), "HEIF")
    img = media.decode_upload(upload("phone.heic", data), label="phone.heic")

    stored = media.encode_original(img, source_format=img.format)

    assert stored.name.endswith(".jpg")
    assert reopen(stored).format == "JPEG"


def test_encode_original_lays_transparency_over_white_for_jpeg():
    img = Image.new("RGBA", (10, 10), (0, 0, 0, 0))

    stored = reopen(media.encode_original(img, source_format="HEIF"))

    assert close_to(stored.getpixel((5, 5)), (255, 255, 255), tolerance=2)


# --- Variants ----------------------------------------------------------------------------------


def test_display_variant_is_1080_wide_keeping_the_aspect_ratio():
    display = reopen(media.display_variant(structured_image(size=(2000, 1500))))

    assert (display.format, display.size) == ("JPEG", (1080, 810))


def test_display_variant_never_upscales():
    assert reopen(media.display_variant(structured_image(size=(600, 900)))).size == (600, 900)


def test_thumbnail_variant_is_a_centre_square():
    # Blue | red | blue: the centre square is all red.
    img = Image.new("RGB", (960, 320), BLUE)
    img.paste(RED, (320, 0, 640, 320))

    thumbnail = reopen(media.thumbnail_variant(img))

    assert (thumbnail.format, thumbnail.size) == ("JPEG", (320, 320))
    assert close_to(thumbnail.getpixel((2, 2)), RED)
    assert close_to(thumbnail.getpixel((317, 317)), RED)


def test_avatar_variant_is_a_320_square_even_from_a_small_image():
    assert reopen(media.avatar_variant(structured_image(size=(100, 150)))).size == (320, 320)


# --- Perceptual hash -----------------------------------------------------------------------------


def reencoded(img, **options):
    return Image.open(io.BytesIO(image_bytes(img, "JPEG", **options)))


@pytest.mark.parametrize("seed", range(5))
def test_perceptual_hash_matches_resized_and_reencoded_copies(seed):
    original = structured_image(seed, size=(1200, 900))
    h = media.perceptual_hash(original)

    copies = [
        original.resize((300, 225)),
        original.resize((2400, 1800)),
        reencoded(original, quality=30),
        reencoded(original.resize((800, 600)), quality=60),
        original.convert("L"),
    ]

    assert max(media.hamming_distance(h, media.perceptual_hash(c)) for c in copies) <= 6


def test_perceptual_hash_tells_different_photos_apart():
    hashes = [media.perceptual_hash(structured_image(seed, size=(640, 480))) for seed in range(12)]

    distances = [
        media.hamming_distance(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1 :]
    ]
    assert min(distances) >= 12


def test_perceptual_hash_fits_a_signed_64_bit_column():
    hashes = [media.perceptual_hash(structured_image(seed)) for seed in range(20)]

    assert all(-(2**63) <= h < 2**63 for h in hashes)
    assert any(h < 0 for h in hashes)  # the top bit is used, so the signed form matters


def test_hamming_distance_counts_differing_bits_of_signed_hashes():
    assert media.hamming_distance(0, 0) == 0
    assert media.hamming_distance(-1, 0) == 64
    assert media.hamming_distance(-(2**63), 2**63 - 1) == 64
    assert media.hamming_distance(0b1011, 0b0001) == 2
