"""The design picture: a top view of the dot field on the chart, with the hairline drawn.

For the practitioner to judge the pattern: every dot at a visible size coloured by the session
that places it, the designed hairline in red, the bald area's outline, the scalp outline and a
5 cm scale bar; an inset shows 2 cm x 2 cm at the mid-frontal hairline at true scale (20 px per
mm, area-correct dots), where spacing, clusters and the soft edge can be seen.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import shapely
from PIL import Image, ImageDraw, ImageFont

from smpstudio.planning.treatment_plan import TreatmentPlan
from smpstudio.render.raster import linear_to_srgb8, splat_dots

SESSION_COLOURS = [(20, 40, 110), (30, 120, 160), (60, 170, 110), (200, 140, 30),
                   (170, 70, 150), (110, 110, 110), (0, 0, 0)]  # fmt: skip
INSET_MM = 20.0
INSET_PX_PER_MM = 20.0


def _parts(geom: Any) -> list[np.ndarray]:
    if geom is None or geom.is_empty:
        return []
    polys = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]
    return [np.asarray(p.exterior.coords) for p in polys]


def draw_design_chart(plan: TreatmentPlan, *, size_px: int = 1200) -> bytes:
    """PNG bytes of the design picture of a treatment plan."""
    regions = plan.assessment.regions
    design = plan.design
    dots = design.dots
    minx, miny, maxx, maxy = regions.scalp.bounds
    extent = 1.06 * max(abs(minx), abs(maxx), abs(miny), abs(maxy))
    scale = size_px / (2.0 * extent)
    img = Image.new("RGB", (size_px, size_px), (250, 248, 244))
    draw = ImageDraw.Draw(img)

    def px(uv: np.ndarray) -> list[tuple[float, float]]:
        a = np.asarray(uv, float).reshape(-1, 2)
        return list(zip((size_px / 2 + a[:, 0] * scale).tolist(),
                        (size_px / 2 - a[:, 1] * scale).tolist(), strict=True))  # fmt: skip

    for ring in _parts(regions.scalp):
        draw.polygon(px(ring), fill=(236, 226, 214), outline=(150, 140, 130))
    for geom in regions.polygons.values():
        for ring in _parts(geom):
            draw.line(px(ring), fill=(205, 195, 185), width=1)
    for ring in _parts(plan.assessment.loss.bald):
        draw.line(px(ring), fill=(150, 110, 80), width=2)
    radius = max(0.9, 0.0012 * size_px)
    order = np.argsort(-dots.session, kind="stable")
    xy = np.asarray(px(dots.uv_mm[order])) if dots.count else np.zeros((0, 2))
    for (x, y), s in zip(xy, dots.session[order], strict=True):
        colour = SESSION_COLOURS[(int(s) - 1) % len(SESSION_COLOURS)]
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    draw.line(px(design.hairline.points_mm), fill=(210, 30, 30), width=max(2, size_px // 500))
    font = ImageFont.load_default(size=max(12, size_px // 60))
    bar = 50.0 * scale
    y0 = size_px - size_px * 0.04
    draw.line([(size_px * 0.04, y0), (size_px * 0.04 + bar, y0)], fill=(40, 40, 40), width=3)
    draw.text((size_px * 0.04, y0 - size_px * 0.035), "5 cm", fill=(40, 40, 40), font=font)
    draw.text((size_px / 2, size_px * 0.01), "front", fill=(40, 40, 40), font=font, anchor="mt")
    for k in range(plan.case.design.sessions):
        yk = size_px * (0.03 + 0.03 * k)
        draw.ellipse((size_px * 0.78, yk, size_px * 0.78 + 10, yk + 10),
                     fill=SESSION_COLOURS[k % len(SESSION_COLOURS)])  # fmt: skip
        draw.text((size_px * 0.80, yk - 2), f"session {k + 1}", fill=(40, 40, 40), font=font)
    inset = _inset(plan)
    side = int(size_px * 0.3)
    img.paste(
        inset.resize((side, side), Image.Resampling.LANCZOS),
        (size_px - side - 10, size_px - side - 10),
    )
    draw.rectangle((size_px - side - 11, size_px - side - 11, size_px - 9, size_px - 9),
                   outline=(40, 40, 40))  # fmt: skip
    draw.text((size_px - side - 10, size_px - side - 14), "hairline, 2 x 2 cm, true scale",
              fill=(40, 40, 40), font=font, anchor="lb")  # fmt: skip
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _inset(plan: Any) -> Image.Image:
    """2 cm x 2 cm of chart around the mid-frontal hairline point, dots at true size."""
    line = plan.design.hairline.points_mm
    mid = line[np.argmin(np.abs(line[:, 0]))]
    centre = mid - np.array([0.0, 0.35 * INSET_MM])  # mostly behind the line
    n = int(INSET_MM * INSET_PX_PER_MM)
    skin = np.array([0.62, 0.45, 0.36], dtype=np.float32)
    image = np.empty((n, n, 3), dtype=np.float32)
    image[:] = skin
    dots = plan.design.dots
    rel = (dots.uv_mm - centre) * INSET_PX_PER_MM
    cx, cy = rel[:, 0] + n / 2, n / 2 - rel[:, 1]
    keep = (cx > -10) & (cx < n + 10) & (cy > -10) & (cy < n + 10)
    if np.any(keep):
        splat_dots(image, np.stack([cx[keep], cy[keep]], -1),
                   0.5 * dots.diameter_mm[keep] * INSET_PX_PER_MM,
                   np.tile(np.array([0.05, 0.05, 0.06], np.float32), (int(keep.sum()), 1)),
                   np.full(int(keep.sum()), 0.9))  # fmt: skip
    pil = Image.fromarray(linear_to_srgb8(image))
    d = ImageDraw.Draw(pil)
    rel_line = (line - centre) * INSET_PX_PER_MM
    d.line(list(zip((rel_line[:, 0] + n / 2).tolist(), (n / 2 - rel_line[:, 1]).tolist(),
                    strict=True)), fill=(210, 30, 30), width=1)  # fmt: skip
    return pil
