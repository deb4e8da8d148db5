"""Hair-loss patterns as chart shapes: Norwood-Hamilton (men) and Ludwig (women).

Built from the stage definitions (Norwood 1975, South Med J 68:1359; Ludwig 1977, Br J Dermatol
97:247; summary in docs/references.md) out of three smooth primitives, all drawn relative to
the head's own scalp outline and landmarks:

* **frontal recession**: the natural hairline moved back toward the vertex by a depth
  ``D(phi) = d_mid w(phi) + d_ft bump(phi)`` that varies smoothly with azimuth: ``bump`` peaks
  at the frontotemporal angles (the triangular temple recessions, apex toward the crown), ``w``
  is a broad window over the whole front (a high, even hairline: the "A" variants, which
  recede without leaving a central peninsula);
* **crown spot**: an egg-shaped patch around the crown (vertex region) centre;
* **horseshoe**: for stages 6 and 7, everything above a fringe of width ``F(phi)`` that is zero
  at the front and widens over the ears to the occiput.

Depths are millimetres of chart arc for a 200 mm-long head and scale with head length. The
values were set so that each stage's bald fraction of the mean male scalp lands on the default
of the surgeons' figures (docs/references.md; no peer-reviewed table exists; the test checks
the accept bands over head sizes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from smpstudio.head.fit import ray_hits
from smpstudio.head.model import Head
from smpstudio.head.surface import P_ZC
from smpstudio.regions.build import (
    CROWN_CENTRE_FRAC_OF_OPISTHOCRANION_ARC,
    ellipse,
)


@dataclass(frozen=True, kw_only=True)
class NorwoodShape:
    """Geometry of one Norwood stage (mm of arc at a 200 mm head length, rad).

    ``crown_mm`` is ``(rx, ry)`` of the crown spot or ``None``; ``fringe_mm`` is
    ``(side, back)`` fringe width for the horseshoe stages or ``None``.
    """

    d_mid_mm: float
    d_ft_mm: float
    mid_window_power: float
    crown_mm: tuple[float, float] | None = None
    fringe_mm: tuple[float, float] | None = None


NORWOOD_SHAPES: dict[str, NorwoodShape] = {
    "1": NorwoodShape(d_mid_mm=0.0, d_ft_mm=0.0, mid_window_power=2.0),
    "2": NorwoodShape(d_mid_mm=4.0, d_ft_mm=20.0, mid_window_power=2.0),
    "3": NorwoodShape(d_mid_mm=10.0, d_ft_mm=40.0, mid_window_power=2.0),
    "3v": NorwoodShape(d_mid_mm=10.0, d_ft_mm=40.0, mid_window_power=2.0, crown_mm=(22.0, 20.0)),
    "4": NorwoodShape(d_mid_mm=28.0, d_ft_mm=60.0, mid_window_power=1.5, crown_mm=(44.0, 42.0)),
    "5": NorwoodShape(d_mid_mm=42.0, d_ft_mm=100.0, mid_window_power=1.0, crown_mm=(76.0, 66.0)),
    "6": NorwoodShape(d_mid_mm=0.0, d_ft_mm=0.0, mid_window_power=1.0, fringe_mm=(62.0, 95.0)),
    "7": NorwoodShape(d_mid_mm=0.0, d_ft_mm=0.0, mid_window_power=1.0, fringe_mm=(38.0, 62.0)),
}
# "A" variants: the whole front recedes to a rounded line whose midline point lies on a coronal
# plane (head-frame y, mm at a 200 mm head length): IIA in front of the plane 2 cm before the ear
# canal, IIIA up to the ear canal, IVA behind it, VA reaching the crown (Norwood 1975).
# The line sweeps forward to the temple point (2a, 3a) or to the front of the ear root (4a, 5a).
NORWOOD_A_PLANE_Y_MM: dict[str, tuple[float, str]] = {
    "2a": (55.0, "temple_right"), "3a": (30.0, "temple_right"),
    "4a": (-50.0, "temple_right"), "5a": (-58.0, "ear_front_right"),
}  # fmt: skip

# Ludwig grades: crown zone starting 2 cm behind the preserved hairline (Ludwig 1977: 1-3 cm),
# (length, width) in mm inside the 10-12 x 6-9 cm of Ludwig 1977, growing with grade; remaining
# density = 1 - midpoint of the loss band (I 25-50 %, II 50-75 %, III > 75 %: Ludwig 1977 as
# summarised in docs/references.md).
LUDWIG_ZONES_MM: dict[str, tuple[float, float]] = {"1": (102.0, 66.0), "2": (110.0, 76.0),
                                                     "3": (118.0, 86.0)}  # fmt: skip
LUDWIG_REMAINING_FRAC: dict[str, float] = {"1": 0.625, "2": 0.375, "3": 0.125}
# A zone with less than a quarter of its density left (over 75 % lost: Ludwig 1977 grade III,
# near-bald) reads as bald, not thinning: assessed as bald area.
LUDWIG_NEAR_BALD_REMAINING_FRAC = 0.25
LUDWIG_GAP_BEHIND_HAIRLINE_MM = 20.0
_BUMP_WIDTH_RAD = 0.30
_N_PHI = 241


def _smoothstep(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _front_extent_rad(head: Head) -> tuple[float, float]:
    """Azimuths (rad) of the frontotemporal angle and of the sideburn on the client's right."""
    ft = head.hairline_controls_mm["frontotemporal_right"]
    sb = head.hairline_controls_mm["sideburn_right"]
    return math.atan2(ft[0], ft[1]), math.atan2(sb[0], sb[1])


def frontal_recession(head: Head, shape: NorwoodShape) -> shapely.Geometry:
    """The bald band between the natural and the receded frontal hairline (chart mm)."""
    if shape.d_mid_mm <= 0.0 and shape.d_ft_mm <= 0.0:
        return shapely.Polygon()
    k = head.measured.length_mm / 200.0
    phi_ft, phi_sb = _front_extent_rad(head)
    phi = np.linspace(-phi_sb, phi_sb, _N_PHI)
    a = np.abs(phi)
    window = np.cos(0.5 * math.pi * a / phi_sb) ** shape.mid_window_power
    fade = 1.0 - _smoothstep(a, phi_ft, phi_sb)
    bump = np.exp(-(((a - phi_ft) / _BUMP_WIDTH_RAD) ** 2)) * fade
    depth = k * (shape.d_mid_mm * window + shape.d_ft_mm * bump)
    r_out = head.outline.radius_mm(phi)
    r_in = np.maximum(r_out - depth, 1.0)
    inner = np.stack([r_in * np.sin(phi), r_in * np.cos(phi)], axis=-1)
    outer = np.stack([(r_out + 30.0) * np.sin(phi), (r_out + 30.0) * np.cos(phi)], axis=-1)
    band = shapely.Polygon(np.concatenate([inner, outer[::-1]]))
    return shapely.make_valid(band).intersection(head.outline.polygon)


def crown_spot(head: Head, rx_mm: float, ry_mm: float) -> shapely.Geometry:
    """Egg-shaped crown (vertex) bald spot around the crown centre (chart mm)."""
    k = head.measured.length_mm / 200.0
    arc_op = abs(float(head.landmarks.chart_mm["opisthocranion"][1]))
    centre = (0.0, -CROWN_CENTRE_FRAC_OF_OPISTHOCRANION_ARC * arc_op)
    spot = ellipse(centre, k * rx_mm, k * ry_mm)
    # egg: a little fuller toward the back of the crown, where the whorl sits
    back = ellipse((0.0, centre[1] - 0.25 * k * ry_mm), 0.92 * k * rx_mm, 0.85 * k * ry_mm)
    return spot.union(back).intersection(head.outline.polygon)


def horseshoe_bald(head: Head, side_mm: float, back_mm: float) -> shapely.Geometry:
    """Everything above a fringe ``F(phi)`` wide: zero in front, ``side`` over the ears,
    ``back`` at the occiput (chart mm)."""
    k = head.measured.length_mm / 200.0
    phi_ft, _phi_sb = _front_extent_rad(head)
    phi = np.linspace(-math.pi, math.pi, 2 * _N_PHI, endpoint=False)
    a = np.abs(phi)
    fringe = k * (side_mm * _smoothstep(a, 0.5 * phi_ft, 0.5 * math.pi)
                  + (back_mm - side_mm) * _smoothstep(a, 0.5 * math.pi, math.pi))  # fmt: skip
    r = np.maximum(head.outline.radius_mm(phi) - fringe, 1.0)
    r = np.where(a < 0.5 * phi_ft, r + 30.0, r)  # the front is bald right to the hairline
    poly = shapely.Polygon(np.stack([r * np.sin(phi), r * np.cos(phi)], axis=-1))
    return shapely.make_valid(poly).intersection(head.outline.polygon)


def a_variant_bald(head: Head, plane_y_mm: float, anchor: str) -> shapely.Geometry:
    """Bald front of an "A" variant: everything in front of a rounded line through the midline
    point on the coronal plane ``y = plane_y_mm`` that sweeps forward to the ``anchor``
    control point of the outline (and its mirror image)."""
    k = head.measured.length_mm / 200.0
    chart = head.chart
    prm = chart.params
    top = ray_hits(prm, np.array([0.0, k * plane_y_mm, prm[P_ZC]]), np.array([0.0, 0.0, 1.0]))
    v0 = float(chart.surface_to_chart(top)[0, 1])
    temple = head.hairline_controls_mm[anchor]
    u = np.linspace(-1.5 * temple[0], 1.5 * temple[0], 121)
    # the line reaches the temple point: v = v0 + (v_temple - v0) (u / u_temple)^2
    v = v0 + (temple[1] - v0) * (u / temple[0]) ** 2
    poly = shapely.Polygon(np.concatenate([np.stack([u, v], -1), [(u[-1], 1e3), (u[0], 1e3)]]))
    return shapely.make_valid(poly).intersection(head.outline.polygon)


def norwood_bald(head: Head, stage: str) -> shapely.Geometry:
    """Bald area of a Norwood stage (``"1"`` .. ``"7"``, with ``a`` and ``3v``) on the chart."""
    if stage in NORWOOD_A_PLANE_Y_MM:
        return a_variant_bald(head, *NORWOOD_A_PLANE_Y_MM[stage])
    shape = NORWOOD_SHAPES[stage]
    parts = [frontal_recession(head, shape)]
    if shape.crown_mm is not None:
        parts.append(crown_spot(head, *shape.crown_mm))
    if shape.fringe_mm is not None:
        parts.append(horseshoe_bald(head, *shape.fringe_mm))
    return shapely.union_all(parts).intersection(head.outline.polygon)


def ludwig_zone(head: Head, grade: str) -> shapely.Geometry:
    """The Ludwig crown thinning zone: an oval on the midline behind the preserved hairline."""
    k = head.measured.length_mm / 200.0
    length, width = LUDWIG_ZONES_MM[grade]  # measured on women's heads: not scaled
    v_front = float(head.hairline_controls_mm["mid_frontal"][1]) - LUDWIG_GAP_BEHIND_HAIRLINE_MM * k
    zone = ellipse((0.0, v_front - 0.5 * length), 0.5 * width, 0.5 * length)
    return zone.intersection(head.outline.polygon)
