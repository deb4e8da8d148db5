"""Fading model: published anchors, monotonicity, ordering by sun and technique, touch-ups."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.course import pigment_remaining_frac, touch_up_years
from smpstudio.errors import InputError

SUNS = ("low", "moderate", "high")
TECHNIQUES = ("smp", "tricopigmentation")


def test_healed_is_full_density() -> None:
    for technique in TECHNIQUES:
        assert pigment_remaining_frac(0.0, technique=technique) == 1.0


def test_minus_ten_percent_at_six_months() -> None:
    # J Cosmet Dermatol 2025 : visual density -10 % at 6 months.
    assert pigment_remaining_frac(0.5, technique="smp") == pytest.approx(0.90, abs=0.01)
    for fitzpatrick in range(1, 7):
        frac = pigment_remaining_frac(0.5, technique="smp", fitzpatrick=fitzpatrick)
        assert 0.88 <= frac <= 0.92


def test_scars_lose_fifteen_to_twenty_percent_at_six_months() -> None:
    frac = pigment_remaining_frac(0.5, technique="smp", scar=True)
    assert 0.80 <= frac <= 0.85


@pytest.mark.parametrize("fitzpatrick", range(1, 7))
def test_smp_touch_up_inside_published_range_moderate_sun(fitzpatrick: int) -> None:
    # SMP touch-up at about 4 years (3-6) at moderate sun.
    years = touch_up_years(technique="smp", sun_exposure="moderate", fitzpatrick=fitzpatrick)
    assert 3.0 <= years <= 6.0
    if fitzpatrick == 3:
        assert years == pytest.approx(4.0, abs=0.05)


@pytest.mark.parametrize("sun", SUNS)
@pytest.mark.parametrize("fitzpatrick", range(1, 7))
def test_tricopigmentation_touch_up_inside_published_range(sun: str, fitzpatrick: int) -> None:
    # Tricopigmentation: about 2 years (0.5-3).
    kw: dict[str, Any] = {"sun_exposure": sun, "fitzpatrick": fitzpatrick}
    years = touch_up_years(technique="tricopigmentation", **kw)
    hairline = touch_up_years(technique="tricopigmentation", zone="hairline", **kw)
    assert 0.5 <= hairline < years <= 3.0


@settings(max_examples=60, deadline=None)
@given(
    t0=st.floats(min_value=0.0, max_value=15.0),
    dt_years=st.floats(min_value=1e-3, max_value=5.0),
    technique=st.sampled_from(TECHNIQUES),
    sun=st.sampled_from(SUNS),
    fitzpatrick=st.integers(min_value=1, max_value=6),
    scar=st.booleans(),
)
def test_monotonic_decreasing(
    t0: float, dt_years: float, technique: str, sun: str, fitzpatrick: int, scar: bool
) -> None:
    kw: dict[str, Any] = {
        "technique": technique,
        "sun_exposure": sun,
        "fitzpatrick": fitzpatrick,
        "scar": scar,
    }
    now = pigment_remaining_frac(t0, **kw)
    later = pigment_remaining_frac(t0 + dt_years, **kw)
    assert 0.0 < later < now <= 1.0


@settings(max_examples=40, deadline=None)
@given(years=st.floats(min_value=0.01, max_value=20.0), technique=st.sampled_from(TECHNIQUES))
def test_faster_with_more_sun_and_for_tricopigmentation(years: float, technique: str) -> None:
    low, moderate, high = (
        pigment_remaining_frac(years, technique=technique, sun_exposure=s) for s in SUNS
    )
    assert low > moderate > high
    for sun in SUNS:
        assert pigment_remaining_frac(years, technique="tricopigmentation", sun_exposure=sun) < (
            pigment_remaining_frac(years, technique="smp", sun_exposure=sun)
        )


def test_touch_up_order_by_sun_technique_zone() -> None:
    smp = [touch_up_years(technique="smp", sun_exposure=s) for s in SUNS]
    trico = [touch_up_years(technique="tricopigmentation", sun_exposure=s) for s in SUNS]
    assert smp[0] > smp[1] > smp[2] and trico[0] > trico[1] > trico[2]
    assert all(t < s for s, t in zip(smp, trico, strict=True))
    for technique in TECHNIQUES:
        assert touch_up_years(technique=technique, zone="hairline") < touch_up_years(
            technique=technique
        )


@pytest.mark.parametrize("technique", TECHNIQUES)
@pytest.mark.parametrize("scar", [False, True])
def test_touch_up_is_where_the_threshold_is_crossed(technique: str, scar: bool) -> None:
    years = touch_up_years(technique=technique, sun_exposure="high", scar=scar)
    frac = pigment_remaining_frac(years, technique=technique, sun_exposure="high", scar=scar)
    assert frac == pytest.approx(0.70, abs=1e-9)


def test_array_input_keeps_shape_and_matches_scalars() -> None:
    years = np.array([[0.0, 0.5], [2.0, 4.0]])
    out = pigment_remaining_frac(years, technique="smp")
    assert isinstance(out, np.ndarray) and out.shape == (2, 2)
    expected = [[pigment_remaining_frac(float(y), technique="smp") for y in row] for row in years]
    np.testing.assert_allclose(out, expected, rtol=1e-12)
    assert isinstance(pigment_remaining_frac(1.0, technique="smp"), float)
    assert pigment_remaining_frac(np.array([]), technique="smp").shape == (0,)  # type: ignore[union-attr]


def test_years_in_months_scale() -> None:
    # Unit scaling: 6 months written as 6/12 years is the same point.
    assert pigment_remaining_frac(6 / 12, technique="smp") == pigment_remaining_frac(
        0.5, technique="smp"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"years": -0.1}, "years"),
        ({"years": math.nan}, "years"),
        ({"years": [1.0, math.inf]}, "years"),
        ({"technique": "tattoo"}, "technique"),
        ({"sun_exposure": "extreme"}, "sun_exposure"),
        ({"fitzpatrick": 7}, "fitzpatrick"),
        ({"zone": "crown"}, "zone"),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"years": 1.0, "technique": "smp", **kwargs}
    with pytest.raises(InputError) as err:
        pigment_remaining_frac(**args)  # type: ignore[call-overload]
    assert err.value.field == field
