"""Regions tile the hair-bearing scalp; the scalp outline follows the landmarks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from smpstudio.case.model import REGION_NAMES
from smpstudio.head import Head
from smpstudio.regions import build_regions, surface_area_mm2


@pytest.mark.parametrize("sex", ["male", "female"])
def test_regions_tile_the_scalp(sex: str, male_head: Head, female_head: Head) -> None:
    head = male_head if sex == "male" else female_head
    regions = build_regions(head)
    assert set(regions.polygons) == set(REGION_NAMES)
    total = sum(regions.area_cm2.values())
    assert total == pytest.approx(regions.scalp_area_cm2, rel=1e-3)
    # the union is the scalp and the regions do not overlap
    union = shapely.union_all(list(regions.polygons.values()))
    assert union.symmetric_difference(regions.scalp).area < 1e-6 * regions.scalp.area
    for i, a in enumerate(REGION_NAMES):
        for b in REGION_NAMES[i + 1 :]:
            assert regions.polygons[a].intersection(regions.polygons[b]).area < 1e-6
    assert all(v > 10.0 for v in regions.area_cm2.values())


@pytest.mark.parametrize("sex", ["male", "female"])
def test_scalp_area_of_mean_heads(sex: str, male_head: Head, female_head: Head) -> None:
    head = male_head if sex == "male" else female_head
    # ~520 cm2 (Bernstein & Rassman 1997); accepted 450-650 for the mean heads
    assert 450.0 <= head.scalp_area_cm2 <= 650.0


def test_left_right_are_the_clients(male_head: Head) -> None:
    regions = build_regions(male_head)
    assert regions.polygons["temporal_right"].centroid.x > 0
    assert regions.polygons["parietal_left"].centroid.x < 0
    assert regions.area_cm2["temporal_left"] == pytest.approx(regions.area_cm2["temporal_right"],
                                                              rel=1e-3)  # fmt: skip
    assert regions.polygons["frontal"].centroid.y > regions.polygons["midscalp"].centroid.y
    assert regions.polygons["midscalp"].centroid.y > regions.polygons["vertex"].centroid.y
    assert regions.polygons["vertex"].centroid.y > regions.polygons["occipital"].centroid.y
    names = regions.region_of([[0.0, 60.0], [0.0, -200.0], [110.0, 0.0], [0.0, 400.0]])
    assert list(names) == ["frontal", "occipital", "parietal_right", ""]


def test_natural_hairline(male_head: Head, female_head: Head) -> None:
    for head, height in ((male_head, 70.0), (female_head, 58.0)):
        line = head.natural_hairline_mm()
        assert np.all(np.diff(line[:, 0]) > 0)  # left to right
        mid = line[line.shape[0] // 2]
        # mid-frontal point: the given arc above the glabella along the midline
        assert head.landmarks.chart_mm["glabella"][1] - mid[1] == pytest.approx(height, abs=0.5)
        # frontotemporal angle on the vertical through the lateral canthus
        ft = head.chart.chart_to_surface(head.hairline_controls_mm["frontotemporal_right"])[0]
        assert ft[0] == pytest.approx(head.landmarks.lateral_canthus_x_mm, abs=1e-3)
        canthus = head.canthus_line_mm(1)
        xyz = head.chart.chart_to_surface(canthus)
        assert np.allclose(xyz[:, 0], head.landmarks.lateral_canthus_x_mm, atol=1e-4)
    # women's hairline is lower on the forehead (PMC8367035)
    m_ratio = male_head.hairline_controls_mm["mid_frontal"][1]
    f_ratio = female_head.hairline_controls_mm["mid_frontal"][1]
    assert f_ratio > m_ratio - 1.0


def test_regions_to_dict(male_head: Head) -> None:
    regions = build_regions(male_head)
    rows = regions.to_dict()
    assert [r["name"] for r in rows] == list(REGION_NAMES)
    assert all(r["bald_area_cm2"] == 0.0 for r in rows)
    assert surface_area_mm2(male_head.chart, regions.polygons["occipital"]) > 0
    assert math.isfinite(sum(r["area_cm2"] for r in rows))
