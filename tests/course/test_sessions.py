"""Sessions: dates from the published intervals, minutes from dots and rate, splitting."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.course import CourseSettings
from smpstudio.course.sessions import sitting_minutes, split_dots
from smpstudio.errors import InputError

from .helpers import grey_shade, make_case, plan_demo


def test_dates_follow_published_intervals() -> None:
    # SMP practice: session 1 to 2: 7-14 days (default 10); later about 28 days.
    sessions = plan_demo().sessions
    start = dt.date(2027, 1, 11)
    assert [s.date for s in sessions] == [
        start,
        start + dt.timedelta(days=10),
        start + dt.timedelta(days=10 + 28),
    ]


def test_intervals_are_settings() -> None:
    case = make_case(design__sessions=4)
    course = plan_demo(
        case=case,
        dots_per_session=[4000, 6000, 6000, 5000],
        settings=CourseSettings(first_interval_days=14, later_interval_days=30),
    )
    gaps = [(b.date - a.date).days for a, b in itertools.pairwise(course.sessions)]
    assert gaps == [14, 30, 30]


def test_interval_below_published_minimum_is_refused() -> None:
    with pytest.raises(InputError) as err:
        CourseSettings(first_interval_days=4)
    assert err.value.field == "settings.first_interval_days"


def test_minutes_from_dots_and_rate_hand_computed() -> None:
    # 4500 dots at 1.5/s = 3000 s = 50 min needle, no break: 25 + 50 = 75.
    # 9000 dots = 100 min needle, one break after 75 min: 25 + 100 + 10 = 135.
    # 12000 dots = 133.33 min needle, one break: 25 + 133.33 + 10 = 168.33 -> 169.
    sessions = plan_demo().sessions
    assert [s.estimated_minutes for s in sessions] == [75, 135, 169]
    assert [s.cumulative_dots for s in sessions] == [4500, 13500, 25500]


def test_break_boundary_exactly_one_stretch() -> None:
    # 75 min of needle time (6750 dots at 1.5/s) is one stretch: no break.
    assert sitting_minutes(6750, 1.5, CourseSettings()) == pytest.approx(25 + 75)
    assert sitting_minutes(6751, 1.5, CourseSettings()) == pytest.approx(25 + 6751 / 90 + 10)


@settings(max_examples=60, deadline=None)
@given(
    dots=st.integers(min_value=0, max_value=40_000),
    rate=st.floats(min_value=0.5, max_value=3.0),
)
def test_minutes_bounds_and_monotonic(dots: int, rate: float) -> None:
    cfg = CourseSettings()
    needle = dots / rate / 60.0
    minutes = sitting_minutes(dots, rate, cfg)
    # Independent count: a 10-min break each time another 75-min stretch of needling follows.
    breaks, left = 0, needle
    while left > 75.0 + 1e-7:
        breaks, left = breaks + 1, left - 75.0
    assert minutes == pytest.approx(25.0 + needle + 10.0 * breaks, rel=1e-9)
    assert minutes >= 25.0 + needle - 1e-9
    assert sitting_minutes(dots + 100, rate, cfg) > minutes


def test_long_session_is_split_with_warning() -> None:
    # 30,000 dots at 1.5/s = 333 min needle: far over 240 min.
    course = plan_demo(dots_per_session=[4500, 9000, 30000], hairline_dots_last_session=2000)
    last = course.sessions[-1]
    assert len(last.sittings) == 2
    assert sum(s.dots for s in last.sittings) == 30000
    assert all(s.estimated_minutes <= 240 for s in last.sittings)
    assert last.sittings[1].date == last.sittings[0].date + dt.timedelta(days=1)
    assert last.estimated_minutes == sum(s.estimated_minutes for s in last.sittings)
    split = [w for w in course.warnings if "split into 2 sittings" in w]
    assert len(split) == 1 and "Session 3" in split[0]
    assert not any("split" in w for w in plan_demo().warnings)


def test_split_of_earlier_session_delays_the_next() -> None:
    course = plan_demo(dots_per_session=[30000, 9000, 12000])
    first = course.sessions[0]
    assert len(first.sittings) == 2
    assert course.sessions[1].date == first.last_date + dt.timedelta(days=10)


@settings(max_examples=40, deadline=None)
@given(
    dots=st.integers(min_value=1, max_value=60_000),
    max_minutes=st.floats(min_value=40.0, max_value=400.0),
)
def test_split_is_fewest_fitting_sittings(dots: int, max_minutes: float) -> None:
    cfg = CourseSettings()
    parts = split_dots(dots, 1.5, max_minutes, cfg)
    assert sum(parts) == dots and max(parts) - min(parts) <= 1
    assert all(math.ceil(sitting_minutes(p, 1.5, cfg) - 1e-9) <= max_minutes for p in parts)
    if len(parts) > 1:  # one sitting fewer would not fit
        fewer = -(-dots // (len(parts) - 1))
        assert math.ceil(sitting_minutes(fewer, 1.5, cfg) - 1e-9) > max_minutes


def test_limit_shorter_than_setup_is_refused() -> None:
    with pytest.raises(InputError) as err:
        plan_demo(case=make_case(design__max_session_minutes=20.0))
    assert err.value.field == "design.max_session_minutes"


def test_needles_dilution_and_shade() -> None:
    calls: list[tuple[float, float]] = []

    def shade(depth_mm: float, pigment_frac: float) -> str:
        calls.append((depth_mm, pigment_frac))
        return grey_shade(depth_mm, pigment_frac)

    sessions = plan_demo(shade_hex=shade).sessions
    # Session 1 lighter (SMP practice); defaults as the design's: 0.45 -> 0.15 linearly.
    assert [s.dilution_frac for s in sessions] == pytest.approx([0.45, 0.30, 0.15])
    assert calls == [(0.3, pytest.approx(1 - s.dilution_frac)) for s in sessions]
    assert sessions[0].shade_hex == grey_shade(0.3, 1 - sessions[0].dilution_frac).upper()
    assert sessions[0].needle == "3RL 0.30 mm"
    assert "1RL 0.20 mm at the hairline" in sessions[-1].needle
    no_hairline = plan_demo(hairline_dots_last_session=0).sessions
    assert "1RL" not in no_hairline[-1].needle


def test_design_needles_and_dilutions_are_used() -> None:
    sessions = plan_demo(needles=["a", "b", "c"], dilution_fracs=[0.8, 0.4, 0.2]).sessions
    assert [s.needle for s in sessions] == ["a", "b", "c"]
    assert [s.dilution_frac for s in sessions] == [0.8, 0.4, 0.2]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"dots_per_session": [100, 200]}, "dots_per_session"),
        ({"dots_per_session": [100, -1, 200]}, "dots_per_session"),
        ({"dots_per_session": [0, 0, 0]}, "dots_per_session"),
        ({"dots_per_session": [100, float("nan"), 200]}, "dots_per_session"),
        ({"dots_per_session": [100, 2.5, 200]}, "dots_per_session"),
        ({"hairline_dots_last_session": 20_000}, "hairline_dots_last_session"),
        ({"shade_hex": lambda d, f: "grey"}, "shade_hex"),
        ({"dilution_fracs": [0.5, 0.5]}, "dilution_fracs"),
        ({"dilution_fracs": [0.95, 0.5, 0.2]}, "dilution_fracs"),
        ({"needles": ["3RL"]}, "needles"),
    ],
)
def test_bad_design_inputs_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as err:
        plan_demo(**overrides)
    assert err.value.field == field


def test_session_dict_has_contract_keys() -> None:
    entry = plan_demo().sessions[1].to_dict()
    for key in (
        "index", "date", "dots", "cumulative_dots", "estimated_minutes", "needle", "dilution",
        "shade_hex",
    ):  # fmt: skip
        assert key in entry
    assert entry["date"] == "2027-01-21"
