"""Hair-loss shapes: Norwood bands and order, Ludwig zones, patches, scars, FUE, assessment."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import shapely

from smpstudio.case.model import (
    NORWOOD_STAGES,
    DrawnArea,
    FueScars,
    HeadMeasurements,
    LineScar,
    Loss,
    Patch,
)
from smpstudio.errors import InputError
from smpstudio.head import Head, build_head, mean_head
from smpstudio.loss import NORWOOD_BALD_FRAC, assess_loss, nearest_norwood
from smpstudio.regions import Regions, build_regions

# Accept bands of the surgeons' figures (docs/references.md; no peer-reviewed table exists)
BANDS = {"2": (0.01, 0.06), "3": (0.03, 0.10), "3v": (0.04, 0.12), "4": (0.12, 0.28),
         "5": (0.28, 0.48), "6": (0.40, 0.62), "7": (0.60, 0.78)}  # fmt: skip


@pytest.fixture(scope="module")
def male_regions(male_head: Head) -> Regions:
    return build_regions(male_head)


def _assess(regions: Regions, loss: Loss, **kw: float):  # type: ignore[no-untyped-def]
    return assess_loss(loss, regions.chart, regions, np.random.default_rng(7), **kw)


def _fractions(regions: Regions) -> dict[str, float]:
    return {s: _assess(regions, Loss(pattern=f"norwood-{s}")).bald_frac for s in NORWOOD_STAGES}


@pytest.mark.parametrize(
    "measurements",
    [mean_head("male"),
     HeadMeasurements(circumference_mm=600, length_mm=212, breadth_mm=162,
                      tragion_to_vertex_mm=140),
     HeadMeasurements(circumference_mm=545, length_mm=188, breadth_mm=146,
                      tragion_to_vertex_mm=122)],
)  # fmt: skip
def test_norwood_fractions_in_bands_and_increasing(measurements: HeadMeasurements) -> None:
    regions = build_regions(build_head(measurements, "male"))
    frac = _fractions(regions)
    for stage, (lo, hi) in BANDS.items():
        assert lo <= frac[stage] <= hi, (stage, frac[stage])
    order = ["2", "3", "4", "5", "6", "7"]
    assert all(frac[a] < frac[b] for a, b in itertools.pairwise(order))
    # "a" variants between their neighbours; 3v adds the crown to 3
    for a, lo, hi in (("2a", "2", "3"), ("3a", "3", "4"), ("4a", "4", "5"), ("5a", "5", "6")):
        assert frac[lo] < frac[a] < frac[hi], (a, frac)
    assert frac["3"] < frac["3v"]
    assert frac["1"] == 0.0


def test_norwood_shapes_are_where_they_belong(male_regions: Regions) -> None:
    a2 = _assess(male_regions, Loss(pattern="norwood-2"))
    assert a2.bald_area_by_region_cm2["vertex"] == 0.0
    assert a2.bald_area_by_region_cm2["occipital"] == 0.0
    a3v = _assess(male_regions, Loss(pattern="norwood-3v"))
    assert a3v.bald_area_by_region_cm2["vertex"] > 5.0
    a4 = _assess(male_regions, Loss(pattern="norwood-4"))
    assert len(shapely.get_parts(a4.bald)) == 2  # front and crown separated by a band
    a6 = _assess(male_regions, Loss(pattern="norwood-6"))
    assert len(shapely.get_parts(a6.bald)) == 1  # the band is gone
    a7 = _assess(male_regions, Loss(pattern="norwood-7"))
    assert a7.bald_area_by_region_cm2["occipital"] < male_regions.area_cm2["occipital"]
    for a in (a2, a3v, a4, a6, a7):  # smooth shapes, not boxes: many vertices, no holes
        assert a.bald.is_valid and len(shapely.get_coordinates(a.bald)) > 40


def test_nearest_norwood() -> None:
    for stage, frac in NORWOOD_BALD_FRAC.items():
        assert nearest_norwood(frac) == f"norwood-{stage}"
    assert nearest_norwood(0.0) == "norwood-1"
    assert nearest_norwood(1.0) == "norwood-7"
    with pytest.raises(InputError):
        nearest_norwood(1.5)


def test_assessed_stage_reads_as_itself(male_regions: Regions) -> None:
    for stage in ("2", "3", "4", "5", "6", "7"):
        a = _assess(male_regions, Loss(pattern=f"norwood-{stage}"))
        assert a.nearest_norwood == f"norwood-{stage}"


@pytest.mark.parametrize("grade,remaining", [("1", 0.625), ("2", 0.375), ("3", 0.125)])
def test_ludwig_zone(female_head: Head, grade: str, remaining: float) -> None:
    regions = build_regions(female_head)
    a = _assess(regions, Loss(pattern=f"ludwig-{grade}"))
    if grade == "3":
        # over 75 % of the density lost: the near-bald crown is bald area, not thinning
        assert a.thinning == () and a.thinning_area_cm2 == ()
        assert 30.0 <= a.bald_area_cm2 <= 130.0
        assert a.bald_frac == pytest.approx(a.bald_area_cm2 / regions.scalp_area_cm2)
        assert a.equivalent_bald_frac == pytest.approx(a.bald_frac)
        assert a.nearest_norwood.removeprefix("norwood-")[0] in "34"  # III-IV-sized loss
        zone = a.bald
        area_cm2 = a.bald_area_cm2
    else:
        # I-II (25-75 % lost) stay thinning, with no bald area
        assert a.bald_area_cm2 == 0.0 and a.bald.is_empty
        ((zone, frac),) = a.thinning
        assert frac == remaining
        area_cm2 = a.thinning_area_cm2[0]
    assert 50.0 <= area_cm2 <= 85.0  # Ludwig 1977: 10-12 x 6-9 cm
    minx, miny, maxx, maxy = zone.bounds
    front_gap = female_head.hairline_controls_mm["mid_frontal"][1] - maxy
    assert 10.0 <= front_gap <= 30.0  # starts 1-3 cm behind the preserved hairline
    assert 100.0 <= maxy - miny <= 120.0 and 60.0 <= maxx - minx <= 90.0


def test_diffuse_and_existing_density(male_regions: Regions) -> None:
    a = _assess(male_regions, Loss(pattern="diffuse"), existing_density_frac=0.7)
    ((_zone, frac),) = a.thinning
    assert frac == 0.7
    assert a.thinning_area_cm2[0] == pytest.approx(male_regions.scalp_area_cm2, rel=1e-6)
    assert a.equivalent_bald_frac == pytest.approx(0.3, rel=1e-6)
    b = _assess(male_regions, Loss(pattern="norwood-5"), existing_density_frac=0.8)
    assert sum(b.thinning_area_cm2) + b.bald_area_cm2 == pytest.approx(
        male_regions.scalp_area_cm2, rel=1e-3)  # fmt: skip
    with pytest.raises(InputError, match=r"existing_density_frac"):
        _assess(male_regions, Loss(pattern="diffuse"), existing_density_frac=1.5)


def test_patch_area_is_pi_a_b(male_regions: Regions) -> None:
    chart = male_regions.chart
    p = Patch(u_mm=35.0, v_mm=-40.0, rx_mm=8.0, ry_mm=5.0, angle_deg=30.0)
    a = _assess(male_regions, Loss(pattern="none", patches=(p,)))
    j = chart.area_element(np.array([[35.0, -40.0]]))[0]
    assert a.bald_area_cm2 * 100.0 == pytest.approx(math.pi * 8.0 * 5.0 * j, rel=0.02)
    assert a.bald_area_by_region_cm2["vertex"] > 0.0
    # the ellipse's long axis is turned 30 degrees from +u toward +v
    coords = shapely.get_coordinates(a.bald) - [35.0, -40.0]
    far = coords[np.argmax(np.hypot(coords[:, 0], coords[:, 1]))]
    assert abs(math.degrees(math.atan2(far[1], far[0])) % 180.0 - 30.0) < 3.0


def test_scars_and_drawn_areas(male_regions: Regions) -> None:
    loss = Loss(
        pattern="none",
        scars=(LineScar(points_mm=((-90, -115), (0, -135), (90, -115)), width_mm=6.0),
               FueScars(region="occipital", count=500, diameter_mm=1.0)),
        areas=(DrawnArea(polygon_mm=((-20, 60), (20, 60), (20, 20), (-20, 20))),),
    )  # fmt: skip
    a = _assess(male_regions, loss)
    assert a.fue_centres_mm.shape == (500, 2)
    assert np.all(male_regions.region_of(a.fue_centres_mm) == "occipital")
    d = np.hypot(*(a.fue_centres_mm[:, None] - a.fue_centres_mm[None]).transpose(2, 0, 1))
    assert d[np.triu_indices(500, 1)].min() >= 2.0 - 1e-9
    again = _assess(male_regions, loss)
    assert np.array_equal(a.fue_centres_mm, again.fue_centres_mm)  # same seed, same scars
    line = shapely.LineString([(-90, -115), (0, -135), (90, -115)])
    samples = np.array([line.interpolate(t, normalized=True).coords[0]
                        for t in np.linspace(0, 1, 41)])  # fmt: skip
    j = male_regions.chart.area_element(samples).mean()
    assert a.scar_area_cm2 * 100 == pytest.approx(6.0 * line.length * j, rel=0.03)
    assert a.bald_area_cm2 == pytest.approx(16.0 * male_regions.chart.area_element(
        np.array([[0.0, 40.0]]))[0], rel=0.02)  # fmt: skip
    d = a.to_dict()
    assert d["scars"]["fue_count"] == 500
    assert set(d) >= {"pattern", "bald_area_cm2", "bald_frac", "nearest_norwood"}
    with pytest.raises(InputError, match=r"loss.scars.region"):
        _assess(male_regions, Loss(pattern="none", scars=(FueScars(region="nose", count=5,
                                                                   diameter_mm=1.0),)))  # fmt: skip
    with pytest.raises(InputError, match=r"loss.pattern"):
        _assess(male_regions, Loss(pattern="norwood-9"))
