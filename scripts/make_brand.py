"""Draw the brand images (icon and logo) into custom_components/grill_stats/brand/.

Run: ``.venv/bin/python scripts/make_brand.py``. A two-tongued flame with a probe thermometer
in front of it, drawn at 4x and scaled down with LANCZOS for smooth edges, trimmed to its
content; the logo adds the wordmark.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).resolve().parent.parent / "custom_components" / "grill_stats" / "brand"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
SCALE = 4  # supersampling factor

type Point = tuple[float, float]
type Color = tuple[int, int, int]

# Flame outlines in a 256x256 design grid: a start point, then cubic Bézier segments
# (control 1, control 2, end).
OUTER: tuple[Point, list[tuple[Point, Point, Point]]] = (
    (128, 252),
    [
        ((190, 252), (232, 210), (232, 152)),
        ((232, 96), (186, 64), (150, 2)),
        ((156, 54), (122, 74), (104, 104)),
        ((100, 86), (88, 70), (70, 52)),
        ((40, 92), (24, 120), (24, 152)),
        ((24, 210), (66, 252), (128, 252)),
    ],
)
INNER: tuple[Point, list[tuple[Point, Point, Point]]] = (
    (128, 246),
    [
        ((170, 246), (196, 216), (196, 182)),
        ((196, 146), (168, 126), (146, 84)),
        ((140, 118), (106, 126), (86, 150)),
        ((68, 168), (60, 182), (60, 190)),
        ((60, 222), (90, 246), (128, 246)),
    ],
)
FLAME = (244, 81, 30)
CORE = (255, 179, 0)
STEEL = (38, 50, 56)
DARK_THEME_TEXT = (236, 239, 241)
WHITE = (255, 255, 255)
MERCURY = (214, 40, 40)


def _bezier(start: Point, segments: list[tuple[Point, Point, Point]], unit: float) -> list[Point]:
    """Flatten a cubic Bézier path into polygon points, scaled by ``unit``."""
    points: list[Point] = []
    x0, y0 = start
    for (x1, y1), (x2, y2), (x3, y3) in segments:
        for i in range(48):
            t = i / 48
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            points.append(
                (
                    (a * x0 + b * x1 + c * x2 + d * x3) * unit,
                    (a * y0 + b * y1 + c * y2 + d * y3) * unit,
                )
            )
        x0, y0 = x3, y3
    return points


def _trim(image: Image.Image) -> Image.Image:
    """Crop to the drawn pixels."""
    box = image.getbbox()
    return image.crop(box) if box else image


def mark(size: int) -> Image.Image:
    """The square mark: a flame behind a probe thermometer, trimmed and centred."""
    big = size * SCALE
    unit = big / 256
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(_bezier(*OUTER, unit), fill=FLAME)
    draw.polygon(_bezier(*INNER, unit), fill=CORE)

    def box(left: float, top: float, right: float, bottom: float) -> tuple[float, ...]:
        return (left * unit, top * unit, right * unit, bottom * unit)

    # Thermometer: a dark rounded outline, a white tube and bulb, a red column.
    draw.rounded_rectangle(box(104, 30, 152, 180), radius=24 * unit, fill=STEEL)
    draw.ellipse(box(90, 150, 166, 226), fill=STEEL)
    draw.rounded_rectangle(box(113, 39, 143, 180), radius=15 * unit, fill=WHITE)
    draw.ellipse(box(99, 159, 157, 217), fill=WHITE)
    draw.rounded_rectangle(box(121, 92, 135, 190), radius=7 * unit, fill=MERCURY)
    draw.ellipse(box(109, 169, 147, 207), fill=MERCURY)
    for y in (60, 80, 100):  # scale ticks inside the tube
        draw.rounded_rectangle(box(113, y - 3, 124, y + 3), radius=3 * unit, fill=STEEL)

    image = _trim(image)
    side = max(image.size)
    square = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    square.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return square.resize((size, size), Image.Resampling.LANCZOS)


def logo(height: int, text_color: tuple[int, int, int] = STEEL) -> Image.Image:
    """The mark beside the wordmark, trimmed to ``height`` pixels high."""
    big = height * SCALE
    font = ImageFont.truetype(str(FONT), round(big * 0.5))
    text = "Grill Stats"
    left, top, right, bottom = font.getbbox(text)
    gap = round(big * 0.14)
    width = big + gap + math.ceil(right - left)
    image = Image.new("RGBA", (width, big), (0, 0, 0, 0))
    image.alpha_composite(mark(big))
    ImageDraw.Draw(image).text(
        (big + gap - left, (big - (bottom - top)) / 2 - top), text, font=font, fill=text_color
    )
    image = _trim(image)
    return image.resize(
        (round(image.width * height / image.height), height), Image.Resampling.LANCZOS
    )


def _save(image: Image.Image, path: Path) -> None:
    """Save as an optimized palette PNG; the alpha channel is kept."""
    image.quantize(256, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)


def main() -> None:
    """Write icon.png, icon@2x.png, logo.png and logo@2x.png (or into argv[1])."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else BRAND
    out.mkdir(parents=True, exist_ok=True)
    _save(mark(256), out / "icon.png")
    _save(mark(512), out / "icon@2x.png")
    _save(logo(128), out / "logo.png")
    _save(logo(256), out / "logo@2x.png")
    # Dark themes: the same logo with a light wordmark.
    _save(logo(128, DARK_THEME_TEXT), out / "dark_logo.png")
    _save(logo(256, DARK_THEME_TEXT), out / "dark_logo@2x.png")


if __name__ == "__main__":
    main()
