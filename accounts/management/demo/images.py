"""Pictures for the demo, painted with Pillow: a small pool of scenes and initials avatars.

Painting and encoding are the slow part of seeding, so each picture is made and stored once;
every row that shows it then gets its own cheap copy (see OwnCopies).
"""

import contextlib
import itertools
import math
import os
import shutil
from dataclasses import dataclass

from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from accounts.management.demo.vocabulary import SCENES
from core.images import (
    avatar_variant,
    display_variant,
    encode_original,
    perceptual_hash,
    thumbnail_variant,
)

SIZES = [(1080, 1080), (1080, 1350), (1080, 720)]
PICTURES_PER_SCENE = 5  # 8 scenes x 5: enough variety for a feed, cheap to paint once
AVATAR_SIDE = 320
AVATAR_COLOURS = [
    (231, 111, 81), (244, 162, 97), (42, 157, 143), (38, 70, 83), (131, 56, 236),
    (58, 134, 255), (255, 0, 110), (6, 214, 160), (17, 138, 178), (239, 71, 111),
]  # fmt: skip


@dataclass(frozen=True)
class PoolImage:
    """One stored demo picture: its three files and what a PostImage row records about it."""

    scene: str
    alt: str
    image: str
    display: str
    thumbnail: str
    width: int
    height: int
    phash: int


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def vertical_gradient(size, stops):
    """An RGB image fading top to bottom through `stops` (colours spread evenly)."""
    # 64 rows per span, then one resize: a pixel loop over a 1350 px column costs 100x more.
    steps = 64
    rows = [_mix(a, b, i / steps) for a, b in itertools.pairwise(stops) for i in range(steps)]
    rows.append(stops[-1])
    column = Image.frombytes("RGB", (1, len(rows)), bytes(itertools.chain.from_iterable(rows)))
    return column.resize(size, Image.Resampling.BILINEAR)


def _ridge(rng, width, base, amplitude, step=40):
    """Points of a jagged skyline at height `base`, closed along the bottom edge."""
    points = [(x, base - rng.uniform(0, amplitude)) for x in range(0, width + step, step)]
    return [(0, 10_000), *points, (width, 10_000)]


def _wave(rng, width, base, amplitude):
    phase, length = rng.uniform(0, math.tau), rng.uniform(300, 700)
    points = [
        (x, base + amplitude * math.sin(phase + x / length * math.tau))
        for x in range(0, width + 20, 20)
    ]
    return [(0, 10_000), *points, (width, 10_000)]


def _sun(draw, x, y, radius, colour):
    for grow, alpha in ((2.2, 40), (1.5, 70), (1.0, 255)):
        r = radius * grow
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, alpha))


def paint_sunset(rng, size):
    w, h = size
    img = vertical_gradient(size, [(46, 26, 71), (196, 69, 105), (255, 159, 67), (255, 214, 140)])
    draw = ImageDraw.Draw(img, "RGBA")
    _sun(draw, rng.uniform(0.25, 0.75) * w, h * 0.72, w * 0.09, (255, 236, 179))
    for layer, shade in enumerate([(70, 30, 60), (40, 18, 40)]):
        draw.polygon(_ridge(rng, w, h * (0.78 + 0.08 * layer), h * 0.12), fill=shade)
    return img


def paint_sea(rng, size):
    w, h = size
    horizon = h * rng.uniform(0.45, 0.6)
    img = vertical_gradient(size, [(120, 180, 230), (220, 236, 245)])
    sea = vertical_gradient((w, h - int(horizon)), [(40, 120, 160), (10, 40, 80)])
    img.paste(sea, (0, int(horizon)))
    draw = ImageDraw.Draw(img, "RGBA")
    for _ in range(40):
        y = rng.uniform(horizon + 10, h)
        x = rng.uniform(0, w)
        draw.line((x, y, x + rng.uniform(30, 160), y), fill=(255, 255, 255, 70), width=3)
    boat_x, boat_y = rng.uniform(0.2, 0.8) * w, horizon + 0.08 * h
    draw.polygon([(boat_x, boat_y - 90), (boat_x, boat_y), (boat_x + 60, boat_y)], fill="white")
    draw.rectangle((boat_x - 40, boat_y, boat_x + 80, boat_y + 18), fill=(60, 40, 30))
    return img


def paint_mountains(rng, size):
    w, h = size
    img = vertical_gradient(size, [(150, 190, 230), (235, 225, 215)])
    draw = ImageDraw.Draw(img, "RGBA")
    draw.polygon(_ridge(rng, w, h * 0.45, h * 0.15, step=120), fill=(170, 180, 200))
    # One big peak with snow on its top fifth, in front of the far haze.
    px, py, half, foot = rng.uniform(0.3, 0.7) * w, h * 0.22, w * 0.4, h * 0.8
    draw.polygon([(px - half, foot), (px, py), (px + half, foot)], fill=(120, 135, 160))
    cap = 0.2
    left = (px - half * cap, py + (foot - py) * cap)
    right = (px + half * cap, py + (foot - py) * cap)
    draw.polygon([left, (px, py), right, (px + half * 0.05, left[1] - 12)], fill="white")
    for i, shade in enumerate([(80, 95, 120), (50, 60, 82), (28, 35, 50)]):
        base = h * (0.62 + 0.12 * i)
        draw.polygon(_ridge(rng, w, base, h * 0.14, step=rng.choice([90, 120, 160])), fill=shade)
    return img


def paint_city(rng, size):
    w, h = size
    img = vertical_gradient(size, [(10, 12, 40), (60, 30, 90), (120, 60, 110)])
    draw = ImageDraw.Draw(img, "RGBA")
    moon_x = rng.uniform(0.1, 0.9) * w
    draw.ellipse((moon_x - 40, 80, moon_x + 40, 160), fill=(250, 245, 220))
    x = 0
    while x < w:
        bw, bh = rng.randint(70, 170), rng.uniform(0.25, 0.7) * h
        top = h - bh
        draw.rectangle((x, top, x + bw, h), fill=(rng.randint(15, 35),) * 3)
        for wy in range(int(top) + 14, h - 14, 28):
            for wx in range(x + 10, x + bw - 16, 22):
                if rng.random() < 0.45:
                    draw.rectangle((wx, wy, wx + 10, wy + 14), fill=(255, 214, 102, 220))
        x += bw + rng.randint(0, 12)
    return img


def paint_coffee(rng, size):
    w, h = size
    img = Image.new("RGB", size, (150, 100, 60))
    draw = ImageDraw.Draw(img, "RGBA")
    for y in range(0, h, 12):
        tone = rng.randint(-18, 18)
        draw.line((0, y, w, y), fill=(150 + tone, 100 + tone, 60 + tone), width=12)
    cx, cy, r = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.4, 0.6), min(w, h) * 0.3
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(245, 245, 240))
    draw.ellipse((cx - r * 0.7, cy - r * 0.7, cx + r * 0.7, cy + r * 0.7), fill=(230, 230, 225))
    draw.ellipse((cx - r * 0.6, cy - r * 0.6, cx + r * 0.6, cy + r * 0.6), fill=(110, 62, 30))
    for k in range(4):
        s = r * (0.4 - 0.08 * k)
        draw.ellipse(
            (cx - s * 0.8, cy - s, cx + s * 0.8, cy + s * 0.6), outline=(235, 210, 175), width=10
        )
    draw.rounded_rectangle(
        (cx + r * 0.95, cy - 40, cx + r * 1.35, cy + 40), 35, outline="white", width=26
    )
    return img


def paint_forest(rng, size):
    w, h = size
    img = vertical_gradient(size, [(200, 220, 210), (120, 160, 130), (40, 70, 50)])
    draw = ImageDraw.Draw(img, "RGBA")
    for row, shade in enumerate([(90, 130, 100), (50, 95, 65), (25, 60, 40)]):
        ground = h * (0.55 + 0.18 * row)
        for _ in range(14 + 4 * row):
            x, tall = rng.uniform(-50, w + 50), rng.uniform(0.25, 0.45) * h * (1 + row * 0.3)
            half = tall * 0.22
            draw.polygon([(x - half, ground), (x, ground - tall), (x + half, ground)], fill=shade)
    return img


def paint_flowers(rng, size):
    w, h = size
    img = vertical_gradient(size, [(60, 110, 60), (30, 70, 35)])
    draw = ImageDraw.Draw(img, "RGBA")
    palette = [(255, 94, 125), (255, 190, 11), (251, 86, 7), (255, 255, 255), (199, 125, 255)]
    for _ in range(rng.randint(7, 12)):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(50, 130)
        colour, petals = rng.choice(palette), rng.randint(5, 8)
        for p in range(petals):
            angle = p / petals * math.tau
            px, py = cx + math.cos(angle) * r * 0.6, cy + math.sin(angle) * r * 0.6
            draw.ellipse(
                (px - r * 0.45, py - r * 0.45, px + r * 0.45, py + r * 0.45), fill=(*colour, 230)
            )
        draw.ellipse((cx - r * 0.3, cy - r * 0.3, cx + r * 0.3, cy + r * 0.3), fill=(255, 210, 60))
    return img


def paint_dunes(rng, size):
    w, h = size
    img = vertical_gradient(size, [(120, 180, 235), (250, 225, 190)])
    draw = ImageDraw.Draw(img, "RGBA")
    _sun(draw, rng.uniform(0.15, 0.85) * w, h * 0.2, w * 0.06, (255, 250, 225))
    for i, shade in enumerate([(232, 180, 120), (214, 150, 90), (190, 120, 70), (160, 95, 55)]):
        draw.polygon(_wave(rng, w, h * (0.5 + 0.12 * i), h * 0.05), fill=shade)
    return img


PAINTERS = {
    "sunset": paint_sunset,
    "sea": paint_sea,
    "mountains": paint_mountains,
    "city": paint_city,
    "coffee": paint_coffee,
    "forest": paint_forest,
    "flowers": paint_flowers,
    "dunes": paint_dunes,
}


def _store(name, content):
    # Fixed names, so a re-seed replaces the pool instead of piling up copies beside it.
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, content)


class OwnCopies:
    """Gives each row its own stored name for a pooled file.

    Rows must not share a file: deleting a post or replacing an avatar deletes its files. On
    local storage the copy is a hard link (no bytes copied, microseconds each); elsewhere it is
    a real copy through the storage API.
    """

    def __init__(self, storage=default_storage):
        self.storage = storage
        try:
            storage.path("")
            self.local = True
        except NotImplementedError:
            self.local = False
        self.folders = set()

    def __call__(self, source, name):
        if not self.local:
            with self.storage.open(source) as content:
                return _store(name, content)
        target = self.storage.path(name)
        folder = os.path.dirname(target)
        if folder not in self.folders:
            os.makedirs(folder, exist_ok=True)
            self.folders.add(folder)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)  # left by an earlier seed of another database
        try:
            os.link(self.storage.path(source), target)
        except OSError:  # a filesystem without hard links
            shutil.copyfile(self.storage.path(source), target)
        return name


def build_image_pool(rng):
    """Paint PICTURES_PER_SCENE pictures of every scene, store their files, describe them."""
    pool = []
    for scene in SCENES:
        for i in range(PICTURES_PER_SCENE):
            size = SIZES[i % len(SIZES)]
            img = PAINTERS[scene.name](rng, size)
            stem = f"demo/pool/{scene.name}-{i}"
            pool.append(
                PoolImage(
                    scene=scene.name,
                    alt=scene.alt,
                    image=_store(f"{stem}.jpg", encode_original(img, source_format="JPEG")),
                    display=_store(f"{stem}-display.jpg", display_variant(img)),
                    thumbnail=_store(f"{stem}-thumb.jpg", thumbnail_variant(img)),
                    width=img.width,
                    height=img.height,
                    phash=perceptual_hash(img),
                )
            )
    return pool


class AvatarPainter:
    """Initials on a coloured square (pages crop it round); one stored file per initials."""

    def __init__(self):
        self.font = ImageFont.load_default(size=AVATAR_SIDE * 0.42)
        self.stored = {}

    def __call__(self, display_name):
        initials = "".join(word[0] for word in display_name.split()[:2]).upper()
        if initials not in self.stored:
            self.stored[initials] = _store(f"demo/avatars/{initials}.jpg", self._paint(initials))
        return self.stored[initials]

    def _paint(self, initials):
        # The colour follows from the initials, so the same person looks the same every seed.
        colour = AVATAR_COLOURS[sum(map(ord, initials)) % len(AVATAR_COLOURS)]
        img = vertical_gradient((AVATAR_SIDE, AVATAR_SIDE), [colour, _mix(colour, (0, 0, 0), 0.35)])
        centre = AVATAR_SIDE / 2
        draw = ImageDraw.Draw(img)
        draw.text((centre, centre), initials, font=self.font, anchor="mm", fill="white")
        return avatar_variant(img)
