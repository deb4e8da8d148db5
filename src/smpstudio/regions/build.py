"""The eight named regions of the hair-bearing scalp, as chart polygons that tile it.

Layout (chart millimetres, ``u`` to the client's right, ``v`` anterior), in the zones hair
restoration surgeons use (e.g. Unger's frontal / midscalp / crown division, with temporal and
parietal fringes and the occipital donor area):

* ``vertex``: the crown, an ellipse centred at 36 % of the arc from the vertex to the
  opisthocranion, as wide as the top band and 60 % of that arc long;
* ``occipital``: everything behind the transverse line through the crown centre, down to the
  nape and round behind the ears;
* ``frontal`` and ``midscalp``: the top band (between the verticals 10 % outside the
  frontotemporal angles) in front of the crown, split 5 cm (scaled by head length) behind the
  mid-frontal point;
* ``temporal_*`` and ``parietal_*``: the sides, split by the line from the top band at the
  frontal/midscalp border to the front of the ear root.

Each region is cut from the scalp outline with set operations in a fixed order, and the last
cut of each side takes the remainder, so the regions tile the scalp exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely import affinity

from smpstudio.case.model import REGION_NAMES
from smpstudio.head.chart import ScalpChart
from smpstudio.head.model import Head
from smpstudio.units import mm2_to_cm2

CROWN_CENTRE_FRAC_OF_OPISTHOCRANION_ARC = 0.36
CROWN_LENGTH_FRAC_OF_OPISTHOCRANION_ARC = 0.60
TOP_BAND_HALF_WIDTH_FRAC_OF_FRONTOTEMPORAL = 1.10
FRONTAL_DEPTH_MM_AT_200 = 50.0
_BIG_MM = 2000.0


def surface_area_mm2(chart: ScalpChart, geom: Any) -> float:
    """Surface area (mm2) of a shapely geometry on the chart (see ``ScalpChart``)."""
    return chart.surface_area_mm2(geom)


def ellipse(
    centre_mm: tuple[float, float], rx_mm: float, ry_mm: float, angle_deg: float = 0.0,
    resolution: int = 64,
) -> shapely.Polygon:  # fmt: skip
    """An ellipse on the chart; ``angle_deg`` turns the ``rx`` axis from ``+u`` toward ``+v``."""
    circle = shapely.Point(0.0, 0.0).buffer(1.0, quad_segs=resolution)
    shape = affinity.scale(circle, rx_mm, ry_mm, origin=(0.0, 0.0))
    shape = affinity.rotate(shape, angle_deg, origin=(0.0, 0.0))
    return affinity.translate(shape, *centre_mm)


@dataclass(frozen=True, kw_only=True)
class Regions:
    """The hair-bearing scalp of one head split into the eight named regions.

    ``polygons`` maps each name of ``REGION_NAMES`` to a chart (multi)polygon (mm); areas are
    on the curved surface (cm2).
    """

    head: Head
    scalp: Any
    polygons: dict[str, Any]
    area_cm2: dict[str, float]
    scalp_area_cm2: float

    @property
    def chart(self) -> ScalpChart:
        return self.head.chart

    def region_of(self, uv_mm: Any) -> np.ndarray:
        """Region name of each chart point ``(N, 2)`` ('' outside the scalp)."""
        uv = np.atleast_2d(np.asarray(uv_mm, dtype=float))
        out = np.full(uv.shape[0], "", dtype=object)
        for name in REGION_NAMES:
            inside = shapely.contains_xy(self.polygons[name], uv[:, 0], uv[:, 1])
            out[inside & (out == "")] = name
        return out

    def to_dict(
        self, bald_area_by_region_cm2: Mapping[str, float] | None = None
    ) -> list[dict[str, Any]]:
        """The plan.json ``regions`` list: ``[{name, area_cm2, bald_area_cm2}]``.

        ``bald_area_by_region_cm2`` is the loss assessment's bald area per region (cm2);
        regions it leaves out count as 0.
        """
        bald = bald_area_by_region_cm2 or {}
        return [
            {"name": n, "area_cm2": round(self.area_cm2[n], 2),
             "bald_area_cm2": round(bald.get(n, 0.0), 2)}
            for n in REGION_NAMES
        ]  # fmt: skip


def build_regions(head: Head) -> Regions:
    """Split the head's hair-bearing scalp into the eight named regions."""
    chart = head.chart
    scalp = head.outline.polygon
    lm = head.landmarks.chart_mm
    ctl = head.hairline_controls_mm
    k = head.measured.length_mm / 200.0
    arc_op = abs(float(lm["opisthocranion"][1]))
    half_w = TOP_BAND_HALF_WIDTH_FRAC_OF_FRONTOTEMPORAL * abs(float(ctl["frontotemporal_right"][0]))
    v_cc = -CROWN_CENTRE_FRAC_OF_OPISTHOCRANION_ARC * arc_op
    crown = ellipse((0.0, v_cc), half_w, 0.5 * CROWN_LENGTH_FRAC_OF_OPISTHOCRANION_ARC * arc_op)
    v_fm = float(ctl["mid_frontal"][1]) - FRONTAL_DEPTH_MM_AT_200 * k
    big = _BIG_MM
    behind = shapely.box(-big, -big, big, v_cc)
    band = shapely.box(-half_w, -big, half_w, big)
    front = shapely.box(-big, v_fm, big, big)

    polys: dict[str, Any] = {}
    polys["vertex"] = scalp.intersection(crown)
    polys["occipital"] = scalp.intersection(behind).difference(crown)
    rest = scalp.difference(crown).difference(behind)
    top = rest.intersection(band)
    polys["frontal"] = top.intersection(front)
    polys["midscalp"] = top.difference(front)
    sides = rest.difference(band)
    for side, name in ((1.0, "right"), (-1.0, "left")):
        half = shapely.box(0.0, -big, big, big) if side > 0 else shapely.box(-big, -big, 0.0, big)
        ear = np.array(ctl["ear_front_right"]) * np.array([side, 1.0])
        start = np.array([side * half_w, v_fm])
        far = ear + 1.5 * (ear - start)
        temple_zone = shapely.Polygon(
            [
                tuple(start),
                tuple(far),
                (side * big, far[1]),
                (side * big, big),
                (side * half_w, big),
            ]
        )
        side_part = sides.intersection(half)
        polys[f"temporal_{name}"] = side_part.intersection(temple_zone)
        polys[f"parietal_{name}"] = side_part.difference(temple_zone)
    areas = {n: float(mm2_to_cm2(chart.surface_area_mm2(polys[n]))) for n in REGION_NAMES}
    return Regions(
        head=head, scalp=scalp, polygons={n: polys[n] for n in REGION_NAMES}, area_cm2=areas,
        scalp_area_cm2=head.scalp_area_cm2,
    )  # fmt: skip
