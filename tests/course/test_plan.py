"""build_course as a whole: plan.json keys, touch-ups from the fading model, the core's imports."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import subprocess
import sys

import pytest

from smpstudio.course import pigment_remaining_frac, touch_up_years

from .helpers import make_case, plan_demo

YEAR_DAYS = 365.25


def test_to_dict_is_json_with_the_contract_keys() -> None:
    data = json.loads(json.dumps(plan_demo().to_dict()))
    assert {"sessions", "aftercare", "touch_ups", "quote", "warnings"} <= set(data)
    assert {"currency", "lines", "total"} == set(data["quote"])
    assert all({"rule", "start", "end", "text"} <= set(a) for a in data["aftercare"])
    assert all({"kind", "date", "reason"} <= set(t) for t in data["touch_ups"])


def test_touch_ups_hairline_before_full_inside_published_range() -> None:
    course = plan_demo()
    healed = dt.date(2027, 2, 18) + dt.timedelta(days=28)  # 4 weeks after the last session
    assert course.healed_date == healed
    kinds = [t.kind for t in course.touch_ups]
    assert kinds == ["hairline", "full"]
    hairline, full = course.touch_ups
    assert hairline.date < full.date
    years_full = (full.date - healed).days / YEAR_DAYS
    assert 3.0 <= years_full <= 6.0  # SMP, moderate sun: 4 years (3-6)
    assert abs(years_full - 4.0) < 0.01


def test_tricopigmentation_touch_up_inside_published_range() -> None:
    course = plan_demo(case=make_case(design__technique="tricopigmentation"))
    full = course.full_touch_up
    assert 0.5 <= (full.date - course.healed_date).days / YEAR_DAYS <= 3.0


def test_no_hairline_dots_no_hairline_touch_up() -> None:
    assert [t.kind for t in plan_demo(hairline_dots_last_session=0).touch_ups] == ["full"]


def test_scars_bring_the_full_touch_up_forward() -> None:
    plain = plan_demo().full_touch_up
    scars = plan_demo(scars_treated=True)
    assert scars.full_touch_up.date < plain.date
    years = touch_up_years(technique="smp", scar=True)
    assert scars.full_touch_up.years_after_healed == years
    # The full top-up comes before the hairline would: it covers the hairline too.
    assert [t.kind for t in scars.touch_ups] == ["full"]


def test_fading_summary_drives_the_faded_view() -> None:
    course = plan_demo()
    summary = course.to_dict()["fading"]
    assert summary["faded_date"] == course.full_touch_up.date.isoformat()
    assert summary["pigment_remaining_frac"] == round(
        pigment_remaining_frac(summary["faded_years"], technique="smp"), 4
    )
    assert summary["pigment_remaining_frac"] == 0.7
    assert summary["pigment_remaining_frac_hairline"] < summary["pigment_remaining_frac"]


def test_course_is_frozen_and_deterministic() -> None:
    first, second = plan_demo(), plan_demo()
    assert first.to_dict() == second.to_dict()
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.warnings = ("x",)  # type: ignore[misc]


def test_core_imports_no_edge_packages() -> None:
    code = (
        "import sys, smpstudio.course\n"
        "bad = [m for m in ('click', 'pydantic', 'rich', 'yaml', 'smpstudio.appearance', "
        "'smpstudio.cli', 'smpstudio.io') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
