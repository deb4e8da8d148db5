"""Treatment area and density map: target healed dots per cm2 everywhere on the scalp.

* full density ``design.density_per_cm2`` in the treatment area (default 0.8 x the client's
  follicular-unit density; SMP practice, PMC6219221);
* the hairline transition zone ramps from about 30% to 100% over 5-10 mm, with a jagged
  shoreline and clusters and gaps (Shapiro 2004);
* the temples at 0.7 x (temporal density is 0.6-0.8 of the top; PubMed 11834847), blended
  over about a centimetre so that no border shows;
* a blend band outside the bald edge, where dots thin out between existing hairs, so the
  treated area has no visible border;
* density enhancement in thinning zones: dots between the remaining hairs at the density they
  lack;
* scars a little denser (1.15 x) and lighter (dilution, :mod:`smpstudio.design.attributes`).

The density map is a grid on the chart (surface density per mm2 at cell centres) that the blue-noise
sampler reads, plus the zone masks the statistics and the dot attributes need.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from scipy import ndimage
from scipy.spatial import cKDTree

from smpstudio.design.hairline import Hairline
from smpstudio.loss import LossAssessment
from smpstudio.regions import Regions
from smpstudio.units import per_cm2_to_per_mm2

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, kw_only=True)
class DensitySettings:
    """Tunable numbers of the density map (sources in the module docstring)."""

    grid_step_mm: float = 0.5
    temporal_factor: float = 0.7
    temporal_blend_mm: float = 8.0
    blend_band_mm: float = 10.0
    blend_start_frac: float = 0.6
    scar_factor: float = 1.15
    fue_margin_mm: float = 1.0
    follicle_clearance_mm: float = 0.35
    min_density_frac: float = 0.03


@dataclass(frozen=True, kw_only=True)
class TreatmentArea:
    """Chart geometry of where dots go."""

    main: shapely.Geometry  # bald area behind the hairline, patches, drawn areas, forehead gained
    scars: shapely.Geometry  # line scars and FUE scar discs with a margin
    thinning: tuple[tuple[shapely.Geometry, float], ...]  # zones and their remaining hair frac
    designed_scalp: shapely.Geometry

    @property
    def all(self) -> shapely.Geometry:
        parts = [self.main, self.scars, *[g for g, _ in self.thinning]]
        return shapely.union_all([p for p in parts if not p.is_empty])


@dataclass(frozen=True, kw_only=True)
class DensityMap:
    """Target surface density on a chart grid and the zones behind it."""

    density_per_mm2: FloatArray  # (ny, nx) surface density at cell centres
    origin_mm: tuple[float, float]
    step_mm: float
    hairline_distance_mm: FloatArray  # (ny, nx) signed, + behind the line
    in_treatment: BoolArray
    in_scar: BoolArray
    in_blend: BoolArray
    in_thinning: BoolArray
    sentinel_per_mm2: FloatArray  # single dots ahead of the hairline (last session)
    area: TreatmentArea

    def cell_index(self, uv_mm: FloatArray) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Row and column of the cells holding chart points ``(N, 2)`` (clipped to the grid)."""
        ny, nx = self.density_per_mm2.shape
        j = np.floor((uv_mm[:, 0] - self.origin_mm[0]) / self.step_mm).astype(np.intp)
        i = np.floor((uv_mm[:, 1] - self.origin_mm[1]) / self.step_mm).astype(np.intp)
        return np.clip(i, 0, ny - 1), np.clip(j, 0, nx - 1)


def treatment_area(
    loss: LossAssessment, regions: Regions, hairline: Hairline, settings: DensitySettings
) -> TreatmentArea:
    """Where the dots go: bald area behind the designed hairline, patches, scars, thinning."""
    designed = hairline.designed_scalp
    natural = regions.scalp
    gained = shapely.difference(designed, natural)  # forehead skin behind a lowered line
    main = shapely.union_all([shapely.intersection(loss.bald, designed), gained])
    scar_parts = []
    if loss.line_scars is not None and not loss.line_scars.is_empty:
        scar_parts.append(loss.line_scars)
    if loss.fue_centres_mm.shape[0]:
        radius = 0.5 * loss.fue_diameter_mm + settings.fue_margin_mm
        scar_parts.append(
            shapely.union_all(shapely.buffer(shapely.points(loss.fue_centres_mm), radius))
        )
    scars = shapely.union_all(scar_parts) if scar_parts else shapely.Polygon()
    scars = shapely.difference(scars, main)
    thinning = []
    taken = shapely.union_all([main, scars])
    for geom, remaining in loss.thinning:
        zone = shapely.difference(shapely.intersection(geom, designed), taken)
        if not zone.is_empty and remaining < 1.0:
            thinning.append((zone, float(remaining)))
    return TreatmentArea(main=main, scars=scars, thinning=tuple(thinning), designed_scalp=designed)


def build_density_map(
    *,
    area: TreatmentArea,
    regions: Regions,
    hairline: Hairline,
    density_per_cm2: float,
    follicle_density_per_cm2: float,
    settings: DensitySettings,
) -> DensityMap:
    """Target surface density (dots per mm2) on a chart grid covering the treatment area."""
    full = float(per_cm2_to_per_mm2(density_per_cm2))
    step = settings.grid_step_mm
    reach = settings.blend_band_mm + hairline.params.sentinel_band_mm + 4.0 * step
    everything = area.all
    if everything.is_empty:
        u0, v0, u1, v1 = -step, -step, step, step
    else:
        u0, v0, u1, v1 = shapely.bounds(shapely.buffer(everything, reach))
    u0, v0 = np.floor(u0 / step) * step, np.floor(v0 / step) * step
    nx, ny = int(np.ceil((u1 - u0) / step)), int(np.ceil((v1 - v0) / step))
    uu, vv = np.meshgrid(u0 + step * (np.arange(nx) + 0.5), v0 + step * (np.arange(ny) + 0.5))
    u, v = uu.ravel(), vv.ravel()

    def mask(geom: shapely.Geometry) -> BoolArray:
        if geom.is_empty:
            return np.zeros((ny, nx), dtype=bool)
        shapely.prepare(geom)
        return shapely.contains_xy(geom, u, v).reshape(ny, nx)

    in_main, in_scar = mask(area.main), mask(area.scars)
    in_designed = mask(area.designed_scalp)
    hair_d, along = _hairline_distance_and_along(hairline, u, v, in_designed.ravel())
    hair_d, along = hair_d.reshape(ny, nx), along.reshape(ny, nx)
    jagged_d = hair_d - hairline.jag_mm(along)

    p = hairline.params
    ramp = p.ramp_start_frac + (1.0 - p.ramp_start_frac) * _smoothstep(jagged_d / p.ramp_mm)
    clusters = 1.0 + p.cluster_frac * _cluster_noise(hairline, along)
    in_ramp = (jagged_d < p.ramp_mm) & (jagged_d > 0.0)
    ramp = np.where(in_ramp, np.clip(ramp * clusters, 0.0, 1.0), ramp)
    ramp = np.where(jagged_d <= 0.0, 0.0, ramp)

    temporal = mask(shapely.union_all([regions.polygons["temporal_left"],
                                       regions.polygons["temporal_right"]]))  # fmt: skip
    sigma = settings.temporal_blend_mm / step / 2.0
    temporal_w = ndimage.gaussian_filter(temporal.astype(float), sigma, mode="nearest")
    regional = 1.0 - (1.0 - settings.temporal_factor) * temporal_w

    density = np.zeros((ny, nx))
    density[in_main] = full
    density[in_scar] = full * settings.scar_factor
    in_thin = np.zeros((ny, nx), dtype=bool)
    for geom, remaining in area.thinning:
        zone = mask(geom) & ~in_main & ~in_scar
        # Dots fill the density the thinning took away; the follicle clearance removes some
        # candidates, so ask for more (expected fraction kept: 1 - pi r^2 n_follicles).
        kept = 1.0 - np.pi * settings.follicle_clearance_mm**2 * float(
            per_cm2_to_per_mm2(follicle_density_per_cm2 * remaining)
        )
        density[zone] = full * (1.0 - remaining) / max(kept, 0.3)
        in_thin |= zone
    treated = in_main | in_scar | in_thin
    # Blend band: outside the treated area, inside the designed scalp, fading with distance.
    outside_d = ndimage.distance_transform_edt(~treated) * step
    in_blend = (~treated) & in_designed & (outside_d <= settings.blend_band_mm) & (hair_d > 0)
    blend = settings.blend_start_frac * (1.0 - _smoothstep(outside_d / settings.blend_band_mm))
    density = np.where(in_blend, full * blend, density)
    density *= regional * ramp
    density[~in_designed] = 0.0
    # The blend's last wisps (a dot per several cm2) would set the sampler's interaction
    # reach for the whole field; below this fraction of full density nothing is placed.
    density[density < settings.min_density_frac * full] = 0.0

    sentinel = np.zeros((ny, nx))
    if p.sentinel_frac > 0.0:
        ahead = (jagged_d <= 0.0) & (jagged_d > -p.sentinel_band_mm)
        near_main = ndimage.binary_dilation(in_main, iterations=int(p.sentinel_band_mm / step) + 2)
        sentinel[ahead & near_main] = full * p.sentinel_frac
    return DensityMap(
        density_per_mm2=density, origin_mm=(float(u0), float(v0)), step_mm=step,
        hairline_distance_mm=hair_d, in_treatment=treated, in_scar=in_scar, in_blend=in_blend,
        in_thinning=in_thin, sentinel_per_mm2=sentinel, area=area,
    )  # fmt: skip


def _smoothstep(t: FloatArray) -> FloatArray:
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _dense_line(hairline: Hairline, spacing_mm: float = 0.25) -> tuple[FloatArray, FloatArray]:
    pts = hairline.points_mm
    seg = np.hypot(*np.diff(pts, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(seg)])
    t = np.arange(0.0, along[-1], spacing_mm)
    dense = np.stack([np.interp(t, along, pts[:, 0]), np.interp(t, along, pts[:, 1])], -1)
    return dense, t


def _hairline_distance_and_along(
    hairline: Hairline, u: FloatArray, v: FloatArray, behind: BoolArray
) -> tuple[FloatArray, FloatArray]:
    """Signed distance to the hairline (+ behind it) and arc length along it of the nearest
    point, for chart points ``u, v``; far from the frontal line (sides and back) "behind" is
    simply inside the designed scalp."""
    dense, t = _dense_line(hairline)
    dist, idx = cKDTree(dense).query(np.stack([u, v], -1))
    return np.where(behind, dist, -dist), t[idx]


def _cluster_noise(hairline: Hairline, along: FloatArray) -> FloatArray:
    # Clusters and gaps of a few follicular units along the line (Shapiro 2004).
    return np.sin(2.0 * np.pi * along / 6.3 + 1.7 * hairline.jag_mm(along))
