"""The fitted head: surface, chart, landmarks and hair-bearing scalp outline."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from smpstudio.case.model import SEXES, HeadMeasurements, Sex
from smpstudio.errors import InputError, ModelError
from smpstudio.head.chart import ScalpChart
from smpstudio.head.fit import Measured, fit_params
from smpstudio.head.landmarks import (
    Landmarks,
    ScalpOutline,
    build_outline,
    canthus_line_mm,
    default_mid_frontal_height_mm,
    find_landmarks,
    hairline_controls,
    natural_hairline_mm,
)
from smpstudio.head.surface import FloatArray
from smpstudio.units import mm2_to_cm2

# ANSUR II means and standard deviations (Gordon et al. 2014), mm.
ANSUR_HEAD_MM: dict[str, dict[str, tuple[float, float]]] = {
    "male": {
        "circumference_mm": (574.0, 16.0),
        "length_mm": (200.0, 7.0),
        "breadth_mm": (154.0, 5.5),
        "tragion_to_vertex_mm": (131.0, 6.0),
    },
    "female": {
        "circumference_mm": (561.0, 19.0),
        "length_mm": (190.0, 7.0),
        "breadth_mm": (148.0, 5.0),
        "tragion_to_vertex_mm": (126.5, 6.5),
    },
}
_SD_LIMIT = 4.0  # accepted inputs: within 4 sd of the mean of either sex


def mean_head(sex: Sex) -> HeadMeasurements:
    """ANSUR II mean head of the given sex."""
    return HeadMeasurements(**{k: v[0] for k, v in ANSUR_HEAD_MM[sex].items()})


@dataclass(frozen=True, kw_only=True)
class Head:
    """One client's head model (mm; areas in cm2 where named).

    Attributes
    ----------
    chart
        The scalp chart (maps, area element, metric, areas of chart shapes).
    landmarks
        Head-frame and chart positions of the landmarks.
    outline
        The hair-bearing scalp on the chart (natural, unreceded hairline).
    hairline_controls_mm
        Chart positions of the outline's control points (mid-frontal point, frontotemporal
        angle, temple, sideburn, ear, mastoid, nape), client's right side and midline.
    """

    sex: Sex
    measurements: HeadMeasurements
    measured: Measured
    chart: ScalpChart
    landmarks: Landmarks
    outline: ScalpOutline
    hairline_controls_mm: dict[str, FloatArray]
    scalp_area_cm2: float

    def natural_hairline_mm(self, n: int = 121) -> FloatArray:
        """The natural frontal hairline, chart points ``(n, 2)`` from left to right sideburn."""
        return natural_hairline_mm(self.outline, self.hairline_controls_mm, n)

    def canthus_line_mm(self, side: int) -> FloatArray:
        """Chart polyline of the vertical through the lateral canthus (+1 right, -1 left)."""
        return canthus_line_mm(self.chart, self.landmarks, side)

    def to_dict(self) -> dict[str, Any]:
        """The plan.json ``head`` object (docs/interface.md section 4)."""
        m = self.measured
        return {
            "scalp_area_cm2": round(self.scalp_area_cm2, 2),
            "circumference_mm": round(m.circumference_mm, 2),
            "vertex_height_mm": round(m.vertex_height_mm, 2),
            "length_mm": round(m.length_mm, 2),
            "breadth_mm": round(m.breadth_mm, 2),
            "mid_frontal_height_mm": self.outline.mid_frontal_height_mm,
            "landmarks_chart_mm": {
                k: [round(float(c), 2) for c in v] for k, v in self.landmarks.chart_mm.items()
            },
        }


def _check(measurements: HeadMeasurements) -> None:
    for name in ("circumference_mm", "length_mm", "breadth_mm", "tragion_to_vertex_mm"):
        value = getattr(measurements, name)
        lo = min(ANSUR_HEAD_MM[s][name][0] - _SD_LIMIT * ANSUR_HEAD_MM[s][name][1] for s in SEXES)
        hi = max(ANSUR_HEAD_MM[s][name][0] + _SD_LIMIT * ANSUR_HEAD_MM[s][name][1] for s in SEXES)
        if not (isinstance(value, int | float) and math.isfinite(value) and lo <= value <= hi):
            raise InputError(f"head.{name}", value, f"{lo:g}..{hi:g}")


def build_head(
    measurements: HeadMeasurements, sex: Sex, mid_frontal_height_mm: float | None = None
) -> Head:
    """Fit the head surface to the measurements and lay out its chart and scalp.

    Parameters
    ----------
    measurements
        The four ANSUR head measurements (mm); each must lie within 4 sd of the ANSUR II mean
        of either sex, and the circumference must suit the length and breadth.
    sex
        ``"male"`` or ``"female"``: sets the natural hairline height.
    mid_frontal_height_mm
        Natural hairline height above the glabella (mm, 40..110); default by sex.

    Raises
    ------
    InputError
        For measurements outside the accepted ranges.
    """
    if sex not in SEXES:
        raise InputError("client.sex", sex, " | ".join(SEXES))
    _check(measurements)
    if mid_frontal_height_mm is None:
        mid_frontal_height_mm = default_mid_frontal_height_mm(sex)
    elif not 40.0 <= mid_frontal_height_mm <= 110.0:
        raise InputError("mid_frontal_height_mm", mid_frontal_height_mm, "40..110")
    length = float(measurements.length_mm)
    breadth = float(measurements.breadth_mm)
    height = float(measurements.tragion_to_vertex_mm)
    prm, measured = fit_params(length, breadth, float(measurements.circumference_mm), height)
    chart = ScalpChart(prm)
    _check_vertex_is_top(chart)
    landmarks = find_landmarks(chart, measured, length, breadth, height)
    controls = hairline_controls(chart, landmarks, length, height, mid_frontal_height_mm)
    outline = build_outline(controls, mid_frontal_height_mm)
    area = chart.surface_area_mm2(outline.polygon)
    return Head(
        sex=sex, measurements=measurements, measured=measured, chart=chart,
        landmarks=landmarks, outline=outline, hairline_controls_mm=controls,
        scalp_area_cm2=float(mm2_to_cm2(area)),
    )  # fmt: skip


def _check_vertex_is_top(chart: ScalpChart) -> None:
    theta, phi = np.meshgrid(
        np.linspace(0.0, 0.5 * math.pi, 46), np.linspace(-math.pi, math.pi, 73)
    )
    z = chart.polar_point(theta.ravel(), phi.ravel())[:, 2]
    top = chart.centre_mm[2] + chart.params[6]
    if np.max(z) > top + 1e-9:
        raise ModelError("head surface: the vertex is not the highest point for these inputs")
