"""Shared test material: the checked-in portraits and their hand labels, the demo scene."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

DATA = Path(__file__).parent / "data"


@functools.cache
def portraits() -> list[dict[str, Any]]:
    """tests/photofit/data/portraits.json's entries."""
    return list(json.loads((DATA / "portraits.json").read_text(encoding="utf-8"))["portraits"])


def portrait(name: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """A portrait's pixels and its hand-labelled landmarks."""
    entry = next(p for p in portraits() if p["file"] == name)
    rgb = np.asarray(Image.open(DATA / name).convert("RGB"))
    return rgb, {k: np.asarray(v, dtype=float) for k, v in entry["landmarks_px"].items()}


SMALL_HEAD = (
    "head: {circumference_mm: 530, length_mm: 180, breadth_mm: 140, tragion_to_vertex_mm: 116}\n"
)


@functools.cache
def demo_scene(extra_yaml: str = "") -> Any:
    """The demo case (Norwood V), with ``extra_yaml`` lines added, planned and turned into the
    renderer's scene."""
    import datetime

    from smpstudio.cli.case_cmds import demo_case_text
    from smpstudio.io.aftercare_file import load_aftercare_rules
    from smpstudio.io.case_file import parse_case_text
    from smpstudio.planning.treatment_plan import plan_case
    from smpstudio.render.plan_scene import scene_for_plan

    case = parse_case_text(demo_case_text() + extra_yaml, today=datetime.date(2026, 11, 1))
    return scene_for_plan(plan_case(case, aftercare_rules=load_aftercare_rules()))
