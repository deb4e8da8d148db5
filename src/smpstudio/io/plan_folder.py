"""The files of a plan folder (docs/interface.md section 4), as bytes: the one place that puts the
treatment plan, its pictures and the client report together.

``smp plan`` and ``smp demo`` write these files with :func:`smpstudio.io.output.atomic_output_dir`;
the web app serves the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from smpstudio.case.model import Case
from smpstudio.course import AftercareRule
from smpstudio.io.aftercare_file import load_aftercare_rules
from smpstudio.planning.treatment_plan import plan_case
from smpstudio.render.design_picture import draw_design_chart
from smpstudio.render.outputs import render_all
from smpstudio.render.plan_scene import scene_for_plan
from smpstudio.report import render_report


@dataclass(frozen=True, kw_only=True)
class PlanFolder:
    """Every file of a plan folder, by relative path, and the plan.json data they come from."""

    files: dict[str, bytes]
    summary: dict[str, Any]


def plan_folder(
    case: Case,
    *,
    seed: int | None,
    size_px: int,
    aftercare_rules: Sequence[AftercareRule] | None = None,
) -> PlanFolder:
    """Plan the case and make every file of its output folder, as bytes.

    Parameters
    ----------
    case
        The filled-in case.
    seed
        Overrides ``case.seed`` when given.
    size_px
        Side of the square view pictures, pixels (close-ups are always 400 px).
    aftercare_rules
        A clinic's rules (:func:`~smpstudio.io.aftercare_file.load_aftercare_rules`); None uses
        the bundled ones.
    """
    rules = load_aftercare_rules() if aftercare_rules is None else aftercare_rules
    plan = plan_case(case, aftercare_rules=rules, seed=seed)
    data = plan.to_dict()
    images = render_all(scene_for_plan(plan), size_px)
    images["design.png"] = draw_design_chart(plan, size_px=min(size_px, 1400))
    files: dict[str, bytes] = {
        "plan.json": (json.dumps(data, indent=2, sort_keys=False) + "\n").encode("utf-8"),
        "dots.csv": plan.design.dots_csv(),
        "aftercare.ics": plan.course.ics_bytes(),
    }
    files.update(images)
    files["report.html"] = render_report(data, images)
    return PlanFolder(files=files, summary=data)
