"""Builders for the course tests: a case made directly from the dataclasses."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from smpstudio.case.model import (
    Case,
    Client,
    DesignChoices,
    Hair,
    HeadMeasurements,
    Loss,
    Pricing,
    Schedule,
    Skin,
)
from smpstudio.course import Course, build_course
from smpstudio.io.aftercare_file import load_aftercare_rules


def make_case(**overrides: Any) -> Case:
    """The demo case (src/smpstudio/data/norwood-5-male.yaml) with defaults filled in by hand.

    ``overrides`` replace whole sub-records or single fields as ``design__sessions=4``.
    """
    parts: dict[str, Any] = {
        "seed": 7,
        "client": Client(sex="male", age_years=41, ethnicity="caucasian"),
        "head": HeadMeasurements(
            circumference_mm=574.0, length_mm=200.0, breadth_mm=154.0, tragion_to_vertex_mm=131.0
        ),
        "skin": Skin(fitzpatrick=3),
        "hair": Hair(colour="dark_brown", colour_hex="#3B2A20", existing_density_frac=1.0),
        "loss": Loss(pattern="norwood-5"),
        "design": DesignChoices(
            technique="smp",
            style="natural",
            mid_frontal_height_mm=78.0,
            density_per_cm2=65.0,
            sessions=3,
            max_session_minutes=240.0,
            depth_mm=0.3,
            impressions_per_second=1.5,
        ),
        "schedule": Schedule(
            start=dt.date(2027, 1, 11),
            sun_exposure="moderate",
            timezone="Europe/London",
            session_start_time=dt.time(10, 0),
        ),
        "pricing": Pricing(currency="USD", per_session=600.0, per_cm2=3.5, touch_up_frac=0.35),
    }
    for key, value in overrides.items():
        if "__" in key:
            part, name = key.split("__")
            parts[part] = dataclasses.replace(parts[part], **{name: value})
        else:
            parts[key] = value
    return Case(**parts)


BUNDLED_RULES = load_aftercare_rules()


def grey_shade(depth_mm: float, pigment_frac: float) -> str:
    """A stand-in for the appearance model: darker with more pigment, lighter when deeper."""
    level = round(200 - 150 * pigment_frac + 40 * depth_mm)
    level = max(0, min(255, level))
    return f"#{level:02x}{level:02x}{level:02x}"


def plan_demo(**overrides: Any) -> Course:
    """build_course on the demo case with typical design numbers; overrides go to build_course."""
    kwargs: dict[str, Any] = {
        "dots_per_session": [4500, 9000, 12000],
        "hairline_dots_last_session": 1200,
        "treated_area_cm2": 198.4,
        "scars_treated": False,
        "shade_hex": grey_shade,
        "aftercare_rules": BUNDLED_RULES,
    }
    case = overrides.pop("case", None) or make_case()
    kwargs.update(overrides)
    return build_course(case, **kwargs)
