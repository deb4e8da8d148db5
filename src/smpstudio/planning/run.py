"""The whole plan of a case, as the files of an output folder (CONTRACT.md section 4).

assess -> design -> predict (appearance) -> course -> show (views, close-ups, report).
Every random step draws from its own named stream of the case seed, so the same case and seed
give the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from smpstudio import appearance
from smpstudio.case.model import Case
from smpstudio.course import Course, plan_course
from smpstudio.design.plan import Design, design_case
from smpstudio.planning.assess import Assessment, assess_case
from smpstudio.planning.streams import rng_for

SCHEMA_VERSION = 1


@dataclass(frozen=True, kw_only=True)
class Plan:
    """Every step's result for one case."""

    case: Case
    seed: int
    assessment: Assessment
    design: Design
    course: Course
    appearance: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """plan.json (CONTRACT.md section 4)."""
        a = self.assessment
        d = self.design
        regions = a.regions.to_dict(a.loss)
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


@dataclass(frozen=True, kw_only=True)
class Outputs:
    files: dict[str, bytes]
    summary: dict[str, Any]


def make_plan(case: Case, *, seed: int | None = None) -> Plan:
    """Assess, design, predict and plan the course of one case."""
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
    dilutions = [
        float(np.median(dots.dilution[dots.session == k])) if np.any(dots.session == k) else 0.0
        for k in range(1, sessions + 1)
    ]
    needles = [_needles(dots.needle[dots.session == k]) for k in range(1, sessions + 1)]
    last = dots.session == sessions
    hairline_last = int(np.count_nonzero(last & (dots.needle == "1RL")))

    def shade_hex(depth_mm: float, pigment_frac: float) -> str:
        return appearance.lookup(fitz, depth_mm, pigment_frac).dot_srgb_hex

    course = plan_course(
        case, dots_per_session=design.dots_per_session(), hairline_dots_last_session=hairline_last,
        treated_area_cm2=design.treated_area_cm2, scars_treated=bool(np.any(dots.on_scar)),
        shade_hex=shade_hex, needles=needles, dilutions=dilutions,
    )  # fmt: skip
    return Plan(
        case=case, seed=seed, assessment=assessment, design=design, course=course,
        appearance=_appearance(case, dilutions[-1], course),
    )  # fmt: skip


def _needles(needles: np.ndarray) -> str:
    kinds = sorted(set(needles.tolist()), key=lambda n: (n != "3RL", n))
    names = {"3RL": "3RL 0.30 mm (body)", "1RL": "1RL 0.20 mm (hairline)"}
    return ", ".join(names.get(k, k) for k in kinds) if kinds else "3RL 0.30 mm (body)"


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


def build_scene(plan: Plan) -> Any:
    """The renderer's scene for a plan."""
    from smpstudio.render.scene import DotColumns, RenderScene

    d = plan.design
    dots = DotColumns(
        uv_mm=d.dots.uv_mm, xyz_mm=d.dots.xyz_mm, diameter_mm=d.dots.diameter_mm,
        depth_mm=d.dots.depth_mm, dilution=d.dots.dilution, session=d.dots.session,
        on_scar=d.dots.on_scar,
    )  # fmt: skip
    bald = plan.assessment.loss.bald
    outlines = [np.asarray(g.exterior.coords) for g in getattr(bald, "geoms", [bald])
                if isinstance(g, shapely.Polygon) and not g.is_empty]  # fmt: skip
    scalp = plan.assessment.regions.scalp
    scalp_outline = np.asarray(
        (
            scalp if isinstance(scalp, shapely.Polygon) else max(scalp.geoms, key=lambda g: g.area)
        ).exterior.coords
    )
    scar_uv, scar_r = _scar_discs(plan)
    return RenderScene(
        scar_discs_uv_mm=scar_uv, scar_disc_radius_mm=scar_r,
        chart=plan.assessment.head.chart, skin_fitzpatrick=plan.case.skin.fitzpatrick,
        hair_colour_hex=plan.case.hair.colour_hex, follicles_uv_mm=d.follicles_uv_mm, dots=dots,
        faded_remaining_frac=float(plan.course.fading_summary()["pigment_remaining_frac"]),
        bald_outline_uv_mm=outlines, hairline_uv_mm=d.hairline.points_mm,
        scalp_outline_uv_mm=scalp_outline,
    )  # fmt: skip


def _scar_discs(plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """Scar tissue as discs: each line scar sampled along its centreline (spacing 0.4 x its
    half-width), one disc per FUE punch scar."""
    from smpstudio.case.model import LineScar

    centres, radii = [], []
    for scar in plan.case.loss.scars:
        if isinstance(scar, LineScar):
            line = shapely.LineString(scar.points_mm)
            half = 0.5 * scar.width_mm
            steps = np.arange(0.0, line.length + 1e-9, 0.4 * half)
            pts = shapely.get_coordinates(shapely.line_interpolate_point(line, steps))
            centres.append(pts)
            radii.append(np.full(pts.shape[0], half))
    loss = plan.assessment.loss
    if loss.fue_centres_mm.shape[0]:
        centres.append(loss.fue_centres_mm)
        radii.append(np.full(loss.fue_centres_mm.shape[0], 0.5 * loss.fue_diameter_mm))
    if not centres:
        return np.zeros((0, 2)), np.zeros(0)
    return np.concatenate(centres), np.concatenate(radii)


def build_outputs(case: Case, *, seed: int | None, size_px: int) -> Outputs:
    """Every file of the output folder, as bytes."""
    from smpstudio.render.design_picture import draw_design_chart
    from smpstudio.render.outputs import render_all
    from smpstudio.report import render_report

    plan = make_plan(case, seed=seed)
    data = plan.to_dict()
    images = render_all(build_scene(plan), size_px)
    images["design.png"] = draw_design_chart(plan, size_px=min(size_px, 1400))
    files: dict[str, bytes] = {
        "plan.json": (json.dumps(data, indent=2, sort_keys=False) + "\n").encode("utf-8"),
        "dots.csv": plan.design.dots_csv(),
        "aftercare.ics": plan.course.ics_bytes(),
    }
    files.update(images)
    files["report.html"] = render_report(data, images)
    return Outputs(files=files, summary=data)
