"""Assess a case's hair loss: bald, thinning and scarred areas on the chart, per region.

``assess_loss(loss, chart, regions, rng)`` turns the case's :class:`~smpstudio.case.model.Loss`
into chart geometry with surface areas:

* **bald**: the pattern's bald area (Norwood; the near-bald crown of Ludwig III, over 75 % of
  its density lost), alopecia patches (ellipses in chart coordinates)
  and practitioner-drawn areas, clipped to the hair-bearing scalp;
* **thinning**: ``[(geometry, remaining_density_frac)]``: the Ludwig I-II crown zone, diffuse
  thinning of the whole scalp, and the rest of the scalp when ``existing_density_frac < 1``;
* **scars**: line (strip) scars buffered to their width and FUE punch scars as disc centres.
  Scars are treated with a lighter shade and do not count as bald area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from smpstudio.case.model import LOSS_PATTERNS, REGION_NAMES, FueScars, LineScar, Loss, Patch
from smpstudio.errors import InputError
from smpstudio.head.chart import ScalpChart
from smpstudio.loss.patterns import (
    LUDWIG_NEAR_BALD_REMAINING_FRAC,
    LUDWIG_REMAINING_FRAC,
    ludwig_zone,
    norwood_bald,
)
from smpstudio.regions.build import Regions, ellipse
from smpstudio.units import mm2_to_cm2

# Bald fraction of the hair-bearing scalp for each Norwood stage: surgeons' figures
# (docs/references.md; e.g. ~200 cm2 for type V, Shapiro 2004); "a" variants set between their
# neighbours.
NORWOOD_BALD_FRAC: dict[str, float] = {
    "1": 0.0, "2": 0.03, "2a": 0.045, "3": 0.06, "3a": 0.11, "3v": 0.08, "4": 0.20,
    "4a": 0.27, "5": 0.38, "5a": 0.43, "6": 0.52, "7": 0.70,
}  # fmt: skip
# Diffuse pattern with no thinning given: half the density left, the loss at which thinning
# becomes visible to the eye (commonly cited ~50 %, e.g. Sinclair 2004, Aust Fam Physician).
DIFFUSE_DEFAULT_REMAINING_FRAC = 0.5
FUE_MIN_SPACING_DIAMETERS = 2.0


def nearest_norwood(bald_frac: float) -> str:
    """The Norwood stage (``"norwood-N"``) whose typical bald fraction is closest."""
    if not (isinstance(bald_frac, int | float) and 0.0 <= bald_frac <= 1.0):
        raise InputError("bald_frac", bald_frac, "a fraction 0..1")
    stage = min(NORWOOD_BALD_FRAC, key=lambda s: abs(NORWOOD_BALD_FRAC[s] - bald_frac))
    return f"norwood-{stage}"


@dataclass(frozen=True, kw_only=True)
class LossAssessment:
    """Hair loss of one case on the chart (geometry in chart mm, areas in cm2)."""

    pattern: str
    bald: Any
    thinning: tuple[tuple[Any, float], ...]
    line_scars: Any
    fue_centres_mm: np.ndarray  # (N, 2)
    fue_diameter_mm: float
    bald_area_by_region_cm2: dict[str, float]
    bald_area_cm2: float
    bald_frac: float
    equivalent_bald_frac: float  # bald plus thinning weighted by the density lost
    nearest_norwood: str
    scalp_area_cm2: float
    thinning_area_cm2: tuple[float, ...] = field(default=())
    scar_area_cm2: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The plan.json ``loss`` object (docs/interface.md section 4) with per-region detail."""
        return {
            "pattern": self.pattern,
            "bald_area_cm2": round(self.bald_area_cm2, 2),
            "bald_frac": round(self.bald_frac, 4),
            "nearest_norwood": self.nearest_norwood,
            "equivalent_bald_frac": round(self.equivalent_bald_frac, 4),
            "scalp_area_cm2": round(self.scalp_area_cm2, 2),
            "bald_area_by_region_cm2": {
                k: round(v, 2) for k, v in self.bald_area_by_region_cm2.items()
            },
            "thinning": [
                {"area_cm2": round(a, 2), "remaining_density_frac": f}
                for a, (_, f) in zip(self.thinning_area_cm2, self.thinning, strict=True)
            ],
            "scars": {
                "line_area_cm2": round(self.scar_area_cm2, 2),
                "fue_count": int(self.fue_centres_mm.shape[0]),
                "fue_diameter_mm": self.fue_diameter_mm,
            },
        }


def patch_shape(patch: Patch) -> shapely.Polygon:
    """An alopecia patch: ellipse with semi-axes ``rx_mm``, ``ry_mm`` in chart coordinates,
    turned by ``angle_deg`` from ``+u`` toward ``+v``."""
    for name in ("rx_mm", "ry_mm"):
        value = getattr(patch, name)
        if not (math.isfinite(value) and 0.5 <= value <= 200.0):
            raise InputError(f"loss.patches.{name}", value, "0.5..200")
    return ellipse((patch.u_mm, patch.v_mm), patch.rx_mm, patch.ry_mm, patch.angle_deg)


def line_scar_shape(scar: LineScar) -> shapely.Geometry:
    """A strip scar: the chart polyline buffered by half its width (round ends)."""
    if not (math.isfinite(scar.width_mm) and 0.2 <= scar.width_mm <= 50.0):
        raise InputError("loss.scars.width_mm", scar.width_mm, "0.2..50")
    if len(scar.points_mm) < 2:
        raise InputError("loss.scars.points_mm", list(scar.points_mm), "at least 2 points")
    return shapely.LineString(scar.points_mm).buffer(0.5 * scar.width_mm, quad_segs=8)


def fue_centres(
    scar: FueScars, chart: ScalpChart, regions: Regions, rng: np.random.Generator
) -> np.ndarray:
    """Centres ``(count, 2)`` of FUE punch scars spread uniformly (per surface area) over a
    region, kept ``FUE_MIN_SPACING_DIAMETERS`` diameters apart where the region has room."""
    if scar.region not in REGION_NAMES:
        raise InputError("loss.scars.region", scar.region, " | ".join(REGION_NAMES))
    if not (0 <= scar.count <= 20000):
        raise InputError("loss.scars.count", scar.count, "0..20000")
    if not (math.isfinite(scar.diameter_mm) and 0.3 <= scar.diameter_mm <= 5.0):
        raise InputError("loss.scars.diameter_mm", scar.diameter_mm, "0.3..5")
    region = regions.polygons[scar.region]
    area_mm2 = chart.surface_area_mm2(region)
    spacing = FUE_MIN_SPACING_DIAMETERS * scar.diameter_mm
    # a random packing fills at most ~half the plane with exclusion discs
    if scar.count * math.pi * (0.5 * spacing) ** 2 > 0.4 * area_mm2:
        spacing = math.sqrt(0.4 * area_mm2 / (scar.count * math.pi)) * 2.0
    minx, miny, maxx, maxy = region.bounds
    kept: list[np.ndarray] = []
    cell = spacing
    grid: dict[tuple[int, int], list[np.ndarray]] = {}
    tries = 0
    while sum(len(b) for b in kept) < scar.count and tries < 200:
        tries += 1
        cand = rng.uniform((minx, miny), (maxx, maxy), size=(4 * scar.count + 64, 2))
        cand = cand[shapely.contains_xy(region, cand[:, 0], cand[:, 1])]
        if cand.size == 0:
            continue
        cand = cand[rng.uniform(size=cand.shape[0]) < chart.area_element(cand)]
        accepted = []
        for p in cand:
            key = (int(p[0] // cell), int(p[1] // cell))
            near = [q for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                    for q in grid.get((key[0] + dx, key[1] + dy), [])]  # fmt: skip
            if all((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 >= spacing**2 for q in near):
                grid.setdefault(key, []).append(p)
                accepted.append(p)
                if sum(len(b) for b in kept) + len(accepted) >= scar.count:
                    break
        if accepted:
            kept.append(np.array(accepted))
    out = np.concatenate(kept) if kept else np.empty((0, 2))
    return np.asarray(out[: scar.count])


def _pattern_geometry(
    pattern: str, regions: Regions, existing_density_frac: float
) -> tuple[Any, list[tuple[Any, float]]]:
    head, scalp = regions.head, regions.scalp
    bald: Any = shapely.Polygon()
    thinning: list[tuple[Any, float]] = []
    if pattern.startswith("norwood-"):
        bald = norwood_bald(head, pattern.removeprefix("norwood-"))
    elif pattern.startswith("ludwig-"):
        grade = pattern.removeprefix("ludwig-")
        if LUDWIG_REMAINING_FRAC[grade] < LUDWIG_NEAR_BALD_REMAINING_FRAC:
            bald = ludwig_zone(head, grade)  # grade III: a near-bald crown is bald area
        else:
            remaining = LUDWIG_REMAINING_FRAC[grade] * min(existing_density_frac, 1.0)
            thinning.append((ludwig_zone(head, grade), remaining))
    elif pattern == "diffuse":
        frac = existing_density_frac if existing_density_frac < 1.0 else (
            DIFFUSE_DEFAULT_REMAINING_FRAC)  # fmt: skip
        thinning.append((scalp, frac))
    return bald, thinning


def assess_loss(
    loss: Loss, chart: ScalpChart, regions: Regions, rng: np.random.Generator, *,
    existing_density_frac: float = 1.0,
) -> LossAssessment:  # fmt: skip
    """Bald, thinning and scar geometry of a case, with areas per region.

    Parameters
    ----------
    loss
        The case's hair loss.
    chart, regions
        The head's chart and its regions (``build_regions``).
    rng
        Generator for the FUE scar positions (seeded from the case).
    existing_density_frac
        Hair left outside the bald area (``hair.existing_density_frac``, 0..1): below 1 the rest
        of the scalp is a thinning zone; it is the density of the ``diffuse`` pattern.
    """
    if loss.pattern not in LOSS_PATTERNS:
        raise InputError("loss.pattern", loss.pattern, " | ".join(LOSS_PATTERNS))
    if not (math.isfinite(existing_density_frac) and 0.0 <= existing_density_frac <= 1.0):
        raise InputError("hair.existing_density_frac", existing_density_frac, "0..1")
    scalp = regions.scalp
    bald, thinning = _pattern_geometry(loss.pattern, regions, existing_density_frac)
    extra = [patch_shape(p) for p in loss.patches]
    for area in loss.areas:
        if len(area.polygon_mm) < 3:
            raise InputError("loss.areas.polygon_mm", list(area.polygon_mm), "at least 3 points")
        extra.append(shapely.make_valid(shapely.Polygon(area.polygon_mm)))
    bald = shapely.union_all([bald, *extra]).intersection(scalp)
    for geom, frac in list(thinning):
        thinning.remove((geom, frac))
        thinning.append((geom.difference(bald), frac))
    if existing_density_frac < 1.0 and loss.pattern != "diffuse":
        covered = shapely.union_all([bald, *(g for g, _ in thinning)])
        thinning.append((scalp.difference(covered), existing_density_frac))
    lines = [line_scar_shape(s) for s in loss.scars if isinstance(s, LineScar)]
    line_geom = shapely.union_all(lines).intersection(scalp) if lines else shapely.Polygon()
    fue = [s for s in loss.scars if isinstance(s, FueScars)]
    centres = (np.concatenate([fue_centres(s, chart, regions, rng) for s in fue])
               if fue else np.empty((0, 2)))  # fmt: skip
    by_region = {
        n: float(mm2_to_cm2(chart.surface_area_mm2(bald.intersection(regions.polygons[n]))))
        for n in REGION_NAMES
    }
    bald_cm2 = float(sum(by_region.values()))
    thin_cm2 = tuple(float(mm2_to_cm2(chart.surface_area_mm2(g))) for g, _ in thinning)
    scalp_cm2 = regions.scalp_area_cm2
    equivalent = (
        bald_cm2 + sum(a * (1.0 - f) for a, (_, f) in zip(thin_cm2, thinning, strict=True))
    ) / scalp_cm2
    return LossAssessment(
        pattern=loss.pattern, bald=bald, thinning=tuple(thinning), line_scars=line_geom,
        fue_centres_mm=centres, fue_diameter_mm=fue[0].diameter_mm if fue else 0.0,
        bald_area_by_region_cm2=by_region, bald_area_cm2=bald_cm2,
        bald_frac=bald_cm2 / scalp_cm2, equivalent_bald_frac=min(equivalent, 1.0),
        nearest_norwood=nearest_norwood(min(equivalent, 1.0)), scalp_area_cm2=scalp_cm2,
        thinning_area_cm2=thin_cm2,
        scar_area_cm2=float(mm2_to_cm2(chart.surface_area_mm2(line_geom))),
    )  # fmt: skip
