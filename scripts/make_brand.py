"""Draw the brand images (icon and logo) into custom_components/grill_stats/brand/.

Run: ``.venv/bin/python scripts/make_brand.py``. A flame with a probe thermometer in front of
it, drawn at 4x and scaled down for smooth edges; the logo adds the wordmark.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "grill_stats" / "brand"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
ORANGE = (245, 124, 0, 255)
AMBER = (255, 193, 7, 255)
STEEL = (55, 71, 79, 255)
WHITE = (255, 255, 255, 255)
RED = (211, 47, 47, 255)
SCALE = 4

type Box = tuple[float, float, float, float]
type Color = tuple[int, int, int, int]


def _flame(draw: ImageDraw.ImageDraw, box: Box, fill: Color) -> None:
    """A flame: a teardrop (tip up) whose tip leans a little to the right."""
    left, top, right, bottom = box
    half_width, half_height = (right - left) / 2, (bottom - top) / 2
    cx, cy = left + half_width, top + half_height
    points = []
    steps = 96
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x = math.sin(t) * math.sin(t / 2) ** 1.6
        y = -math.cos(t)
        lean = 0.18 * max(0.0, -y) ** 2  # bend the upper part to the right
        points.append((cx + half_width * (x + lean), cy + half_height * y))
    draw.polygon(points, fill=fill)


def mark(size: int) -> Image.Image:
    """The square mark: flame behind a probe thermometer."""
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = big / 256
    _flame(draw, (28 * unit, 4 * unit, 228 * unit, 252 * unit), ORANGE)
    _flame(draw, (72 * unit, 96 * unit, 184 * unit, 248 * unit), AMBER)
    # The thermometer: a rounded stem with a bulb, white with a dark outline.
    stem = (112 * unit, 40 * unit, 144 * unit, 190 * unit)
    bulb = (100 * unit, 168 * unit, 156 * unit, 224 * unit)
    outline = 8 * unit
    draw.rounded_rectangle(
        (stem[0] - outline, stem[1] - outline, stem[2] + outline, stem[3]),
        radius=24 * unit,
        fill=STEEL,
    )
    draw.ellipse(
        (bulb[0] - outline, bulb[1] - outline, bulb[2] + outline, bulb[3] + outline), fill=STEEL
    )
    draw.rounded_rectangle(stem, radius=16 * unit, fill=WHITE)
    draw.ellipse(bulb, fill=WHITE)
    draw.rounded_rectangle(
        (121 * unit, 96 * unit, 135 * unit, 200 * unit), radius=7 * unit, fill=RED
    )
    draw.ellipse((110 * unit, 178 * unit, 146 * unit, 214 * unit), fill=RED)
    for y in (64, 84, 104, 124):  # scale marks
        draw.line((144 * unit, y * unit, 156 * unit, y * unit), fill=STEEL, width=int(5 * unit))
    return image.resize((size, size), Image.Resampling.LANCZOS)


def logo(height: int) -> Image.Image:
    """The mark beside the wordmark."""
    big = height * SCALE
    font = ImageFont.truetype(str(FONT), int(big * 0.46))
    text = "Grill Stats"
    left, top, right, bottom = font.getbbox(text)
    width = big + int(big * 0.12) + math.ceil(right - left)
    image = Image.new("RGBA", (width, big), (0, 0, 0, 0))
    image.alpha_composite(mark(big))
    draw = ImageDraw.Draw(image)
    draw.text(
        (big + int(big * 0.12) - left, (big - (bottom - top)) / 2 - top),
        text,
        font=font,
        fill=STEEL,
    )
    return image.resize((width // SCALE, height), Image.Resampling.LANCZOS)


def main() -> None:
    """Write icon.png, icon@2x.png, logo.png and logo@2x.png."""
    BRAND.mkdir(parents=True, exist_ok=True)
    for name, image in (
        ("icon.png", mark(256)),
        ("icon@2x.png", mark(512)),
        ("logo.png", logo(128)),
        ("logo@2x.png", logo(256)),
    ):
        image.save(BRAND / name, optimize=True)


if __name__ == "__main__":
    main()
