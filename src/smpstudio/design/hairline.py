"""The designed hairline: an age- and sex-appropriate front edge for the dot field.

Built on the head's landmarks (docs/interface.md section 2 chart): the mid-frontal point sits
``design.mid_frontal_height_mm`` above the glabella along the forehead (men 7.5 cm, 6.5-10;
women 5.8 cm; Shapiro 2004, Garg's 8-8-8 construction, PMC8367035), the frontotemporal angles
lie on the verticals through the outer eye corners (hair-transplant design rules), and the line
merges into the natural temporal fringe at the temple points.

Styles (Shapiro 2004; SMP practice):

``natural``
    soft: a 5-10 mm transition zone where density ramps from about 30% to 100%, with a jagged
    "shoreline" of clusters and gaps and a few single dots ahead of the line (Shapiro 2004).
``defined``
    the crisp edge a barber lines up: a 2 mm ramp and almost no micro-irregularity.
``mature``
    frontotemporal recession of about 1.5 cm (a Norwood II outline), soft edge.
``female``
    rounded and lower, no frontotemporal recession, soft edge.

The macro line is smooth; the micro-irregularity lives in the density field of
:mod:`smpstudio.design.density`, driven by :meth:`Hairline.jag_mm`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from scipy.interpolate import PchipInterpolator

from smpstudio.case.model import DesignChoices, HairlineStyleName
from smpstudio.errors import InputError
from smpstudio.head import Head

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class HairlineShape:
    """Shape and edge of one hairline style (mm); one per name in :data:`HAIRLINE_SHAPES`."""

    frontotemporal_recession_mm: float  # how far the temple corners sit behind a flat line
    ramp_mm: float  # depth of the transition zone behind the line
    ramp_start_frac: float  # density at the line, as a fraction of full density
    jag_amplitude_mm: float  # micro-irregularity of the shoreline
    cluster_frac: float  # density modulation (clusters and gaps) in the transition zone
    sentinel_frac: float  # density of single dots just ahead of the line
    sentinel_band_mm: float


HAIRLINE_SHAPES: dict[HairlineStyleName, HairlineShape] = {
    "natural": HairlineShape(
        frontotemporal_recession_mm=5.0,
        ramp_mm=8.0,
        ramp_start_frac=0.30,
        jag_amplitude_mm=1.4,
        cluster_frac=0.35,
        sentinel_frac=0.08,
        sentinel_band_mm=3.0,
    ),
    "defined": HairlineShape(
        frontotemporal_recession_mm=4.0,
        ramp_mm=2.0,
        ramp_start_frac=0.70,
        jag_amplitude_mm=0.15,
        cluster_frac=0.05,
        sentinel_frac=0.0,
        sentinel_band_mm=0.0,
    ),
    "mature": HairlineShape(
        frontotemporal_recession_mm=15.0,
        ramp_mm=8.0,
        ramp_start_frac=0.30,
        jag_amplitude_mm=1.2,
        cluster_frac=0.30,
        sentinel_frac=0.06,
        sentinel_band_mm=3.0,
    ),
    "female": HairlineShape(
        frontotemporal_recession_mm=-3.0,
        ramp_mm=7.0,
        ramp_start_frac=0.30,
        jag_amplitude_mm=1.0,
        cluster_frac=0.25,
        sentinel_frac=0.06,
        sentinel_band_mm=2.5,
    ),
}

_N_OUTLINE = 720
_N_LINE = 161
# Wavelengths (mm along the line) and weights of the shoreline's irregularity: broad waves,
# then the clusters and gaps of a few follicular units (Shapiro 2004: "micro-irregularity").
_JAG_WAVES_MM = ((23.0, 0.45), (9.0, 0.35), (4.3, 0.30), (2.1, 0.20))


@dataclass(frozen=True, kw_only=True)
class Hairline:
    """The designed hairline on the chart.

    Attributes
    ----------
    points_mm
        (n, 2) chart points from the client's left temple to the right temple.
    designed_scalp
        Chart polygon of everything behind the hairline (the designed hair-bearing scalp).
    """

    style: str
    params: HairlineShape
    mid_frontal_height_mm: float
    points_mm: FloatArray
    designed_scalp: shapely.Polygon
    temple_phi_rad: float
    _phases: tuple[float, ...]

    def jag_mm(self, along_mm: FloatArray) -> FloatArray:
        """Shoreline offset (mm, + = line pushed back) at arc length ``along_mm`` on the line."""
        total = sum(w for _, w in _JAG_WAVES_MM)
        out = np.zeros_like(along_mm, dtype=float)
        for (wave, weight), phase in zip(_JAG_WAVES_MM, self._phases, strict=True):
            out += weight * np.sin(2.0 * math.pi * along_mm / wave + phase)
        return self.params.jag_amplitude_mm * out / total * 1.6

    def to_dict(self) -> dict[str, object]:
        """The plan.json ``hairline`` object."""
        return {
            "style": self.style,
            "mid_frontal_height_mm": round(self.mid_frontal_height_mm, 2),
            "transition_zone_mm": self.params.ramp_mm,
            "points_mm": [[round(float(u), 3), round(float(v), 3)] for u, v in self.points_mm],
        }


def design_hairline(head: Head, design: DesignChoices, rng: np.random.Generator) -> Hairline:
    """Design the hairline for this head and design choices.

    A practitioner-drawn line (``design.hairline_points_mm``) replaces the computed macro
    line between its end points; the style still sets the edge and its irregularity.
    """
    if design.style not in HAIRLINE_SHAPES:
        raise InputError("design.style", design.style, " | ".join(HAIRLINE_SHAPES))
    params = HAIRLINE_SHAPES[design.style]
    outline = head.outline
    controls = head.hairline_controls_mm
    temple = controls["temple_right"]
    phi_t = abs(math.atan2(temple[0], temple[1]))
    ft = controls["frontotemporal_right"]
    phi_ft = min(abs(math.atan2(ft[0], ft[1])), 0.8 * phi_t)
    s_glabella = float(np.hypot(*head.landmarks.chart_mm["glabella"]))
    s_mid = s_glabella - design.mid_frontal_height_mm
    if s_mid <= 20.0:
        raise InputError("design.mid_frontal_height_mm", design.mid_frontal_height_mm,
                         f"at most {s_glabella - 20.0:.0f} for this head")  # fmt: skip

    def natural_s(phi: FloatArray) -> FloatArray:
        return outline.radius_mm(phi)

    delta0 = float(natural_s(np.array([0.0]))[0]) - s_mid
    rec = params.frontotemporal_recession_mm

    def designed_s(phi: FloatArray) -> FloatArray:
        a = np.abs(phi)
        inner = delta0 + rec * _smoothstep(a / phi_ft)
        outer = (delta0 + rec) * (1.0 - _smoothstep((a - phi_ft) / (phi_t - phi_ft)))
        delta = np.where(a <= phi_ft, inner, np.where(a <= phi_t, outer, 0.0))
        return natural_s(phi) - delta

    if design.hairline_points_mm is not None:
        designed_s = _drawn_line(design.hairline_points_mm, natural_s)

    grid = np.linspace(-math.pi, math.pi, _N_OUTLINE, endpoint=False)
    r = designed_s(grid)
    polygon = shapely.make_valid(
        shapely.Polygon(np.stack([r * np.sin(grid), r * np.cos(grid)], -1))
    )
    phi_line = np.linspace(-phi_t, phi_t, _N_LINE)
    s_line = designed_s(phi_line)
    points = np.stack([s_line * np.sin(phi_line), s_line * np.cos(phi_line)], axis=-1)
    phases = tuple(float(p) for p in rng.uniform(0.0, 2.0 * math.pi, len(_JAG_WAVES_MM)))
    height = s_glabella - float(designed_s(np.array([0.0]))[0])
    return Hairline(
        style=design.style, params=params, mid_frontal_height_mm=height, points_mm=points,
        designed_scalp=polygon, temple_phi_rad=phi_t, _phases=phases,
    )  # fmt: skip


def _smoothstep(t: FloatArray) -> FloatArray:
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _drawn_line(points: tuple[tuple[float, float], ...], natural_s):  # type: ignore[no-untyped-def]
    pts = np.asarray(points, dtype=float)
    phi = np.arctan2(pts[:, 0], pts[:, 1])
    s = np.hypot(pts[:, 0], pts[:, 1])
    order = np.argsort(phi)
    phi, s = phi[order], s[order]
    if np.any(np.diff(phi) <= 1e-6) or phi[0] >= 0.0 or phi[-1] <= 0.0:
        raise InputError(
            "design.hairline_points_mm", f"{len(pts)} points",
            "distinct points running across the front, from the left (u < 0) to the right (u > 0)",
        )  # fmt: skip
    spline = PchipInterpolator(phi, s)
    blend_rad = 0.25

    def drawn_s(phi_q: FloatArray) -> FloatArray:
        nat = natural_s(phi_q)
        inside = spline(np.clip(phi_q, phi[0], phi[-1]))
        beyond = np.maximum(phi[0] - phi_q, phi_q - phi[-1]).clip(min=0.0)
        w = _smoothstep(beyond / blend_rad)
        return np.asarray((1.0 - w) * inside + w * nat)

    return drawn_s
