"""Existing hair as the stubble of a freshly shaved head, and how a camera sees it.

A client who has SMP keeps the rest of the scalp clipped short ("0.5 mm clipper"). Each
follicular unit (FU) then shows 1-3 short hair stubs, 0.06-0.08 mm thick (terminal scalp
hair, Otberg et al. 2004, J Invest Dermatol 122:14: 0.06-0.09 mm) and 0.3-0.8 mm long, leaving
the skin at a slant along the growth direction (hair emerges at 30-60 degrees to the skin;
Bernstein & Rassman 1997, the follicular-unit papers), plus the shaft inside the skin, seen
through the epidermis as a faint grey mark behind each stub. This is the "shadow" that SMP dots
imitate. The number of hairs per FU is ``1 + Binomial(2, (m - 1) / 2)`` for a mean ``m``
(PMC6219221: 2.2 for Caucasian scalps, 1.5-3.0).

Growth direction: away from the parietal whorl, which sits a little behind the vertex and
turns clockwise seen from above in most people (Wunderlich & Heerema 1975, J Invest Dermatol
64:265: about 2 in 3 clockwise, the whorl 1-3 cm behind and to one side of the vertex). In chart
terms the hair points along the chart radius from the whorl (forward at the front, downward on
the sides and back), turned by a clockwise swirl that decays over ~3 cm, with a few degrees of
natural scatter per hair.

Soft edges: a natural hairline is a transition zone, not a line; density falls over the last
5-10 mm (Shapiro 2004, Dermatol Clin 22:437, "transition zone"), and the edge of a balding area
is a zone of miniaturising, thinning hair. Follicles within :data:`EDGE_TAPER_MM` of the
scalp outline or of a bald outline are therefore thinned, kept with probability
``max(0.06, (d / EDGE_TAPER_MM) ** 0.8)`` at chart distance ``d`` from the edge. Thinning only
removes hair, so a plan whose follicles already fade out keeps (nearly) all of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely

from smpstudio.head.chart import ScalpChart
from smpstudio.planning.streams import scene_rng
from smpstudio.render.headmodel import HeadModel

FloatArray = npt.NDArray[np.float64]

HAIR_WIDTH_MM = (0.06, 0.08)
HAIR_LENGTH_MM = (0.3, 0.8)
HAIR_ELEVATION_DEG = (35.0, 60.0)
DIRECTION_SCATTER_DEG = 12.0  # between follicular units
HAIR_SCATTER_DEG = 4.0  # between the hairs of one unit (they leave one orifice together)
SHADE_SPREAD = 0.15  # hair-to-hair lightness variation (pigment and sheen)
WHORL_UV_MM = (6.0, -22.0)
WHORL_SWIRL_RAD = 1.2
WHORL_SWIRL_DECAY_MM = 30.0
FU_SPREAD_MM = 0.05  # hairs of one FU leave one orifice, a hair's width or two apart
SHAFT_LENGTH_MM = 0.45  # the part seen inside the skin behind the stub
EDGE_TAPER_MM = 10.0
EDGE_KEEP_MIN = 0.06


def taper_edges(
    follicles_uv_mm: FloatArray, outlines_uv_mm: list[FloatArray], rng: np.random.Generator
) -> FloatArray:
    """Follicles ``(M', 2)`` after thinning those near the given outlines (module docstring)."""
    fol = np.asarray(follicles_uv_mm, dtype=np.float64).reshape(-1, 2)
    rings = [np.asarray(o, dtype=np.float64) for o in outlines_uv_mm if np.shape(o)[0] >= 3]
    if fol.shape[0] == 0 or not rings:
        return fol
    edges = shapely.MultiLineString([np.vstack([r, r[:1]]) for r in rings])
    d = shapely.distance(edges, shapely.points(fol))
    keep = np.maximum(EDGE_KEEP_MIN, np.clip(d / EDGE_TAPER_MM, 0.0, 1.0) ** 0.8)
    return fol[rng.random(fol.shape[0]) < keep]


def growth_direction(uv_mm: FloatArray) -> FloatArray:
    """Unit chart vectors ``(N, 2)`` of hair growth at chart points ``(N, 2)``."""
    rel = np.asarray(uv_mm, dtype=np.float64) - np.asarray(WHORL_UV_MM)
    r = np.hypot(rel[:, 0], rel[:, 1])
    ang = np.arctan2(rel[:, 1], rel[:, 0]) - WHORL_SWIRL_RAD * np.exp(-r / WHORL_SWIRL_DECAY_MM)
    return np.stack([np.cos(ang), np.sin(ang)], axis=-1)


@dataclass(frozen=True, kw_only=True)
class Stubble:
    """Hairs as straight segments on the head and on the chart.

    Attributes
    ----------
    root_mm, tip_mm : (K, 3) where each hair leaves the skin and where its stub ends.
    shaft_mm : (K, 3) the far end of the shaft seen inside the skin (on the surface).
    normal : (K, 3) outward skin normal at the root.
    root_uv_mm, tip_uv_mm, shaft_uv_mm : (K, 2) the same on the chart (tip: its footprint).
    width_mm : (K,) shaft thickness.
    shade : (K,) lightness factor of each hair (about 1).
    """

    root_mm: FloatArray
    tip_mm: FloatArray
    shaft_mm: FloatArray
    normal: FloatArray
    root_uv_mm: FloatArray
    tip_uv_mm: FloatArray
    shaft_uv_mm: FloatArray
    width_mm: FloatArray
    shade: FloatArray

    @property
    def count(self) -> int:
        """Number of hairs K."""
        return int(self.width_mm.shape[0])


def grow_stubble(
    chart: ScalpChart,
    head: HeadModel,
    follicles_uv_mm: FloatArray,
    hairs_per_follicle: float,
    edges_uv_mm: list[FloatArray] | None = None,
) -> Stubble:
    """Hairs for follicular units at chart points ``(M, 2)`` (deterministic).

    ``edges_uv_mm``: outlines (scalp, bald areas) near which the hair thins out.
    """
    fol = np.asarray(follicles_uv_mm, dtype=np.float64).reshape(-1, 2)
    rng = scene_rng("stubble", fol.shape[0])  # the same scene always grows the same stubble
    fol = taper_edges(fol, edges_uv_mm or [], rng)
    per_fu = 1 + rng.binomial(2, (hairs_per_follicle - 1.0) / 2.0, fol.shape[0])
    idx = np.repeat(np.arange(fol.shape[0]), per_fu)
    k = idx.size
    if k == 0:
        z3, z2 = np.zeros((0, 3)), np.zeros((0, 2))
        return Stubble(
            root_mm=z3,
            tip_mm=z3,
            shaft_mm=z3,
            normal=z3,
            root_uv_mm=z2,
            tip_uv_mm=z2,
            shaft_uv_mm=z2,
            width_mm=np.zeros(0),
            shade=np.zeros(0),
        )
    base_xyz = chart.chart_to_surface(fol)[idx]
    normal = head.normals(base_xyz)
    uv = fol[idx]
    # Tangent frame at each root: meridian (down from the vertex) and azimuthal directions.
    rel = base_xyz - chart.centre_mm
    phi = np.arctan2(rel[:, 0], rel[:, 1])
    theta = np.arctan2(np.hypot(rel[:, 0], rel[:, 1]), rel[:, 2])
    e_phi = np.stack([np.cos(phi), -np.sin(phi), np.zeros_like(phi)], axis=-1)
    e_theta = np.stack(
        [np.cos(theta) * np.sin(phi), np.cos(theta) * np.cos(phi), -np.sin(theta)], axis=-1
    )
    t_mer = _tangent(e_theta, normal)
    t_az = _tangent(e_phi, normal)
    g = growth_direction(uv)
    scatter = np.deg2rad(
        rng.normal(0.0, DIRECTION_SCATTER_DEG, fol.shape[0])[idx]
        + rng.normal(0.0, HAIR_SCATTER_DEG, k)
    )
    cs, sn = np.cos(scatter), np.sin(scatter)
    g = np.stack([cs * g[:, 0] - sn * g[:, 1], sn * g[:, 0] + cs * g[:, 1]], axis=-1)
    g_rad = g[:, 0] * np.sin(phi) + g[:, 1] * np.cos(phi)
    g_az = g[:, 0] * np.cos(phi) - g[:, 1] * np.sin(phi)
    along = _unit(g_rad[:, None] * t_mer + g_az[:, None] * t_az)
    side = np.cross(normal, along)
    offset = rng.normal(0.0, FU_SPREAD_MM, (k, 2))
    root = base_xyz + offset[:, :1] * along + offset[:, 1:] * side
    length = rng.uniform(*HAIR_LENGTH_MM, k)
    elev = np.deg2rad(rng.uniform(*HAIR_ELEVATION_DEG, k))
    tip = root + length[:, None] * (np.cos(elev)[:, None] * along + np.sin(elev)[:, None] * normal)
    shaft = root - SHAFT_LENGTH_MM * along
    root_uv = uv + offset[:, :1] * g + offset[:, 1:] * np.stack([g[:, 1], -g[:, 0]], axis=-1)
    return Stubble(
        root_mm=root,
        tip_mm=tip,
        shaft_mm=shaft,
        normal=normal,
        root_uv_mm=root_uv,
        tip_uv_mm=root_uv + (length * np.cos(elev))[:, None] * g,
        shaft_uv_mm=root_uv - SHAFT_LENGTH_MM * g,
        width_mm=rng.uniform(*HAIR_WIDTH_MM, k),
        shade=np.clip(rng.normal(1.0, SHADE_SPREAD, k), 0.6, 1.4),
    )


def _unit(v: FloatArray) -> FloatArray:
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    return np.asarray(v / np.where(norm == 0.0, 1.0, norm))


def _tangent(v: FloatArray, normal: FloatArray) -> FloatArray:
    return _unit(v - np.einsum("ij,ij->i", v, normal)[:, None] * normal)


@dataclass(frozen=True, kw_only=True)
class Strokes:
    """Discs in pixels that draw a set of segments: centres (P, 2), radii (P,), owner (P,)."""

    centers_px: FloatArray
    radius_px: FloatArray
    owner: npt.NDArray[np.int64]


def segment_discs(a_px: FloatArray, b_px: FloatArray, width_px: FloatArray) -> Strokes:
    """Discs along 2-D segments ``a -> b`` (px) of thickness ``width_px``.

    Wide strokes (>= 1 px) are chains of discs of the stroke's width, spaced a quarter width
    apart (a capsule). Thinner strokes are a few sub-pixel discs whose areas add up to the
    stroke's area, ``width x (length + width)``, so the darkening of a pixel is right where
    the stroke itself cannot be resolved.
    """
    length = np.hypot(*(b_px - a_px).T)
    wide = width_px >= 1.0
    n_wide = np.ceil(4.0 * length / np.maximum(width_px, 1e-9)).astype(np.int64) + 1
    n_thin = np.ceil(length / 0.7).astype(np.int64) + 1
    n = np.clip(np.where(wide, n_wide, n_thin), 1, 64)
    owner = np.repeat(np.arange(n.size), n)
    first = np.repeat(np.cumsum(n) - n, n)
    j = np.arange(owner.size) - first
    frac = np.where(n[owner] > 1, j / np.maximum(n[owner] - 1, 1), 0.5)
    centers = a_px[owner] + frac[:, None] * (b_px - a_px)[owner]
    area = width_px * (length + width_px)
    r_thin = np.sqrt(area / (n * math.pi))
    radius = np.where(wide, 0.5 * width_px, r_thin)[owner]
    return Strokes(centers_px=centers, radius_px=radius, owner=owner)
