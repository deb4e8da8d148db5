"""The treatment plan of one case: assess, design, predict (appearance), plan the course.

The result, :class:`TreatmentPlan`, is what ``smp plan`` writes as plan.json; the pictures and
the report are made from it at the edges (:mod:`smpstudio.render.plan_scene`,
:mod:`smpstudio.io.plan_folder`).
Every random step draws from its own named stream of the case seed, so the same case and seed
give the same bytes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from smpstudio import appearance
from smpstudio.case.model import Case
from smpstudio.course import AftercareRule, Course, build_course
from smpstudio.design.dot_design import DotDesign, design_case
from smpstudio.design.needles import BODY_NEEDLE, describe_needle
from smpstudio.planning.assess import Assessment, assess_case
from smpstudio.planning.streams import rng_for

SCHEMA_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class TreatmentPlan:
    """Every step's result for one case."""

    case: Case
    seed: int
    assessment: Assessment
    design: DotDesign
    course: Course
    appearance: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """plan.json (docs/interface.md section 4)."""
        a = self.assessment
        d = self.design
        regions = a.regions.to_dict(a.loss.bald_area_by_region_cm2)
        for entry in regions:
            entry.update(d.region_stats[entry["name"]])
        course = self.course.to_dict()
        return {
            "schema_version": SCHEMA_VERSION,
            "seed": self.seed,
            "inputs": self.case.to_dict(),
            "head": a.head.to_dict(),
            "regions": regions,
            "loss": a.loss.to_dict(),
            "hairline": d.hairline.to_dict(),
            "dots": {
                "total": d.dots.count,
                "file": "dots.csv",
                "by_session": d.dots_per_session(),
                "treated_area_cm2": round(d.treated_area_cm2, 2),
                "sessions": d.session_stats,
            },
            "sessions": course["sessions"],
            "aftercare": course["aftercare"],
            "touch_ups": course["touch_ups"],
            "fading": course["fading"],
            "appearance": self.appearance,
            "quote": course["quote"],
            "warnings": course["warnings"],
        }


def plan_case(
    case: Case, *, aftercare_rules: Sequence[AftercareRule], seed: int | None = None
) -> TreatmentPlan:
    """Assess, design, predict and plan the course of one case.

    Parameters
    ----------
    case
        The filled-in case (:func:`smpstudio.io.case_file.load_case`).
    aftercare_rules
        The practice's aftercare rules (:func:`smpstudio.io.aftercare_file.load_aftercare_rules`).
    seed
        Overrides ``case.seed`` when given.
    """
    if seed is not None:
        case = dataclasses.replace(case, seed=seed)
    seed = case.seed
    assessment = assess_case(case)
    design = design_case(
        case, assessment.head, assessment.regions, assessment.loss,
        rng_hairline=rng_for(seed, "hairline"), rng_follicles=rng_for(seed, "follicles"),
        rng_dots=rng_for(seed, "dots"), rng_attributes=rng_for(seed, "dot_attributes"),
    )  # fmt: skip
    fitz = case.skin.fitzpatrick
    dots = design.dots
    sessions = case.design.sessions
    dilution_fracs = [
        float(np.median(dots.dilution_frac[dots.session == k]))
        if np.any(dots.session == k)
        else 0.0
        for k in range(1, sessions + 1)
    ]
    needles = [_needles(dots.needle[dots.session == k]) for k in range(1, sessions + 1)]
    last = dots.session == sessions
    hairline_last = int(np.count_nonzero(last & (dots.needle == "1RL")))

    def shade_hex(depth_mm: float, pigment_frac: float) -> str:
        return appearance.lookup(fitz, depth_mm, pigment_frac).dot_srgb_hex

    course = build_course(
        case, dots_per_session=design.dots_per_session(), hairline_dots_last_session=hairline_last,
        treated_area_cm2=design.treated_area_cm2, scars_treated=bool(np.any(dots.on_scar)),
        shade_hex=shade_hex, aftercare_rules=aftercare_rules, needles=needles,
        dilution_fracs=dilution_fracs,
    )  # fmt: skip
    return TreatmentPlan(
        case=case, seed=seed, assessment=assessment, design=design, course=course,
        appearance=_appearance(case, dilution_fracs[-1], course),
    )  # fmt: skip


def _needles(needles: np.ndarray) -> str:
    """The needles of one session's dots, body needle first: ``"3RL 0.30 mm (body), ..."``."""
    codes = sorted(set(needles.tolist()), key=lambda n: (n != BODY_NEEDLE.code, n))
    return ", ".join(describe_needle(c, with_use=True) for c in codes or [BODY_NEEDLE.code])


def _appearance(case: Case, final_dilution: float, course: Course) -> dict[str, Any]:
    """plan.json ``appearance``: the planned dot against this client's skin."""
    fitz, depth = case.skin.fitzpatrick, case.design.depth_mm
    healed_frac = appearance.pigment_frac_for(dilution_frac=final_dilution)
    fresh = appearance.lookup(fitz, depth, appearance.pigment_frac_for(
        dilution_frac=final_dilution, fresh=True))  # fmt: skip
    healed = appearance.lookup(fitz, depth, healed_frac)
    remaining = float(course.fading_summary()["pigment_remaining_frac"])
    faded = appearance.lookup(fitz, depth, healed_frac * remaining)
    return {
        "fitzpatrick": fitz,
        "depth_mm": depth,
        "pigment_frac_healed": round(healed_frac, 4),
        "skin_lab": _round(healed.skin_lab),
        "skin_srgb_hex": healed.skin_srgb_hex,
        "dot_lab_fresh": _round(fresh.dot_lab),
        "dot_lab_healed": _round(healed.dot_lab),
        "dot_lab_faded": _round(faded.dot_lab),
        "dot_srgb_hex_healed": healed.dot_srgb_hex,
        "delta_e2000_healed": round(healed.delta_e2000, 3),
        "delta_e2000_faded": round(faded.delta_e2000, 3),
        "blue_shift_index": round(healed.blue_shift_index, 4),
        "warnings": list(healed.warnings),
        "note": "Illustrative prediction from a Monte Carlo model of light in skin; "
        "real results vary with skin, healing, aftercare and sun.",
    }


def _round(values: Any) -> list[float]:
    return [round(float(v), 3) for v in values]
