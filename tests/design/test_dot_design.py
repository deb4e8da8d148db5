"""The design of a whole case: density per region, regularity, hairline softness, containment,
determinism (issue: Design, Tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.spatial import cKDTree

from smpstudio.design.bluenoise import HEX_SPACING_PER_SQRT_DENSITY
from smpstudio.design.dot_design import DotDesign, design_case
from smpstudio.design.field import metric_grid
from smpstudio.design.stats import cell_area_mm2
from smpstudio.io.case_file import parse_case_text
from smpstudio.planning.assess import assess_case
from smpstudio.planning.streams import rng_for
from smpstudio.units import per_cm2_to_per_mm2

TODAY = dt.date(2026, 11, 21)
DEMO = (
    Path(__file__).parents[2] / "src" / "smpstudio" / "data" / "norwood-5-male.yaml"
).read_text()


def _design(text: str, seed: int | None = None) -> tuple[DotDesign, Any, Any]:
    case = parse_case_text(text, today=TODAY)
    s = case.seed if seed is None else seed
    a = assess_case(case)
    design = design_case(
        case, a.head, a.regions, a.loss, rng_hairline=rng_for(s, "hairline"),
        rng_follicles=rng_for(s, "follicles"), rng_dots=rng_for(s, "dots"),
        rng_attributes=rng_for(s, "dot_attributes"),
    )  # fmt: skip
    return design, case, a.head.chart


@pytest.fixture(scope="module")
def demo() -> tuple[DotDesign, Any, Any]:
    return _design(DEMO)


def test_density_per_region_within_3_percent(demo: tuple[DotDesign, Any, Any]) -> None:
    design = demo[0]
    checked = 0
    for name, s in design.region_stats.items():
        if s["dots"] >= 500:
            checked += 1
            assert s["dots"] == pytest.approx(s["expected_dots"], rel=0.03), name
            assert s["realised_density_per_cm2"] == pytest.approx(
                s["target_density_per_cm2"], rel=0.03
            )
    assert checked >= 4


def test_full_density_is_reached_where_steady(demo: tuple[DotDesign, Any, Any]) -> None:
    design, case, _ = demo
    # The vertex of a Norwood V is bald all over: the density there is the design's full one.
    vertex = design.region_stats["vertex"]
    assert vertex["realised_density_per_cm2"] == pytest.approx(
        case.design.density_per_cm2, rel=0.03
    )


def test_clark_evans_in_range_for_regions_and_each_cumulative_session(
    demo: tuple[DotDesign, Any, Any],
) -> None:
    design = demo[0]
    for name, s in design.region_stats.items():
        if s["dots"] >= 500:
            assert 1.3 <= s["clark_evans"] <= 1.9, name
    assert len(design.session_stats) == 3
    for s in design.session_stats:
        assert 1.3 <= s["clark_evans_cumulative"] <= 1.9, s


def test_sessions_ramp_35_70_100(demo: tuple[DotDesign, Any, Any]) -> None:
    design = demo[0]
    cumulative = [s["cumulative_dots"] for s in design.session_stats]
    total = cumulative[-1]
    assert cumulative[0] / total == pytest.approx(0.35, abs=0.02)
    assert cumulative[1] / total == pytest.approx(0.70, abs=0.02)


def test_minimum_spacing_holds_on_the_surface(demo: tuple[DotDesign, Any, Any]) -> None:
    design, case, _ = demo
    dots = design.dots
    main = design.density_map.density_per_mm2[design.density_map.cell_index(dots.uv_mm)] > 0
    xyz = dots.xyz_mm[main]
    dist, _ = cKDTree(xyz).query(xyz, k=2)
    full = float(per_cm2_to_per_mm2(case.design.density_per_cm2))
    hex_spacing_full = HEX_SPACING_PER_SQRT_DENSITY / np.sqrt(full * 1.15)  # densest (scars)
    assert dist[:, 1].min() >= 0.5 * hex_spacing_full


def test_first_2_mm_behind_a_natural_hairline_under_half_density(
    demo: tuple[DotDesign, Any, Any],
) -> None:
    design, case, _ = demo
    density_map = design.density_map
    metric = metric_grid(
        demo[2], density_map.density_per_mm2.shape, density_map.origin_mm, density_map.step_mm
    )
    area = cell_area_mm2(density_map, metric)
    front = np.zeros_like(density_map.in_treatment)
    nx = front.shape[1]
    u = density_map.origin_mm[0] + density_map.step_mm * (np.arange(nx) + 0.5)
    front[:, np.abs(u) < 25.0] = True  # the front of the hairline, away from the temples
    band = (
        front
        & density_map.in_treatment
        & (density_map.hairline_distance_mm > 0)
        & (density_map.hairline_distance_mm < 2.0)
    )
    i, j = density_map.cell_index(design.dots.uv_mm)
    in_band = band[i, j]
    density = in_band.sum() / area[band].sum()
    full = float(per_cm2_to_per_mm2(case.design.density_per_cm2))
    assert 0.0 < density < 0.5 * full


def test_every_dot_inside_the_treatment_area_or_its_blend_band(
    demo: tuple[DotDesign, Any, Any],
) -> None:
    design = demo[0]
    density_map = design.density_map
    i, j = density_map.cell_index(design.dots.uv_mm)
    allowed = density_map.in_treatment | density_map.in_blend | (density_map.sentinel_per_mm2 > 0)
    assert allowed[i, j].all()
    assert (density_map.density_per_mm2[i, j] + density_map.sentinel_per_mm2[i, j] > 0).all()


def test_dot_attributes_follow_the_practice(demo: tuple[DotDesign, Any, Any]) -> None:
    design = demo[0]
    d = design.dots
    near = d.hairline_distance_mm < 3.0
    body = d.hairline_distance_mm > 20.0
    assert np.median(d.diameter_mm[near]) < np.median(d.diameter_mm[body])
    assert np.median(d.diameter_mm[body]) == pytest.approx(0.20, rel=0.1)
    assert set(np.unique(d.needle)) <= {"1RL", "3RL"}
    assert np.all((d.diameter_mm >= 0.07) & (d.diameter_mm <= 0.30))
    assert np.median(d.depth_mm) == pytest.approx(0.30, rel=0.05)
    first, last = d.dilution_frac[d.session == 1], d.dilution_frac[d.session == 3]
    assert np.median(first) > np.median(last)  # session 1 lighter


def test_same_seed_same_bytes_other_seed_other_pattern() -> None:
    text = "loss: {patches: [{u_mm: 30, v_mm: -40, radius_mm: 15}]}\nseed: 4"
    a = _design(text)[0]
    b = _design(text)[0]
    c = _design(text, seed=5)[0]
    assert a.dots_csv() == b.dots_csv()
    assert a.dots_csv() != c.dots_csv()
    header = a.dots_csv().decode().splitlines()[0]
    assert header == "x_mm,y_mm,z_mm,u_mm,v_mm,region,session,diameter_mm,depth_mm,dilution,needle"


def test_thinning_enhancement_keeps_dots_clear_of_existing_hair() -> None:
    design = _design("client: {sex: female}\nhair: {existing_density_frac: 0.6}\n"
                        "loss: {pattern: ludwig-2}\ndesign: {density_per_cm2: 45}")[0]  # fmt: skip
    density_map = design.density_map
    i, j = density_map.cell_index(design.dots.uv_mm)
    thin = density_map.in_thinning[i, j]
    assert thin.sum() > 500
    dist, _ = cKDTree(design.follicles_uv_mm).query(design.dots.uv_mm[thin])
    assert dist.min() >= 0.35
