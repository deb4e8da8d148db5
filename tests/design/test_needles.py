"""Needles: one table of codes and diameters for the design, the course and plan.json."""

from __future__ import annotations

from smpstudio.course import CourseSettings
from smpstudio.design.attributes import DotStyle
from smpstudio.design.needles import BODY_NEEDLE, HAIRLINE_NEEDLE, NEEDLES, describe_needle


def test_descriptions_name_the_code_and_diameter() -> None:
    assert describe_needle("3RL") == "3RL 0.30 mm"
    assert describe_needle("1RL", with_use=True) == "1RL 0.20 mm (hairline)"
    assert describe_needle("5RL") == "5RL"  # a clinic's own needle: the code alone
    assert set(NEEDLES) == {"3RL", "1RL"}


def test_design_and_course_use_the_same_needles() -> None:
    style, settings = DotStyle(), CourseSettings()
    assert (style.body_needle, style.hairline_needle) == (BODY_NEEDLE.code, HAIRLINE_NEEDLE.code)
    assert settings.needle_body == describe_needle(style.body_needle)
    assert settings.needle_hairline == describe_needle(style.hairline_needle)


def test_diameters_are_the_published_ranges() -> None:
    # 3RL 0.25-0.30 mm for the body, 1RL 0.20-0.25 mm at the hairline (SMP practice).
    assert 0.25 <= BODY_NEEDLE.diameter_mm <= 0.30
    assert 0.20 <= HAIRLINE_NEEDLE.diameter_mm <= 0.25
