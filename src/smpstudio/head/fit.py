"""Fit the head surface to the four ANSUR II head measurements, and measure it back.

The anatomical proportions are fixed fractions of the measurements (docs/head-model.md); the
free shape parameters are then solved so that the surface reproduces

* head length (glabella to opisthocranion, the farthest midsagittal point behind it),
* head breadth (maximum transverse breadth, twice the largest ``|x|``),
* head circumference (perimeter of the section by the plane through glabella and
  opisthocranion that contains the transverse axis),
* tragion-to-vertex height (``z`` of the vertex; exact by construction).

Definitions follow ANSUR II (Gordon et al. 2014, "2012 Anthropometric Survey of U.S. Army
Personnel", NATICK/TR-15/007), where head length runs from glabella and circumference passes
just above the brow ridges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from smpstudio.errors import InputError
from smpstudio.head.surface import (
    P_A0,
    P_BB,
    P_BF,
    P_CD,
    P_CU,
    P_KD0,
    P_KD1,
    P_P,
    P_YC,
    P_ZC,
    FloatArray,
    derivs_kernel,
    pack_params,
    radius_reference,
)

# Proportions of the vault (fractions of the measurements). Sources in docs/head-model.md:
# glabella 95-100 mm in front of and 25-35 mm above the tragion for a 200 mm, 131 mm head
# (Farkas 1994, "Anthropometry of the Head and Face", tables of tragion-glabella projections);
# the vertex lies close above the ear canal in the Frankfort orientation.
GLABELLA_Y_FRAC_OF_LENGTH = 0.485
GLABELLA_Z_FRAC_OF_HEIGHT = 0.23
CENTRE_Z_ABOVE_GLABELLA_FRAC_OF_HEIGHT = 0.04
VERTEX_Y_FRAC_OF_LENGTH = -0.02
C_DOWN_FRAC_OF_C_UP = 1.12
EGG = 0.10
KAPPA_UP = (0.30, 0.25)  # fills the forehead (front) more than the crown (back)
KAPPA_DOWN = (-0.05, 0.20)  # tucks the occiput in toward the nape (kappa < 0 at the back)
P_BOUNDS = (2.0, 6.0)

_N_CIRC = 360


@dataclass(frozen=True, kw_only=True)
class Measured:
    """Measurements taken on a fitted surface (mm) and the points that define them."""

    length_mm: float
    breadth_mm: float
    circumference_mm: float
    vertex_height_mm: float
    glabella_mm: FloatArray  # (3,)
    opisthocranion_mm: FloatArray  # (3,)
    euryon_mm: FloatArray  # (3,) on the client's right


def _glabella(length_mm: float, height_mm: float) -> FloatArray:
    return np.array(
        [0.0, GLABELLA_Y_FRAC_OF_LENGTH * length_mm, GLABELLA_Z_FRAC_OF_HEIGHT * height_mm]
    )


def _b_front_through(prm: FloatArray, glabella: FloatArray) -> float:
    """Front half-length that puts the midsagittal surface through the glabella."""
    dy = glabella[1] - prm[P_YC]
    dz = glabella[2] - prm[P_ZC]
    dist = math.hypot(dy, dz)
    st, ct = dy / dist, dz / dist
    cv = prm[P_CD] if ct < 0 else prm[P_CU]
    kap = prm[P_KD0] + prm[P_KD1]  # phi = 0
    # st^2 beta^2 - kap st^2 ct^2 / cv * beta + ct^2 / cv^2 - 1 / dist^2 = 0, beta = 1 / b_f
    qa = st * st
    qb = -kap * st * st * ct * ct / cv
    qc = ct * ct / (cv * cv) - 1.0 / (dist * dist)
    beta = (-qb + math.sqrt(qb * qb - 4 * qa * qc)) / (2 * qa)
    return 1.0 / beta


def _midsagittal_back(prm: FloatArray, n: int = 2001) -> FloatArray:
    theta = np.linspace(0.0, math.pi, n)
    r = radius_reference(theta, np.full(n, math.pi), prm)
    return np.stack([np.zeros(n), prm[P_YC] - r * np.sin(theta), prm[P_ZC] + r * np.cos(theta)], -1)


def _opisthocranion(prm: FloatArray, glabella: FloatArray) -> tuple[float, FloatArray]:
    """Head length and the midsagittal point farthest from the glabella."""

    def neg_dist(theta: float) -> float:
        r = float(radius_reference(np.array(theta), np.array(math.pi), prm))
        pt = np.array([0.0, prm[P_YC] - r * math.sin(theta), prm[P_ZC] + r * math.cos(theta)])
        return -float(np.linalg.norm(pt - glabella))

    pts = _midsagittal_back(prm, 721)
    k = int(np.argmax(np.linalg.norm(pts - glabella, axis=1)))
    t0 = math.pi * k / 720
    res = optimize.minimize_scalar(
        neg_dist, bounds=(max(t0 - 0.01, 0.0), min(t0 + 0.01, math.pi)), method="bounded",
        options={"xatol": 1e-10},
    )  # fmt: skip
    theta = float(res.x)
    r = float(radius_reference(np.array(theta), np.array(math.pi), prm))
    pt = np.array([0.0, prm[P_YC] - r * math.sin(theta), prm[P_ZC] + r * math.cos(theta)])
    return -float(res.fun), pt


def _euryon(prm: FloatArray) -> tuple[float, FloatArray]:
    """Maximum half-breadth and the point on the client's right where it is reached.

    A coarse grid over (theta, phi) and four rounds of local 9 x 9 refinement, each a quarter
    of the previous spacing (the maximum is smooth and single, so this converges to ~1e-7 rad).
    """

    def x_of(tt: FloatArray, pp: FloatArray) -> FloatArray:
        r = derivs_kernel(tt.ravel(), pp.ravel(), prm)[:, 0].reshape(tt.shape)
        return np.asarray(r * np.sin(tt) * np.sin(pp))

    dt, dp = 0.05, 0.05
    tt, pp = np.meshgrid(np.arange(0.6, 2.4, dt), np.arange(1.0, 2.4, dp))
    x = x_of(tt, pp)
    k = np.unravel_index(int(np.argmax(x)), x.shape)
    t, p = float(tt[k]), float(pp[k])
    offsets = np.linspace(-1.0, 1.0, 9)
    for _ in range(8):
        tt, pp = np.meshgrid(t + offsets * dt, p + offsets * dp)
        x = x_of(tt, pp)
        k = np.unravel_index(int(np.argmax(x)), x.shape)
        t, p = float(tt[k]), float(pp[k])
        dt, dp = dt / 4.0, dp / 4.0
    r = float(radius_reference(np.array(t), np.array(p), prm))
    pt = np.array(
        [r * math.sin(t) * math.sin(p), prm[P_YC] + r * math.sin(t) * math.cos(p),
         prm[P_ZC] + r * math.cos(t)]
    )  # fmt: skip
    return float(pt[0]), pt


def ray_hits(prm: FloatArray, origins: FloatArray, dirs: FloatArray) -> FloatArray:
    """Where rays from inside the head leave the surface, ``(N, 3)`` mm.

    ``origins`` ``(N, 3)`` or ``(3,)`` must lie inside; ``dirs`` ``(N, 3)`` need not be unit.
    Bisection on ``|X - C| - R(direction of X - C)``, to well below 1e-6 mm.
    """
    dirs = np.atleast_2d(np.asarray(dirs, dtype=float))
    dirs = dirs / np.linalg.norm(dirs, axis=1, keepdims=True)
    origins = np.broadcast_to(np.asarray(origins, dtype=float), dirs.shape)
    n = dirs.shape[0]
    centre = np.array([0.0, prm[P_YC], prm[P_ZC]])
    lo = np.zeros(n)
    hi = np.full(n, 4.0 * max(prm[P_BF], prm[P_BB], prm[P_CU], prm[P_CD]))
    for _ in range(48):
        mid = 0.5 * (lo + hi)
        rel = origins + mid[:, None] * dirs - centre
        rho = np.linalg.norm(rel, axis=1)
        theta = np.arccos(np.clip(rel[:, 2] / np.maximum(rho, 1e-300), -1.0, 1.0))
        phi = np.arctan2(rel[:, 0], rel[:, 1])
        outside = rho > derivs_kernel(theta, phi, prm)[:, 0]
        hi = np.where(outside, mid, hi)
        lo = np.where(outside, lo, mid)
    t = 0.5 * (lo + hi)
    return np.asarray(origins + t[:, None] * dirs, dtype=float)


def section_curve(
    prm: FloatArray, origin: FloatArray, e1: FloatArray, e2: FloatArray, n: int = _N_CIRC
) -> FloatArray:
    """Closed curve ``(n, 3)`` where the plane ``origin + span(e1, e2)`` cuts the surface.

    Rays from ``origin`` (inside the head) in the plane, each followed to the surface.
    """
    alpha = np.linspace(0.0, 2 * math.pi, n, endpoint=False)
    d = np.cos(alpha)[:, None] * e1 + np.sin(alpha)[:, None] * e2
    return ray_hits(prm, origin, d)


def _circumference(prm: FloatArray, glabella: FloatArray, opistho: FloatArray) -> float:
    w = opistho - glabella
    e2 = w / np.linalg.norm(w)
    e1 = np.array([1.0, 0.0, 0.0])
    curve = section_curve(prm, 0.5 * (glabella + opistho), e1, e2)
    return float(np.sum(np.linalg.norm(np.roll(curve, -1, axis=0) - curve, axis=1)))


def measure(prm: FloatArray, glabella: FloatArray) -> Measured:
    """Take the four ANSUR measurements on the surface with parameters ``prm``."""
    length, opistho = _opisthocranion(prm, glabella)
    half_breadth, euryon = _euryon(prm)
    return Measured(
        length_mm=length,
        breadth_mm=2.0 * half_breadth,
        circumference_mm=_circumference(prm, glabella, opistho),
        vertex_height_mm=float(prm[P_ZC] + prm[P_CU]),
        glabella_mm=glabella,
        opisthocranion_mm=opistho,
        euryon_mm=euryon,
    )


def _base_params(length_mm: float, breadth_mm: float, height_mm: float) -> FloatArray:
    glabella = _glabella(length_mm, height_mm)
    z_c = glabella[2] + CENTRE_Z_ABOVE_GLABELLA_FRAC_OF_HEIGHT * height_mm
    c_up = height_mm - z_c
    return pack_params(
        y_c_mm=VERTEX_Y_FRAC_OF_LENGTH * length_mm,
        z_c_mm=z_c,
        a0_mm=0.5 * breadth_mm,
        egg=EGG,
        b_front_mm=0.5 * length_mm,
        b_back_mm=0.5 * length_mm,
        c_up_mm=c_up,
        c_down_mm=C_DOWN_FRAC_OF_C_UP * c_up,
        p=2.3,
        kappa_up=KAPPA_UP,
        kappa_down=KAPPA_DOWN,
    )


def _solve_b_back(prm: FloatArray, glabella: FloatArray, length_mm: float) -> None:
    def resid(b_back: float) -> float:
        prm[P_BB] = b_back
        return _opisthocranion(prm, glabella)[0] - length_mm

    lo, hi = 0.25 * length_mm, 0.9 * length_mm
    prm[P_BB] = optimize.brentq(resid, lo, hi, xtol=1e-9)


def fit_params(
    length_mm: float, breadth_mm: float, circumference_mm: float, height_mm: float
) -> tuple[FloatArray, Measured]:
    """Shape parameters reproducing the four measurements, and the measurements taken back.

    Raises
    ------
    InputError
        When no head of this family has that circumference for that length and breadth
        (the message gives the achievable range).
    """
    glabella = _glabella(length_mm, height_mm)
    prm = _base_params(length_mm, breadth_mm, height_mm)
    prm[P_BF] = _b_front_through(prm, glabella)
    _solve_b_back(prm, glabella, length_mm)
    _length, opistho = _opisthocranion(prm, glabella)

    def circ_for(p: float) -> float:
        prm[P_P] = p
        _fit_a0(prm, breadth_mm)
        return _circumference(prm, glabella, opistho) - circumference_mm

    # Secant on the exponent p; the circumference grows monotonically with it.
    p0, p1 = 2.3, 2.6
    f0, f1 = circ_for(p0), circ_for(p1)
    for _ in range(30):
        if abs(f1) < 1e-6 or f1 == f0:
            break
        p2 = min(max(p1 - f1 * (p1 - p0) / (f1 - f0), P_BOUNDS[0]), P_BOUNDS[1])
        if p2 == p1:
            break
        p0, f0 = p1, f1
        p1, f1 = p2, circ_for(p2)
    circ_for(p1)
    measured = measure(prm, glabella)
    if abs(measured.circumference_mm / circumference_mm - 1.0) > 0.005:
        lo_c, hi_c = circumference_range(length_mm, breadth_mm, height_mm)
        raise InputError(
            "head.circumference_mm",
            circumference_mm,
            f"{lo_c:.0f}..{hi_c:.0f} for length {length_mm:g} mm and breadth {breadth_mm:g} mm",
        )
    return prm, measured


def _fit_a0(prm: FloatArray, breadth_mm: float) -> None:
    """Scale the half-breadth parameter until the surface has the requested breadth."""
    for _ in range(20):
        ratio = 0.5 * breadth_mm / _euryon(prm)[0]
        prm[P_A0] *= ratio
        if abs(ratio - 1.0) < 1e-10:
            break


def circumference_range(
    length_mm: float, breadth_mm: float, height_mm: float
) -> tuple[float, float]:
    """Circumferences (mm) this head family can reach for the given length and breadth."""
    glabella = _glabella(length_mm, height_mm)
    out = []
    for p in P_BOUNDS:
        prm = _base_params(length_mm, breadth_mm, height_mm)
        prm[P_P] = p
        prm[P_BF] = _b_front_through(prm, glabella)
        _solve_b_back(prm, glabella, length_mm)
        _, opistho = _opisthocranion(prm, glabella)

        _fit_a0(prm, breadth_mm)
        out.append(_circumference(prm, glabella, opistho))
    return out[0], out[1]


__all__ = ["Measured", "circumference_range", "fit_params", "measure", "ray_hits", "section_curve"]
