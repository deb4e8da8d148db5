"""A top view of the scalp chart: regions, hair loss, hairline, scale bar (Pillow PNG).

The chart is drawn as seen from above with the client's face at the top of the picture:
``+v`` (anterior) up and ``+u`` (client's right) to the right, as the head frame's ``x`` and
``y`` appear when looking down its ``z`` axis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import shapely
from PIL import Image, ImageDraw, ImageFont

from smpstudio.case.model import REGION_NAMES
from smpstudio.head.chart import ScalpChart
from smpstudio.loss.assess import LossAssessment
from smpstudio.regions.build import Regions
from smpstudio.units import MM_PER_CM

REGION_COLOURS: dict[str, tuple[int, int, int]] = {
    "frontal": (244, 204, 161),
    "midscalp": (250, 232, 170),
    "vertex": (203, 226, 176),
    "temporal_left": (172, 210, 232),
    "temporal_right": (172, 210, 232),
    "parietal_left": (204, 190, 230),
    "parietal_right": (204, 190, 230),
    "occipital": (236, 186, 200),
}
BALD_TINT = (120, 72, 40)
SCAR_COLOUR = (150, 60, 60)


def _polygons(geom: Any) -> list[Any]:
    if geom is None or geom.is_empty:
        return []
    return [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]


def draw_assessment_chart(
    chart: ScalpChart, regions: Regions, assessment: LossAssessment | None, path: str | Path,
    size_px: int = 900,
) -> Path:  # fmt: skip
    """Draw the chart picture to a PNG and return its path.

    Regions in soft colours with their names, the bald area tinted and hatched, thinning zones
    dotted, scars in red, the natural hairline, a 5 cm scale bar and the anterior marked.
    """
    path = Path(path)
    minx, miny, maxx, maxy = regions.scalp.bounds
    extent = 1.08 * max(abs(minx), abs(maxx), abs(miny), abs(maxy))
    scale = size_px / (2.0 * extent)

    def px(uv: Any) -> list[tuple[float, float]]:
        a = np.asarray(uv, dtype=float).reshape(-1, 2)
        xs = size_px / 2 + a[:, 0] * scale
        ys = size_px / 2 - a[:, 1] * scale
        return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]

    img = Image.new("RGB", (size_px, size_px), (255, 255, 255))
    draw = ImageDraw.Draw(img, "RGBA")
    font = ImageFont.load_default()
    for name in REGION_NAMES:
        for poly in _polygons(regions.polygons[name]):
            draw.polygon(
                px(poly.exterior.coords), fill=REGION_COLOURS[name], outline=(255, 255, 255)
            )
    if assessment is not None:
        for geom, frac in assessment.thinning:
            for poly in _polygons(geom):
                draw.polygon(px(poly.exterior.coords), fill=(*BALD_TINT, int(110 * (1 - frac))))
        _hatch(draw, assessment.bald, px, scale, size_px)
        for poly in _polygons(assessment.line_scars):
            draw.polygon(px(poly.exterior.coords), fill=(*SCAR_COLOUR, 200))
        r = max(1.0, 0.5 * assessment.fue_diameter_mm * scale)
        for x, y in px(assessment.fue_centres_mm):
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(*SCAR_COLOUR, 220))
    draw.line(px(regions.head.natural_hairline_mm()), fill=(40, 40, 40), width=2)
    draw.line(px(regions.scalp.exterior.coords), fill=(90, 90, 90), width=1)
    for name in REGION_NAMES:
        geom = regions.polygons[name]
        if geom.is_empty:
            continue
        ((x, y),) = px(np.array(geom.representative_point().coords))
        label = name.replace("_", " ")
        draw.text((x, y), label, fill=(30, 30, 30), font=font, anchor="mm")
    vx, vy = px([0.0, 0.0])[0]
    draw.line([(vx - 5, vy), (vx + 5, vy)], fill=(0, 0, 0))
    draw.line([(vx, vy - 5), (vx, vy + 5)], fill=(0, 0, 0))
    draw.text((size_px / 2, 12), "ANTERIOR (face)", fill=(0, 0, 0), font=font, anchor="mt")
    draw.text((12, size_px / 2), "L", fill=(0, 0, 0), font=font, anchor="lm")
    draw.text((size_px - 12, size_px / 2), "R", fill=(0, 0, 0), font=font, anchor="rm")
    bar = 5.0 * MM_PER_CM * scale
    y0 = size_px - 24
    draw.line([(20, y0), (20 + bar, y0)], fill=(0, 0, 0), width=3)
    draw.text((20 + bar / 2, y0 - 6), "5 cm (chart)", fill=(0, 0, 0), font=font, anchor="mb")
    if assessment is not None:
        text = (f"{assessment.pattern}: bald {assessment.bald_area_cm2:.0f} cm2 "
                f"({100 * assessment.bald_frac:.0f}% of {assessment.scalp_area_cm2:.0f} cm2), "
                f"reads as {assessment.nearest_norwood}")  # fmt: skip
        draw.text((size_px - 12, size_px - 12), text, fill=(0, 0, 0), font=font, anchor="rb")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="PNG")
    return path


def _hatch(draw: ImageDraw.ImageDraw, bald: Any, px: Any, scale: float, size_px: int) -> None:
    """Tint the bald area and hatch it with diagonal lines 4 mm apart."""
    polys = _polygons(bald)
    for poly in polys:
        draw.polygon(px(poly.exterior.coords), fill=(*BALD_TINT, 90))
        for hole in poly.interiors:
            draw.polygon(px(hole.coords), fill=(255, 255, 255, 0))
    if not polys:
        return
    spacing = 4.0
    minx, miny, maxx, maxy = bald.bounds
    span = (maxx - minx) + (maxy - miny)
    lines = [shapely.LineString([(minx + c, miny), (minx + c - span, miny + span)])
             for c in np.arange(0.0, 2 * span, spacing)]  # fmt: skip
    for line in lines:
        for part in shapely.get_parts(line.intersection(bald)):
            if part.geom_type == "LineString" and not part.is_empty:
                draw.line(px(part.coords), fill=(*BALD_TINT, 200), width=1)
