"""Landmarks of the fitted head and the outline of its hair-bearing scalp.

Landmarks (head frame, mm): glabella, vertex, tragia, opisthocranion, inion, euryon, and the
verticals through the lateral canthi (outer eye corners). The hair-bearing scalp is bounded by
a natural, unreceded (Norwood 1) hairline, the temporal fringes, the line over the ears and the
nape hairline; its outline is given by 3-D control points placed as fractions of head length and
height (docs/head-model.md), mapped to the chart and joined by a shape-preserving (PCHIP)
curve of chart radius against azimuth, so the scalp is star-shaped about the vertex on the chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.interpolate import PchipInterpolator

from smpstudio.case.model import Sex
from smpstudio.head.chart import ScalpChart
from smpstudio.head.fit import Measured, ray_hits
from smpstudio.head.surface import P_CU, P_YC, P_ZC, FloatArray

# Mid-frontal point of the natural hairline, arc length above the glabella along the forehead.
# Men 7.0 cm (unreceded, inside Shapiro's 6.5-10 cm; Japanese men 6.65 cm, PMC8367035); women
# 5.8 cm (PMC8367035: Thai women 6.45 +/- 0.89, Japanese women 6.2 cm).
MID_FRONTAL_HEIGHT_MM = {"male": 70.0, "female": 58.0}
# Half the biocular (ex-ex) breadth, ~45 mm in adult men: 0.29 of head breadth (Farkas 1994).
LATERAL_CANTHUS_X_FRAC_OF_BREADTH = 0.29
# Inion: external occipital protuberance, about 1 cm above the tragion level (Frankfort
# orientation), below the opisthocranion.
INION_Z_FRAC_OF_HEIGHT = 0.08
# Outline control points on the client's right: (name, y / head length, z / tragion-vertex height).
# Sideburn in front of the tragus, over the ear (ear height ~62 mm with the tragion near its
# middle), behind the ear along the mastoid, nape hairline ~6 cm below the inion.
SIDE_CONTROLS: tuple[tuple[str, float, float], ...] = (
    ("temple", 0.20, 0.50),
    ("sideburn", 0.09, 0.02),
    ("ear_front", 0.04, 0.21),
    ("ear_top", -0.04, 0.30),
    ("ear_back", -0.12, 0.21),
    ("mastoid", -0.15, 0.02),
    ("nape_corner", -0.27, -0.15),
)
NAPE_Z_FRAC_OF_HEIGHT = -0.20
_N_OUTLINE = 720


@dataclass(frozen=True, kw_only=True)
class Landmarks:
    """Head-frame landmarks (mm, shape (3,)) and their chart positions (mm, shape (2,))."""

    points_mm: dict[str, FloatArray]
    chart_mm: dict[str, FloatArray]
    lateral_canthus_x_mm: float  # |x| of the verticals through the outer eye corners


@dataclass(frozen=True, kw_only=True)
class ScalpOutline:
    """The hair-bearing scalp on the chart.

    ``control_phi_rad`` / ``control_s_mm`` are the outline's control points (azimuth, chart
    radius), sorted by azimuth over one turn; ``polygon`` is the outline as a shapely polygon.
    """

    control_phi_rad: FloatArray
    control_s_mm: FloatArray
    polygon: shapely.Polygon
    mid_frontal_height_mm: float

    def radius_mm(self, phi_rad: FloatArray) -> FloatArray:
        """Chart radius of the outline at the given azimuths (rad)."""
        phi = np.mod(np.asarray(phi_rad, dtype=float) + math.pi, 2 * math.pi) - math.pi
        return np.asarray(_periodic_pchip(self.control_phi_rad, self.control_s_mm)(phi))


def _periodic_pchip(phi: FloatArray, s: FloatArray) -> PchipInterpolator:
    ext_phi = np.concatenate([phi[-3:] - 2 * math.pi, phi, phi[:3] + 2 * math.pi])
    ext_s = np.concatenate([s[-3:], s, s[:3]])
    return PchipInterpolator(ext_phi, ext_s)


def find_landmarks(
    chart: ScalpChart, measured: Measured, length_mm: float, breadth_mm: float,
    height_mm: float,
) -> Landmarks:  # fmt: skip
    """Locate the landmarks on the fitted surface."""
    prm = chart.params
    pts: dict[str, FloatArray] = {
        "glabella": measured.glabella_mm,
        "opisthocranion": measured.opisthocranion_mm,
        "vertex": np.array([0.0, prm[P_YC], prm[P_ZC] + prm[P_CU]]),
        "euryon_right": measured.euryon_mm,
        "euryon_left": measured.euryon_mm * np.array([-1.0, 1.0, 1.0]),
    }
    origin = np.zeros(3)
    hits = ray_hits(prm, origin, np.array([[1.0, 0.0, 0.0], [-1.0, 0.0, 0.0]]))
    pts["tragion_right"], pts["tragion_left"] = hits[0], hits[1]
    z_inion = INION_Z_FRAC_OF_HEIGHT * height_mm
    pts["inion"] = ray_hits(prm, np.array([0.0, prm[P_YC], z_inion]), np.array([0.0, -1.0, 0.0]))[0]
    chart_pts = {k: chart.surface_to_chart(v)[0] for k, v in pts.items()}
    return Landmarks(
        points_mm=pts,
        chart_mm=chart_pts,
        lateral_canthus_x_mm=LATERAL_CANTHUS_X_FRAC_OF_BREADTH * breadth_mm,
    )


def canthus_line_mm(chart: ScalpChart, landmarks: Landmarks, side: int, n: int = 40) -> FloatArray:
    """Chart polyline ``(n, 2)`` of the vertical through a lateral canthus on the forehead.

    ``side`` is +1 for the client's right, -1 for the left; the line runs from the glabella
    level up to three quarters of the way to the vertex.
    """
    prm = chart.params
    x = side * landmarks.lateral_canthus_x_mm
    z = np.linspace(landmarks.points_mm["glabella"][2], prm[P_ZC] + 0.75 * prm[P_CU], n)
    origins = np.stack([np.full(n, x), np.full(n, prm[P_YC]), z], axis=-1)
    hits = ray_hits(prm, origins, np.tile([0.0, 1.0, 0.0], (n, 1)))
    return chart.surface_to_chart(hits)


def hairline_controls(
    chart: ScalpChart, landmarks: Landmarks, length_mm: float, height_mm: float,
    mid_frontal_height_mm: float,
) -> dict[str, FloatArray]:  # fmt: skip
    """Chart positions of the outline's control points on the client's right and midline."""
    prm = chart.params
    glabella_v = landmarks.chart_mm["glabella"][1]
    mid = np.array([0.0, glabella_v - mid_frontal_height_mm])
    mid_xyz = chart.chart_to_surface(mid)[0]
    ft = ray_hits(
        prm, np.array([landmarks.lateral_canthus_x_mm, prm[P_YC], mid_xyz[2]]),
        np.array([0.0, 1.0, 0.0]),
    )[0]  # fmt: skip
    out = {"mid_frontal": mid, "frontotemporal_right": chart.surface_to_chart(ft)[0]}
    for name, yf, zf in SIDE_CONTROLS:
        origin = np.array([0.0, yf * length_mm, zf * height_mm])
        hit = ray_hits(prm, origin, np.array([1.0, 0.0, 0.0]))
        out[f"{name}_right"] = chart.surface_to_chart(hit)[0]
    nape = ray_hits(
        prm, np.array([0.0, prm[P_YC], NAPE_Z_FRAC_OF_HEIGHT * height_mm]),
        np.array([0.0, -1.0, 0.0]),
    )  # fmt: skip
    out["nape"] = chart.surface_to_chart(nape)[0]
    return out


def build_outline(controls: dict[str, FloatArray], mid_frontal_height_mm: float) -> ScalpOutline:
    """The hair-bearing outline through the control points, mirrored to the client's left."""
    phi, s = [], []
    for name, uv in controls.items():
        p, r = math.atan2(uv[0], uv[1]), math.hypot(uv[0], uv[1])
        if name == "nape":
            p = math.pi
        phi.append(p)
        s.append(r)
        if name.endswith("_right"):
            phi.append(-p)
            s.append(r)
    order = np.argsort(phi)
    phi_a, s_a = np.asarray(phi)[order], np.asarray(s)[order]
    spline = _periodic_pchip(phi_a, s_a)
    grid = np.linspace(-math.pi, math.pi, _N_OUTLINE, endpoint=False)
    r = spline(grid)
    poly = shapely.Polygon(np.stack([r * np.sin(grid), r * np.cos(grid)], axis=-1))
    return ScalpOutline(
        control_phi_rad=phi_a, control_s_mm=s_a, polygon=shapely.make_valid(poly),
        mid_frontal_height_mm=mid_frontal_height_mm,
    )  # fmt: skip


def natural_hairline_mm(outline: ScalpOutline, controls: dict[str, FloatArray],
                        n: int = 121) -> FloatArray:  # fmt: skip
    """The natural (Norwood 1) frontal hairline as chart points ``(n, 2)``.

    Runs from the client's left sideburn over the left frontotemporal angle, the mid-frontal
    point and the right frontotemporal angle to the right sideburn (left to right, ``u``
    increasing), following the scalp outline.
    """
    sb = controls["sideburn_right"]
    phi_sb = math.atan2(sb[0], sb[1])
    phi = np.linspace(-phi_sb, phi_sb, n)
    r = outline.radius_mm(phi)
    return np.stack([r * np.sin(phi), r * np.cos(phi)], axis=-1)


def default_mid_frontal_height_mm(sex: Sex) -> float:
    """Natural mid-frontal hairline height above the glabella for the sex (mm)."""
    return MID_FRONTAL_HEIGHT_MM[sex]
