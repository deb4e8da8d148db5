"""Step 2, design: hairline, treatment area, density map and the dot field of one case."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely

from smpstudio.case.defaults import FOLLICULAR_UNITS_PER_CM2
from smpstudio.case.model import REGION_NAMES, Case
from smpstudio.design.attributes import DotStyle, dot_attributes
from smpstudio.design.build_up import cumulative_fracs
from smpstudio.design.density import (
    DensityMap,
    DensitySettings,
    build_density_map,
    treatment_area,
)
from smpstudio.design.field import DotField, follicle_field, metric_grid, place_dots
from smpstudio.design.hairline import Hairline, design_hairline
from smpstudio.design.spatial_stats import clark_evans_ratio_at
from smpstudio.design.stats import cell_area_mm2, interior_cells
from smpstudio.head import Head
from smpstudio.loss import LossAssessment
from smpstudio.regions import Regions
from smpstudio.units import mm2_to_cm2, per_cm2_to_per_mm2

FloatArray = npt.NDArray[np.float64]
DOTS_CSV_HEADER = "x_mm,y_mm,z_mm,u_mm,v_mm,region,session,diameter_mm,depth_mm,dilution,needle"


@dataclass(frozen=True, kw_only=True)
class DotDesign:
    """The design of one case: everything plan.json says about the dots."""

    hairline: Hairline
    density_map: DensityMap
    dots: DotField
    follicles_uv_mm: FloatArray
    region_stats: dict[str, dict[str, Any]]
    session_stats: list[dict[str, Any]]
    treated_area_cm2: float

    def dots_per_session(self) -> list[int]:
        return [int(s["dots"]) for s in self.session_stats]

    def dots_csv(self) -> bytes:
        """dots.csv (docs/interface.md section 4), fixed decimals so the bytes are reproducible."""
        d = self.dots
        out = io.StringIO()
        out.write(DOTS_CSV_HEADER + "\n")
        for k in range(d.count):
            x, y, z = d.xyz_mm[k]
            u, v = d.uv_mm[k]
            out.write(
                f"{x:.3f},{y:.3f},{z:.3f},{u:.3f},{v:.3f},{d.region[k]},{d.session[k]},"
                f"{d.diameter_mm[k]:.3f},{d.depth_mm[k]:.3f},{d.dilution_frac[k]:.2f},{d.needle[k]}\n"
            )
        return out.getvalue().encode("ascii")


def design_case(
    case: Case,
    head: Head,
    regions: Regions,
    loss: LossAssessment,
    *,
    rng_hairline: np.random.Generator,
    rng_follicles: np.random.Generator,
    rng_dots: np.random.Generator,
    rng_attributes: np.random.Generator,
    settings: DensitySettings | None = None,
    style: DotStyle | None = None,
) -> DotDesign:
    """Design the hairline, the density map and the dot field of a case."""
    settings = settings or DensitySettings()
    chart = head.chart
    hairline = design_hairline(head, case.design, rng_hairline)
    area = treatment_area(loss, regions, hairline, settings)
    fu_per_cm2 = FOLLICULAR_UNITS_PER_CM2[case.client.ethnicity]
    density_map = build_density_map(
        area=area, regions=regions, hairline=hairline,
        density_per_cm2=case.design.density_per_cm2, follicle_density_per_cm2=fu_per_cm2,
        settings=settings,
    )  # fmt: skip
    hair_geom = shapely.difference(shapely.intersection(regions.scalp, hairline.designed_scalp),
                                   loss.bald)  # fmt: skip
    no_hair = [g for g in (loss.line_scars,) if g is not None and not g.is_empty]
    if loss.fue_centres_mm.shape[0]:  # each punch took out a follicular unit
        no_hair.append(shapely.union_all(shapely.buffer(
            shapely.points(loss.fue_centres_mm), 0.5 * loss.fue_diameter_mm)))  # fmt: skip
    if no_hair:
        hair_geom = shapely.difference(hair_geom, shapely.union_all(no_hair))
    fracs = cumulative_fracs(case.design.sessions)
    # The existing hair and the dots are independent blue-noise fields with their own random
    # streams: sample them side by side (the kernels release the GIL); same bytes either way.
    with ThreadPoolExecutor(max_workers=1) as pool:
        follicles_job = pool.submit(
            follicle_field, hair_geom=hair_geom, thinning=area.thinning, bald_geom=loss.bald,
            chart=chart, follicle_density_per_mm2=float(per_cm2_to_per_mm2(fu_per_cm2)),
            existing_density_frac=case.hair.existing_density_frac, rng=rng_follicles,
        )  # fmt: skip
        uv, session = place_dots(
            density_map, chart, stage_fracs=fracs, follicles_uv_mm=follicles_job.result,
            follicle_clearance_mm=settings.follicle_clearance_mm, rng=rng_dots,
            hairline_mm=hairline.points_mm,
        )  # fmt: skip
        follicles = follicles_job.result()  # fmt: skip
    i, j = density_map.cell_index(uv)
    hair_d = density_map.hairline_distance_mm[i, j]
    on_scar = density_map.in_scar[i, j]
    attrs = dot_attributes(
        hairline_distance_mm=hair_d, session=session, on_scar=on_scar,
        sessions=case.design.sessions, depth_mm=case.design.depth_mm, rng=rng_attributes,
        style=style,
    )  # fmt: skip
    region = regions.region_of(uv).astype(str)
    region[region == ""] = _nearest_region(regions, uv[region == ""])
    dots = DotField(
        uv_mm=uv, xyz_mm=chart.chart_to_surface(uv) if uv.shape[0] else np.zeros((0, 3)),
        region=region, session=session,
        diameter_mm=np.asarray(attrs["diameter_mm"], float),
        depth_mm=np.asarray(attrs["depth_mm"], float),
        dilution_frac=np.asarray(attrs["dilution_frac"], float),
        needle=np.asarray(attrs["needle"]).astype(str), hairline_distance_mm=hair_d,
        on_scar=on_scar,
    )  # fmt: skip
    metric = metric_grid(
        chart, density_map.density_per_mm2.shape, density_map.origin_mm, density_map.step_mm
    )
    region_stats, treated = _region_stats(density_map, metric, regions, dots)
    return DotDesign(
        hairline=hairline, density_map=density_map, dots=dots, follicles_uv_mm=follicles,
        region_stats=region_stats, session_stats=_session_stats(density_map, dots, fracs),
        treated_area_cm2=treated,
    )  # fmt: skip


def _nearest_region(regions: Regions, uv: FloatArray) -> npt.NDArray[np.str_]:
    """Region of dots just outside every region (forehead gained by a lowered hairline)."""
    if uv.shape[0] == 0:
        return np.zeros(0, dtype=str)
    names = list(REGION_NAMES)
    dist = np.stack([shapely.distance(regions.polygons[n], shapely.points(uv)) for n in names])
    return np.asarray(names)[np.argmin(dist, axis=0)]


def _region_stats(
    density_map: DensityMap, metric: FloatArray, regions: Regions, dots: DotField
) -> tuple[dict[str, dict[str, Any]], float]:
    area = cell_area_mm2(density_map, metric)
    planned = density_map.density_per_mm2 > 0
    _ny, _nx = planned.shape
    iy, ix = np.nonzero(planned)
    uv = np.stack(
        [
            density_map.origin_mm[0] + density_map.step_mm * (ix + 0.5),
            density_map.origin_mm[1] + density_map.step_mm * (iy + 0.5),
        ],
        -1,
    )
    cell_region = regions.region_of(uv).astype(str)
    if np.any(cell_region == ""):
        cell_region[cell_region == ""] = _nearest_region(regions, uv[cell_region == ""])
    expected = density_map.density_per_mm2[iy, ix] * area[iy, ix]
    cell_area = area[iy, ix]
    i, j = density_map.cell_index(dots.uv_mm)
    dot_density = density_map.density_per_mm2[i, j]
    interior = interior_cells(density_map)[i, j]
    stats: dict[str, dict[str, Any]] = {}
    treated_total = 0.0
    for name in REGION_NAMES:
        in_cells = cell_region == name
        treated_mm2 = float(cell_area[in_cells].sum())
        treated_total += treated_mm2
        exp = float(expected[in_cells].sum())
        in_dots = dots.region == name
        count = int(np.count_nonzero(in_dots))
        treated_cm2 = float(mm2_to_cm2(treated_mm2))
        ce = clark_evans_ratio_at(dots.xyz_mm, np.maximum(dot_density, 1e-12), in_dots & interior)
        stats[name] = {
            "treated_area_cm2": round(treated_cm2, 2),
            "dots": count,
            "expected_dots": round(exp, 1),
            "target_density_per_cm2": round(exp / treated_cm2, 2) if treated_cm2 > 0 else 0.0,
            "realised_density_per_cm2": round(count / treated_cm2, 2) if treated_cm2 > 0 else 0.0,
            "clark_evans": None if ce is None else round(ce, 3),
        }
    return stats, float(mm2_to_cm2(treated_total))


def _session_stats(
    density_map: DensityMap, dots: DotField, fracs: tuple[float, ...]
) -> list[dict[str, Any]]:
    i, j = density_map.cell_index(dots.uv_mm)
    density = density_map.density_per_mm2[i, j]
    interior = interior_cells(density_map)[i, j]
    out = []
    for k, frac in enumerate(fracs, start=1):
        upto = dots.session <= k
        ce = clark_evans_ratio_at(
            dots.xyz_mm[upto], np.maximum(density[upto] * frac, 1e-12), interior[upto]
        )
        out.append({
            "session": k,
            "dots": int(np.count_nonzero(dots.session == k)),
            "cumulative_dots": int(np.count_nonzero(upto)),
            "cumulative_frac_planned": frac,
            "clark_evans_cumulative": None if ce is None else round(ce, 3),
        })  # fmt: skip
    return out
