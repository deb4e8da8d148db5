"""Slow, plain-Python MCML: the reference the numba kernel is cross-checked against.

A direct transcription of the method (Wang, Jacques & Zheng 1995; MCML manual, Wang & Jacques
1992, chapter 3), one packet at a time, written for reading, not speed (about 10^4 packets per
second). It shares no code with :mod:`smpstudio.optics.mcml.kernel` and draws its random numbers
from a ``numpy.random.Generator``, so agreement between the two is a statistical test of both.
It follows the same conventions: clear layers (mus = 0) are crossed in one step with
Beer-Lambert attenuation, a glass top layer is folded into the specular reflectance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from smpstudio.optics.mcml.engine import specular_reflectance
from smpstudio.optics.mcml.model import Layer, McmlResult, check_stack

WEIGHT_THRESHOLD = 1.0e-4
ROULETTE_CHANCE = 0.1
COS_ZERO = 1.0 - 1.0e-12
COS_90_DEG = 1.0e-6


def fresnel_reflectance(n1: float, n2: float, cos_i: float) -> tuple[float, float]:
    """Unpolarised Fresnel reflectance from n1 into n2 and the cosine of the refracted ray.

    R = (Rs + Rp) / 2 with Rs = ((n1 cos_i - n2 cos_t) / (n1 cos_i + n2 cos_t))^2 and
    Rp = ((n1 cos_t - n2 cos_i) / (n1 cos_t + n2 cos_i))^2 (Born & Wolf); total internal
    reflection when n1 sin_i / n2 >= 1.
    """
    if n1 == n2:
        return 0.0, cos_i
    sin_t = n1 / n2 * math.sqrt(max(0.0, 1.0 - cos_i * cos_i))
    if cos_i < COS_90_DEG or sin_t >= 1.0:
        return 1.0, 0.0
    cos_t = math.sqrt(1.0 - sin_t * sin_t)
    rs = ((n1 * cos_i - n2 * cos_t) / (n1 * cos_i + n2 * cos_t)) ** 2
    rp = ((n1 * cos_t - n2 * cos_i) / (n1 * cos_t + n2 * cos_i)) ** 2
    return 0.5 * (rs + rp), cos_t


def reference_mcml(
    layers: Sequence[Layer],
    *,
    n_above: float,
    n_below: float,
    photons: int,
    rng: np.random.Generator,
    batches: int = 10,
) -> McmlResult:
    """MCML by the book; same inputs and outputs as :func:`run_mcml` (no grid tallies)."""
    stack = check_stack(layers, n_above, n_below)
    nl = len(stack)
    n = [n_above] + [lay.n for lay in stack] + [n_below]
    tops = [0.0]
    for lay in stack:
        tops.append(tops[-1] + lay.thickness_cm)
    rsp = specular_reflectance(stack, n_above, n_below)
    per_batch = np.zeros((batches, nl + 2))  # columns: Rd, Tt, A of each layer
    counts = np.array([photons // batches + (b < photons % batches) for b in range(batches)])
    for b in range(batches):
        for _ in range(int(counts[b])):
            rd, tt, absorbed = _trace(stack, n, tops, 1.0 - rsp, rng)
            per_batch[b, 0] += rd
            per_batch[b, 1] += tt
            per_batch[b, 2:] += absorbed
    frac = per_batch / counts[:, None]
    total = per_batch.sum(axis=0) / photons
    se = frac.std(axis=0, ddof=1) / math.sqrt(batches)
    a_total = frac[:, 2:].sum(axis=1)
    return McmlResult(
        specular_reflectance=rsp,
        diffuse_reflectance=float(total[0]),
        diffuse_reflectance_stderr=float(se[0]),
        absorbed=float(total[2:].sum()),
        absorbed_stderr=float(a_total.std(ddof=1) / math.sqrt(batches)),
        absorbed_by_layer=total[2:],
        absorbed_by_layer_stderr=se[2:],
        transmittance=float(total[1]),
        transmittance_stderr=float(se[1]),
        photons=photons,
        seed=-1,
        batches=batches,
        seconds=0.0,
        photons_per_second=0.0,
        layers=stack,
    )


def _trace(
    stack: tuple[Layer, ...],
    n: list[float],
    tops: list[float],
    weight: float,
    rng: np.random.Generator,
) -> tuple[float, float, list[float]]:
    """Follow one packet; return (reflected, transmitted, absorbed per layer) weights."""
    nl = len(stack)
    absorbed = [0.0] * nl
    layer = 1
    if stack[0].is_glass:  # MCML LaunchPhoton: start below a glass top layer
        layer = 2
        if nl == 1:
            return 0.0, weight, absorbed
    z = tops[layer - 1]
    ux, uy, uz = 0.0, 0.0, 1.0
    s_left = 0.0  # dimensionless optical depth still to travel
    while True:
        lay = stack[layer - 1]
        top, bottom = tops[layer - 1], tops[layer]
        to_boundary = math.inf
        if uz > 0.0:
            to_boundary = (bottom - z) / uz
        elif uz < 0.0:
            to_boundary = (top - z) / uz
        if lay.mus_per_cm == 0.0:
            # Clear layer: straight to the boundary, Beer-Lambert on the way.
            kept = math.exp(-lay.mua_per_cm * to_boundary) if lay.mua_per_cm > 0.0 else 1.0
            absorbed[layer - 1] += weight * (1.0 - kept)
            weight *= kept
            if math.isinf(to_boundary):
                return 0.0, 0.0, absorbed
            step, hits = to_boundary, True
        else:
            mut = lay.mua_per_cm + lay.mus_per_cm
            if s_left == 0.0:
                s_left = -math.log(1.0 - rng.random())
            step = s_left / mut
            hits = step > to_boundary
            if hits:
                s_left -= to_boundary * mut
                step = to_boundary
            else:
                s_left = 0.0
        z = (bottom if uz > 0.0 else top) if hits else z + step * uz
        if hits:
            up = uz < 0.0
            other = layer - 1 if up else layer + 1
            r, cos_t = fresnel_reflectance(n[layer], n[other], abs(uz))
            if rng.random() >= r:  # transmitted (all-or-none)
                if other == 0:
                    return weight, 0.0, absorbed
                if other == nl + 1:
                    return 0.0, weight, absorbed
                ratio = n[layer] / n[other]
                ux, uy = ux * ratio, uy * ratio
                uz = -cos_t if up else cos_t
                layer = other
            else:
                uz = -uz
        else:
            dw = weight * lay.mua_per_cm / (lay.mua_per_cm + lay.mus_per_cm)
            absorbed[layer - 1] += dw
            weight -= dw
            ux, uy, uz = _scatter(ux, uy, uz, lay.g, rng)
        if weight < WEIGHT_THRESHOLD:
            if weight == 0.0 or rng.random() >= ROULETTE_CHANCE:
                return 0.0, 0.0, absorbed
            weight /= ROULETTE_CHANCE


def _scatter(
    ux: float, uy: float, uz: float, g: float, rng: np.random.Generator
) -> tuple[float, float, float]:
    """New direction after a Henyey-Greenstein deflection (MCML manual eqs. 3.22-3.25)."""
    if g == 0.0:
        cos_t = 2.0 * rng.random() - 1.0
    else:
        tmp = (1.0 - g * g) / (1.0 - g + 2.0 * g * rng.random())
        cos_t = min(1.0, max(-1.0, (1.0 + g * g - tmp * tmp) / (2.0 * g)))
    sin_t = math.sqrt(1.0 - cos_t * cos_t)
    psi = 2.0 * math.pi * rng.random()
    cos_p, sin_p = math.cos(psi), math.sin(psi)
    if abs(uz) > COS_ZERO:
        return sin_t * cos_p, sin_t * sin_p, (cos_t if uz > 0.0 else -cos_t)
    root = math.sqrt(1.0 - uz * uz)
    return (
        sin_t * (ux * uz * cos_p - uy * sin_p) / root + ux * cos_t,
        sin_t * (uy * uz * cos_p + ux * sin_p) / root + uy * cos_t,
        -sin_t * cos_p * root + uz * cos_t,
    )
