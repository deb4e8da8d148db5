"""The dot field: blue-noise dots at the planned density, their sessions and attributes.

Also the existing hair as a follicle field (for density enhancement between hairs and for the
renderer's stubble) and the per-region statistics of plan.json.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from scipy import ndimage
from scipy.spatial import cKDTree

from smpstudio.design.bluenoise import sample_progressive
from smpstudio.design.density import DensityMap
from smpstudio.head import ScalpChart

FloatArray = npt.NDArray[np.float64]
_METRIC_STRIDE = 4  # metric computed every 4 cells (2 mm) and interpolated: it is smooth


@dataclass(frozen=True, kw_only=True)
class DotField:
    """All dots as columns (N rows each)."""

    uv_mm: FloatArray
    xyz_mm: FloatArray
    region: npt.NDArray[np.str_]
    session: npt.NDArray[np.int64]  # 1-based
    diameter_mm: FloatArray
    depth_mm: FloatArray
    dilution_frac: FloatArray
    needle: npt.NDArray[np.str_]
    hairline_distance_mm: FloatArray
    on_scar: npt.NDArray[np.bool_]

    @property
    def count(self) -> int:
        return int(self.uv_mm.shape[0])


def metric_grid(chart: ScalpChart, plan_shape: tuple[int, int], origin_mm: tuple[float, float],
                step_mm: float) -> FloatArray:  # fmt: skip
    """(ny, nx, 3) metric ``(G_uu, G_uv, G_vv)`` at the cell centres of a chart grid."""
    ny, nx = plan_shape
    cy = np.arange(0, ny + _METRIC_STRIDE, _METRIC_STRIDE).clip(max=ny - 1)
    cx = np.arange(0, nx + _METRIC_STRIDE, _METRIC_STRIDE).clip(max=nx - 1)
    cy, cx = np.unique(cy), np.unique(cx)
    uu, vv = np.meshgrid(origin_mm[0] + step_mm * (cx + 0.5), origin_mm[1] + step_mm * (cy + 0.5))
    g = chart.metric(np.stack([uu.ravel(), vv.ravel()], -1)).reshape(len(cy), len(cx), 2, 2)
    coarse = np.stack([g[..., 0, 0], g[..., 0, 1], g[..., 1, 1]], -1)
    rows = np.interp(np.arange(ny), cy, np.arange(len(cy)))
    cols = np.interp(np.arange(nx), cx, np.arange(len(cx)))
    rr, cc = np.meshgrid(rows, cols, indexing="ij")
    out = np.empty((ny, nx, 3))
    for k in range(3):
        out[..., k] = ndimage.map_coordinates(coarse[..., k], [rr, cc], order=1, mode="nearest")
    return out


def place_dots(
    density_map: DensityMap,
    chart: ScalpChart,
    *,
    stage_fracs: tuple[float, ...],
    follicles_uv_mm: FloatArray | Callable[[], FloatArray],
    follicle_clearance_mm: float,
    rng: np.random.Generator,
    hairline_mm: FloatArray | None = None,
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """Chart positions and 1-based sessions of every dot (main field plus hairline singles)."""
    metric = metric_grid(
        chart, density_map.density_per_mm2.shape, density_map.origin_mm, density_map.step_mm
    )
    parts_uv, parts_session = [], []
    if np.any(density_map.density_per_mm2 > 0):
        result = sample_progressive(
            density_map.density_per_mm2, origin_mm=density_map.origin_mm,
            step_mm=density_map.step_mm, metric=metric, stage_fracs=stage_fracs, rng=rng,
        )  # fmt: skip
        uv = result.points_mm
        session = result.stage.astype(np.int64) + 1
        follicles = follicles_uv_mm() if callable(follicles_uv_mm) else follicles_uv_mm
        if follicles.shape[0] and np.any(density_map.in_thinning):
            # Keep enhancement dots clear of the existing hairs (they go between them).
            i, j = density_map.cell_index(uv)
            in_thin = density_map.in_thinning[i, j]
            dist, _ = cKDTree(follicles).query(uv)
            keep = ~(in_thin & (dist < follicle_clearance_mm))
            uv, session = uv[keep], session[keep]
        parts_uv.append(uv)
        parts_session.append(session)
    if np.any(density_map.sentinel_per_mm2 > 0) and hairline_mm is not None:
        # Single dots just ahead of a soft hairline, placed in the final session, which
        # refines the hairline (SMP practice: the last session also refines the hairline).
        singles = _sentinels(density_map, metric, hairline_mm, rng)
        parts_uv.append(singles)
        parts_session.append(np.full(singles.shape[0], len(stage_fracs), np.int64))
    if not parts_uv:
        return np.zeros((0, 2)), np.zeros(0, np.int64)
    return np.concatenate(parts_uv), np.concatenate(parts_session)


def follicle_field(
    *,
    hair_geom: shapely.Geometry,
    thinning: tuple[tuple[shapely.Geometry, float], ...],
    bald_geom: shapely.Geometry,
    chart: ScalpChart,
    follicle_density_per_mm2: float,
    existing_density_frac: float,
    rng: np.random.Generator,
    step_mm: float = 1.0,
    edge_thinning_mm: float = 6.0,
) -> FloatArray:
    """Existing hair: follicular units as blue noise over the hair-bearing, non-bald scalp.

    Density is the client's follicular-unit density times what is left (thinning zones, diffuse
    thinning), and thins toward a bald edge over ``edge_thinning_mm`` as real hair does.
    """
    if hair_geom.is_empty:
        return np.zeros((0, 2))
    u0, v0, u1, v1 = shapely.bounds(hair_geom)
    nx, ny = int(np.ceil((u1 - u0) / step_mm)) + 1, int(np.ceil((v1 - v0) / step_mm)) + 1
    uu, vv = np.meshgrid(u0 + step_mm * (np.arange(nx) + 0.5), v0 + step_mm * (np.arange(ny) + 0.5))
    u, v = uu.ravel(), vv.ravel()
    shapely.prepare(hair_geom)
    inside = shapely.contains_xy(hair_geom, u, v).reshape(ny, nx)
    frac = np.full((ny, nx), existing_density_frac)
    for geom, remaining in thinning:
        shapely.prepare(geom)
        frac = np.where(shapely.contains_xy(geom, u, v).reshape(ny, nx), remaining, frac)
    density = np.where(inside, follicle_density_per_mm2 * frac, 0.0)
    if not bald_geom.is_empty:
        shapely.prepare(bald_geom)
        bald = shapely.contains_xy(bald_geom, u, v).reshape(ny, nx)
        d = ndimage.distance_transform_edt(~bald) * step_mm
        t = np.clip(d / edge_thinning_mm, 0.0, 1.0)
        density *= 0.25 + 0.75 * t * t * (3.0 - 2.0 * t)
    if not np.any(density > 0):
        return np.zeros((0, 2))
    metric = metric_grid(chart, density.shape, (u0, v0), step_mm)
    result = sample_progressive(density, origin_mm=(u0, v0), step_mm=step_mm, metric=metric,
                                stage_fracs=(1.0,), rng=rng)  # fmt: skip
    return result.points_mm


def _sentinels(
    density_map: DensityMap, metric: FloatArray, line_mm: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """Single dots ahead of the hairline: jittered even spacing along the line, random depth
    into the band ahead, kept where the density_map asks for them (near the treated front)."""
    det = metric[..., 0] * metric[..., 2] - metric[..., 1] ** 2
    expected = float(np.sum(density_map.sentinel_per_mm2 * np.sqrt(det)) * density_map.step_mm**2)
    seg = np.hypot(*np.diff(line_mm, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(seg)])
    band = max(
        float(np.max(-density_map.hairline_distance_mm[density_map.sentinel_per_mm2 > 0])), 0.5
    )
    # Candidates along the whole line; only those in the sentinel zone are kept, so scale the
    # count by the share of the line that lies in front of treated skin.
    n_line = max(1, round(4 * along[-1] / band))
    t = (np.arange(n_line) + rng.uniform(0.2, 0.8, n_line)) * along[-1] / n_line
    base = np.stack([np.interp(t, along, line_mm[:, 0]), np.interp(t, along, line_mm[:, 1])], -1)
    outward = base / np.maximum(np.linalg.norm(base, axis=1, keepdims=True), 1e-9)
    pts = base + outward * rng.uniform(0.4, band, n_line)[:, None]
    i, j = density_map.cell_index(pts)
    pts = pts[density_map.sentinel_per_mm2[i, j] > 0]
    n_keep = min(pts.shape[0], round(expected))
    if n_keep <= 0:
        return np.zeros((0, 2))
    pick = np.sort(rng.choice(pts.shape[0], size=n_keep, replace=False))
    return np.asarray(pts[pick])
