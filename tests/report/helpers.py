"""A realistic sample plan (the demo case, Norwood V) and tiny PNG pictures for the report tests.

The course part (sessions, aftercare, touch-ups, fading, quote, warnings) comes from the real
``build_course``; head, regions, loss, hairline, dots and appearance are hand-made following
docs/interface.md section 4 with numbers of the right size (Norwood V: about 38% of a 520 cm2
hair-bearing scalp, docs/references.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from typing import Any

from PIL import Image

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
    SunExposure,
)
from smpstudio.course import build_course
from smpstudio.io.aftercare_file import load_aftercare_rules

VIEWS = ("top", "front", "left", "right", "back")
STATES = ("before", "fresh", "healed", "faded")
IMAGE_KEYS: tuple[str, ...] = (
    *(f"views/{v}-{s}.png" for v in VIEWS for s in STATES),
    "closeups/hairline-healed.png",
    "closeups/crown-healed.png",
    "design.png",
)
# (name, area_cm2, bald_area_cm2, treated_area_cm2, target_density_per_cm2, dots)
REGIONS: tuple[tuple[str, float, float, float, float, int], ...] = (
    ("frontal", 95.0, 80.0, 80.0, 65.0, 4950),
    ("midscalp", 70.0, 60.0, 60.0, 65.0, 3900),
    ("vertex", 65.0, 50.0, 50.0, 65.0, 3250),
    ("temporal_left", 30.0, 4.2, 4.2, 65.0, 273),
    ("temporal_right", 30.0, 4.2, 4.2, 65.0, 273),
    ("parietal_left", 70.0, 0.0, 0.0, 0.0, 0),
    ("parietal_right", 70.0, 0.0, 0.0, 0.0, 0),
    ("occipital", 90.0, 0.0, 0.0, 0.0, 0),
)
DOTS_PER_SESSION = (4426, 4426, 3794)  # 35% / 35% / 30% of the 12,646 dots
HAIRLINE_DOTS = 1200


def make_case(
    *, max_session_minutes: float = 240.0, sun_exposure: SunExposure = "moderate"
) -> Case:
    """The demo case (Norwood V man, 41) built from the dataclasses."""
    return Case(
        seed=7,
        client=Client(sex="male", age_years=41, ethnicity="caucasian"),
        head=HeadMeasurements(
            circumference_mm=574.0, length_mm=200.0, breadth_mm=154.0, tragion_to_vertex_mm=131.0
        ),
        skin=Skin(fitzpatrick=3),
        hair=Hair(colour="dark_brown", colour_hex="#3A2A22", existing_density_frac=1.0),
        loss=Loss(pattern="norwood-5"),
        design=DesignChoices(
            technique="smp",
            style="natural",
            mid_frontal_height_mm=78.0,
            density_per_cm2=65.0,
            sessions=3,
            max_session_minutes=max_session_minutes,
            depth_mm=0.3,
            impressions_per_second=1.5,
        ),
        schedule=Schedule(
            start=dt.date(2027, 1, 11),
            sun_exposure=sun_exposure,
            timezone="Europe/London",
            session_start_time=dt.time(10, 0),
        ),
        pricing=Pricing(currency="USD", per_session=600.0, per_cm2=3.5, touch_up_frac=0.35),
    )


def brown_shade(depth_mm: float, pigment_frac: float) -> str:
    """Stand-in for the appearance model: a darker brown-grey with more pigment."""
    level = max(0, min(200, round(170 - 120 * pigment_frac + 40 * depth_mm)))
    return f"#{level + 12:02X}{level + 4:02X}{level:02X}"


def _sample_plan(case: Case) -> dict[str, Any]:
    treated = sum(r[3] for r in REGIONS)
    course = build_course(
        case,
        dots_per_session=list(DOTS_PER_SESSION),
        hairline_dots_last_session=HAIRLINE_DOTS,
        treated_area_cm2=treated,
        scars_treated=False,
        shade_hex=brown_shade,
        aftercare_rules=load_aftercare_rules(),
    )
    plan: dict[str, Any] = {
        "schema_version": 1,
        "seed": case.seed,
        "inputs": case.to_dict(),
        "head": {"scalp_area_cm2": 520.0, "circumference_mm": 574.0, "vertex_height_mm": 131.0},
        "regions": [
            {
                "name": name,
                "area_cm2": area,
                "bald_area_cm2": bald,
                "treated_area_cm2": done,
                "target_density_per_cm2": density,
                "dots": dots,
            }
            for name, area, bald, done, density, dots in REGIONS
        ],
        "loss": {
            "pattern": "norwood-5",
            "bald_area_cm2": sum(r[2] for r in REGIONS),
            "bald_frac": round(sum(r[2] for r in REGIONS) / 520.0, 4),
            "nearest_norwood": "5",
        },
        "hairline": {
            "style": "natural",
            "mid_frontal_height_mm": 78.0,
            "points_mm": [[-60.0, 95.0], [-30.0, 104.0], [0.0, 106.0], [30.0, 104.0], [60.0, 95.0]],
        },
        "dots": {
            "total": sum(DOTS_PER_SESSION),
            "file": "dots.csv",
            "by_session": list(DOTS_PER_SESSION),
        },
        "appearance": {
            "skin_lab": [63.5, 9.8, 17.2],
            "dot_lab_fresh": [31.2, 3.1, 2.4],
            "dot_lab_healed": [41.7, 4.6, 6.9],
            "dot_lab_faded": [47.9, 6.0, 9.6],
            "delta_e2000_healed": 17.8,
            "blue_shift_index": 0.21,
        },
    }
    plan.update(course.to_dict())
    return plan


_PLAN = _sample_plan(make_case())
# Sessions limited to 70 minutes (session 1 and 2 split into two sittings) in high sun: a plan
# with warnings.
_PLAN_WARNINGS = _sample_plan(make_case(max_session_minutes=70.0, sun_exposure="high"))


def sample_plan(*, with_warnings: bool = False) -> dict[str, Any]:
    """A fresh deep copy of a sample plan (tests may mutate it)."""
    return copy.deepcopy(_PLAN_WARNINGS if with_warnings else _PLAN)


def tiny_png(seed: int, size_px: int = 6) -> bytes:
    """A small PNG whose colour depends on ``seed`` (so each picture's bytes differ)."""
    colour = ((seed * 47) % 256, (seed * 91) % 256, (seed * 13 + 80) % 256)
    buffer = io.BytesIO()
    Image.new("RGB", (size_px, size_px), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def sample_images() -> dict[str, bytes]:
    """Every picture the report can show, as distinct tiny PNGs."""
    return {key: tiny_png(i) for i, key in enumerate(IMAGE_KEYS)}
