#!/usr/bin/env python
"""Measure what one uploaded image costs the request that receives it: peak memory and time.

    .venv/bin/python scripts/measure_upload.py

Each case runs in a fresh Python process that reads the file, then does what post_create does
with each image on the request path (open and judge the header, decode, re-encode the
original, perceptual hash) or what the avatar does (decode, square). It prints the growth of
the process's peak resident memory (ru_maxrss) over its peak before the image, which counts
Pillow's C buffers that tracemalloc would miss. A post's images are handled one after the
other and each encoded original waits in a temporary file, so a request's peak is one image's.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# name, file, how it is used
CASES = [
    ("the finding's 6300 x 6300 single-colour PNG (131 KB)", "bomb.png", "post"),
    ("PNG 5000 x 5000 RGB, 25 MP (largest PNG accepted)", "rgb25.png", "post"),
    ("PNG 5000 x 5000 RGBA with a colour profile", "rgba25-icc.png", "post"),
    ("PNG 5000 x 5000 16-bit greyscale", "grey16-25.png", "post"),
    ("WebP 4000 x 3000, 12 MP (largest WebP accepted; stored as JPEG)", "rgb12.webp", "post"),
    ("JPEG 5000 x 5000 turned by EXIF (decoded in full)", "rot25.jpg", "post"),
    ("JPEG 8000 x 5000, 40 MP (decoded at 1/2)", "big40.jpg", "post"),
    ("HEIC 5712 x 4284, 24.5 MP (a phone's)", "phone24.heic", "post"),
    ("avatar from the 25 MP PNG", "rgb25.png", "avatar"),
    ("avatar from the 40 MP JPEG (decoded at 1/8)", "big40.jpg", "avatar"),
]


def _smooth(size, mode="RGB", noisy=True):
    """An image that still compresses under the 15 MB limit: gradients, and noise (which a
    lossless PNG of 25 MP could not hold within 15 MB) for the lossy formats."""
    from PIL import Image

    img = Image.linear_gradient("L").resize(size)
    middle = Image.effect_noise(size, 24) if noisy else img.transpose(Image.Transpose.ROTATE_90)
    bands = [img, middle, img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    rgb = Image.merge("RGB", bands)
    if mode == "RGBA":
        rgb.putalpha(img.transpose(Image.Transpose.FLIP_TOP_BOTTOM))
    return rgb


def make_files(folder):
    """Write every case's file into `folder` (run in its own process: it needs a lot of memory)."""
    import django

    django.setup()
    from PIL import Image, ImageCms

    from posts.tests.factories import single_colour_png

    folder = Path(folder)
    (folder / "bomb.png").write_bytes(single_colour_png())
    _smooth((5000, 5000), noisy=False).save(folder / "rgb25.png")
    _smooth((4000, 3000)).save(folder / "rgb12.webp", quality=80)
    rgb = _smooth((5000, 5000))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees
    rgb.save(folder / "rot25.jpg", quality=85, exif=exif)
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _smooth((5000, 5000), "RGBA", noisy=False).save(folder / "rgba25-icc.png", icc_profile=srgb)
    grey = Image.linear_gradient("L").resize((5000, 5000)).convert("I")
    grey.point(lambda v: v * 256).convert("I;16").save(folder / "grey16-25.png")
    _smooth((8000, 5000)).save(folder / "big40.jpg", quality=85)
    _smooth((5712, 4284)).save(folder / "phone24.heic", quality=60)


def measure(path, use):
    """Handle one file as the request would; print the peak memory growth and the time."""
    import resource
    import time

    import django

    django.setup()
    from django.conf import settings
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core import images as media

    data = Path(path).read_bytes()
    upload = SimpleUploadedFile(Path(path).name, data)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    outcome = "stored"
    try:
        if use == "avatar":
            side = settings.SHUTTER["THUMBNAIL_SIZE"]
            opened = media.upload_open(upload, label=upload.name, fit=(side, side))
            media.avatar_variant(media.upload_decode(opened))
        else:
            opened = media.upload_open(upload, label=upload.name)
            img = media.upload_decode(opened)
            content = media.encode_original(img, source_format=img.format)
            media.perceptual_hash(img)
            outcome = f"stored {img.width} x {img.height}, {content.size / 1e6:.1f} MB"
    except ValidationError as error:
        outcome = f"refused: {error.messages[0]}"
    seconds = time.perf_counter() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(f"{grown:7.0f} MB {seconds:6.2f} s  {len(data) / 1e6:5.1f} MB file  {outcome}")


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if len(sys.argv) == 3 and sys.argv[1] == "--make":
        make_files(sys.argv[2])
        return
    if len(sys.argv) == 3:
        measure(*sys.argv[1:])
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run([sys.executable, __file__, "--make", tmp], check=True)
        print(" memory   time")
        for title, name, use in CASES:
            print(f"{title}:", flush=True)
            subprocess.run([sys.executable, __file__, str(folder / name), use], check=True)


if __name__ == "__main__":
    main()
