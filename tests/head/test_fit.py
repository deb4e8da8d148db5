"""The fitted surface reproduces the ANSUR head measurements and keeps the vertex on top."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smpstudio.case.model import HeadMeasurements
from smpstudio.errors import InputError
from smpstudio.head import ANSUR_HEAD_MM, Head, build_head
from smpstudio.head.fit import circumference_range, fit_params
from smpstudio.head.surface import P_CU, P_ZC


def _reproduces(m: HeadMeasurements, head: Head, tol: float) -> None:
    got = head.measured
    assert got.circumference_mm == pytest.approx(m.circumference_mm, rel=tol)
    assert got.length_mm == pytest.approx(m.length_mm, rel=tol)
    assert got.breadth_mm == pytest.approx(m.breadth_mm, rel=tol)
    assert got.vertex_height_mm == pytest.approx(m.tragion_to_vertex_mm, rel=tol)


@pytest.mark.parametrize("sex", ["male", "female"])
def test_mean_heads_reproduced(sex: str, male_head: Head, female_head: Head) -> None:
    head = male_head if sex == "male" else female_head
    mean = {k: v[0] for k, v in ANSUR_HEAD_MM[sex].items()}
    _reproduces(HeadMeasurements(**mean), head, 0.02)
    # independent check of the circumference: a fine polygon in the g-op plane
    lm = head.landmarks.points_mm
    assert lm["glabella"][1] == pytest.approx(0.485 * mean["length_mm"])
    assert 25.0 <= lm["glabella"][2] <= 35.0
    assert lm["inion"][2] < lm["opisthocranion"][2]


@st.composite
def heads(draw: st.DrawFn) -> tuple[str, HeadMeasurements]:
    sex = draw(st.sampled_from(["male", "female"]))
    ref = ANSUR_HEAD_MM[sex]
    vals = {k: draw(st.floats(m - 3 * s, m + 3 * s)) for k, (m, s) in ref.items()}
    lo, hi = circumference_range(vals["length_mm"], vals["breadth_mm"],
                                 vals["tragion_to_vertex_mm"])  # fmt: skip
    m, s = ref["circumference_mm"]
    lo, hi = max(lo + 1.0, m - 3 * s), min(hi - 1.0, m + 3 * s)
    if lo > hi:  # no head of that length and breadth has a circumference within 3 sd
        lo = hi = 0.5 * (lo + hi)
    vals["circumference_mm"] = lo + draw(st.floats(0.0, 1.0)) * (hi - lo)
    return sex, HeadMeasurements(**vals)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(heads())
def test_measurements_reproduced_over_anthropometric_range(
    case: tuple[str, HeadMeasurements],
) -> None:
    _sex, m = case
    _prm, measured = fit_params(m.length_mm, m.breadth_mm, m.circumference_mm,
                               m.tragion_to_vertex_mm)  # fmt: skip
    assert measured.length_mm == pytest.approx(m.length_mm, rel=0.02)
    assert measured.breadth_mm == pytest.approx(m.breadth_mm, rel=0.02)
    assert measured.circumference_mm == pytest.approx(m.circumference_mm, rel=0.02)
    assert measured.vertex_height_mm == pytest.approx(m.tragion_to_vertex_mm, rel=0.02)


def test_vertex_is_highest_point_with_zero_slope(male_head: Head) -> None:
    chart = male_head.chart
    rng = np.random.default_rng(3)
    uv = rng.uniform(-150, 150, (4000, 2))
    z = chart.chart_to_surface(uv)[:, 2]
    top = chart.params[P_ZC] + chart.params[P_CU]
    assert z.max() < top
    assert chart.chart_to_surface([0.0, 0.0])[0, 2] == pytest.approx(top)
    # zero slope in every direction: height drops quadratically with the chart radius
    for phi in np.linspace(0, 2 * math.pi, 12, endpoint=False):
        d = np.array([math.sin(phi), math.cos(phi)])
        dz1 = top - chart.chart_to_surface(1.0 * d)[0, 2]
        dz2 = top - chart.chart_to_surface(2.0 * d)[0, 2]
        assert dz2 / dz1 == pytest.approx(4.0, rel=0.02)


def test_vertex_normal_is_up(male_head: Head) -> None:
    n = male_head.chart.normals([[0.0, 0.0], [0.0, 90.0], [120.0, 0.0]])
    assert np.allclose(n[0], [0, 0, 1])
    assert n[1, 1] > 0.5 and n[2, 0] > 0.5  # forehead faces forward, the side faces right


def test_bad_measurements_rejected() -> None:
    with pytest.raises(InputError, match=r"head.length_mm"):
        build_head(HeadMeasurements(circumference_mm=574, length_mm=400, breadth_mm=154,
                                    tragion_to_vertex_mm=131), "male")  # fmt: skip
    with pytest.raises(InputError, match=r"head.circumference_mm"):
        build_head(HeadMeasurements(circumference_mm=640, length_mm=190, breadth_mm=140,
                                    tragion_to_vertex_mm=131), "male")  # fmt: skip
    with pytest.raises(InputError, match=r"client.sex"):
        build_head(
            HeadMeasurements(
                circumference_mm=574, length_mm=200, breadth_mm=154, tragion_to_vertex_mm=131
            ),
            "other",
        )  # type: ignore[arg-type]


def test_head_to_dict(male_head: Head) -> None:
    d = male_head.to_dict()
    assert 450.0 <= d["scalp_area_cm2"] <= 650.0
    assert d["circumference_mm"] == pytest.approx(574.0, abs=0.5)
    assert d["vertex_height_mm"] == pytest.approx(131.0, abs=0.01)
