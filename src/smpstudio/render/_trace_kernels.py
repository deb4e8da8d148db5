"""Numba kernels of the head renderer: ray casting, surface normals and skin shading.

The head is the star-shaped surface of :mod:`smpstudio.head.surface`: a point ``X`` is outside
when ``f(X) = |X - C| - R(direction of X - C) > 0``. ``R`` depends on the azimuth through
``h(phi)``, ``kappa_up(phi)`` and ``kappa_down(phi)`` only (the powers of the superellipse);
these and their derivatives are tabulated once per head on a fine azimuth grid and
interpolated linearly, after which ``R`` and the normal cost a few multiplications and square
roots, no trigonometry (the polar angles enter only through their sines and cosines).

A ray first tries Newton's method on ``f`` along the ray from its neighbour's hit (image
coherence: two or three steps), accepted only when it lands on an entry point. Otherwise it
enters the head's bounding sphere, marches by ``0.6 f`` (a safe fraction of the distance to a
star-shaped surface whose normal stays within ~50 degrees of the radius), and the first sign
change of ``f`` is refined by the Illinois variant of regula falsi (Dowell & Jarratt 1971,
BIT 11:168) to 1e-5 mm.

Below the head a neck, an elliptic cylinder, continues the skin, and two ellipsoids stand for
the ears; the soft darkening where two bodies meet is an ambient-occlusion term falling off
exponentially with the distance from the nearest other body. The fitted surface has no face:
below the brow, in front of the temples, the skin fades smoothly into the backdrop
(``_shade_kernels.face_fade``), so a view framed on the scalp shows no blank mannequin face.

Camera parameters are the vector of ``Camera.params`` (indices ``C_*``); the bodies around the
head and the shading live in :mod:`smpstudio.render._shade_kernels`.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

from smpstudio.head.surface import P_CD, P_CU, P_YC, P_ZC
from smpstudio.render._shade_kernels import (
    EAR_LEFT,
    EAR_RIGHT,
    N_AX,
    N_BY,
    N_YC,
    S_AO,
    S_AO_MM,
    _shade,
    background,
    ear_gap,
    ear_normal,
    face_fade,
    hit_ear,
    hit_neck,
    neck_gap,
)

FloatArray = npt.NDArray[np.float64]

# Camera vector (Camera.params).
C_EYE, C_FWD, C_UP, C_RIGHT, C_FOCAL, C_MMPX, C_W, C_H = 0, 3, 6, 9, 12, 13, 14, 15
KIND_BACKGROUND, KIND_HEAD, KIND_NECK, KIND_EAR = 0, 1, 2, 3
MARCH_FRACTION = 0.6
MIN_STEP_MM = 0.02
MAX_STEPS = 400
TOL_MM = 1e-5


def azimuth_table(prm: FloatArray, n: int = 8192) -> FloatArray:
    """``(n + 1, 6)`` table of ``h, h', kappa_up, kappa_up', kappa_down, kappa_down'``.

    Nodes are evenly spaced in the "diamond angle" ``D`` of :func:`diamond` (0..4), a
    division-only monotone stand-in for the azimuth that spares an ``atan2`` per lookup.
    """
    from smpstudio.head.surface import azimuth_terms

    out = np.empty((n + 1, 6))
    for i, dd in enumerate(np.linspace(0.0, 4.0, n + 1)):
        if dd < 1.0:
            cy, sx = 1.0 - dd, dd
        elif dd < 2.0:
            cy, sx = 1.0 - dd, 2.0 - dd
        elif dd < 3.0:
            cy, sx = dd - 3.0, 2.0 - dd
        else:
            cy, sx = dd - 3.0, dd - 4.0
        out[i] = azimuth_terms(math.atan2(sx, cy), prm)
    return out


@numba.njit(cache=True)
def diamond(y: float, x: float) -> float:
    """Monotone pseudo-angle of ``atan2(y, x)`` in ``[0, 4)`` (``x = |y| = 0`` gives 0)."""
    if y >= 0.0:
        if x >= 0.0:
            s = x + y
            return y / s if s > 0.0 else 0.0
        return 1.0 - x / (y - x)
    if x < 0.0:
        return 2.0 - y / (-x - y)
    return 3.0 + x / (x - y)


@numba.njit(cache=True)
def _azimuth(
    rx: float, ry: float, tab: FloatArray
) -> tuple[float, float, float, float, float, float]:
    """Interpolated azimuth terms at the direction ``(rx, ry)``: ``h, h', ku, ku', kd, kd'``
    (a tuple, not an array: no heap allocation in the tracer's inner loop)."""
    n = tab.shape[0] - 1
    x = diamond(rx, ry) * 0.25 * n
    i = min(max(int(x), 0), n - 1)
    w = x - i
    return (
        tab[i, 0] + w * (tab[i + 1, 0] - tab[i, 0]),
        tab[i, 1] + w * (tab[i + 1, 1] - tab[i, 1]),
        tab[i, 2] + w * (tab[i + 1, 2] - tab[i, 2]),
        tab[i, 3] + w * (tab[i + 1, 3] - tab[i, 3]),
        tab[i, 4] + w * (tab[i + 1, 4] - tab[i, 4]),
        tab[i, 5] + w * (tab[i + 1, 5] - tab[i, 5]),
    )


@numba.njit(cache=True)
def _big_a(st: float, ct: float, h: float, ku: float, kd: float, prm: FloatArray) -> float:
    """The quadratic form ``A = R^-2`` of :mod:`smpstudio.head.surface` from sin/cos theta."""
    if ct >= 0.0:
        cv, kap = prm[P_CU], ku
    else:
        cv, kap = prm[P_CD], kd
    s2, c2 = st * st, ct * ct
    return s2 * h * h + c2 / (cv * cv) - kap * s2 * c2 * h / cv


@numba.njit(cache=True)
def radius_at(rx: float, ry: float, rz: float, prm: FloatArray, tab: FloatArray) -> float:
    """``R`` in the direction of ``(rx, ry, rz)`` (relative to the centre), interpolated."""
    rho_xy = math.sqrt(rx * rx + ry * ry)
    rho = math.sqrt(rho_xy * rho_xy + rz * rz)
    if rho == 0.0:
        return 1.0
    n = tab.shape[0] - 1
    x = diamond(rx, ry) * 0.25 * n
    i = min(max(int(x), 0), n - 1)
    w = x - i
    h = tab[i, 0] + w * (tab[i + 1, 0] - tab[i, 0])
    ku = tab[i, 2] + w * (tab[i + 1, 2] - tab[i, 2])
    kd = tab[i, 4] + w * (tab[i + 1, 4] - tab[i, 4])
    return 1.0 / math.sqrt(_big_a(rho_xy / rho, rz / rho, h, ku, kd, prm))


@numba.njit(cache=True)
def outside(px: float, py: float, pz: float, prm: FloatArray, tab: FloatArray) -> float:
    """``|X - C| - R``: positive outside the head (mm)."""
    rx = px
    ry = py - prm[P_YC]
    rz = pz - prm[P_ZC]
    return math.sqrt(rx * rx + ry * ry + rz * rz) - radius_at(rx, ry, rz, prm, tab)


@numba.njit(cache=True, inline="always")
def _polar_terms(
    rx: float, ry: float, rz: float, prm: FloatArray, tab: FloatArray
) -> tuple[
    float, float, float, float, float, float, float, float, float, float, float, float,
    float, float, float,
]:  # fmt: skip
    """Polar angles (as sin/cos) of a point relative to the head centre, the azimuth terms
    of the surface there, and the vertical semi-axis and its exponent for its hemisphere:
    ``(rho_xy, rho, sin t, cos t, sin p, cos p, h, dh, ku, dku, kd, dkd, c, kappa, dkappa)``."""
    rho_xy = math.sqrt(rx * rx + ry * ry)
    rho = math.sqrt(rho_xy * rho_xy + rz * rz)
    st, ct = rho_xy / rho, rz / rho
    if rho_xy > 0.0:
        sp, cp = rx / rho_xy, ry / rho_xy
    else:
        sp, cp = 0.0, 1.0
    h, dh, ku, dku, kd, dkd = _azimuth(rx, ry, tab)
    if ct >= 0.0:
        cv, kap, dkap = prm[P_CU], ku, dku
    else:
        cv, kap, dkap = prm[P_CD], kd, dkd
    return rho_xy, rho, st, ct, sp, cp, h, dh, ku, dku, kd, dkd, cv, kap, dkap


@numba.njit(cache=True)
def _f_slope(
    o: FloatArray, d: FloatArray, t: float, prm: FloatArray, tab: FloatArray
) -> tuple[float, float]:
    """``f`` and ``df/dt`` along the ray: ``d . grad f`` with ``grad f`` as in
    :func:`head_normal` (``grad |X - C| = e_r``, ``grad R = R_theta / rho e_theta +
    R_phi / (rho sin theta) e_phi``)."""
    rx = o[0] + t * d[0]
    ry = o[1] + t * d[1] - prm[P_YC]
    rz = o[2] + t * d[2] - prm[P_ZC]
    _rho_xy, rho, st, ct, sp, cp, h, dh, ku, _dku, kd, _dkd, cv, kap, dkap = _polar_terms(
        rx, ry, rz, prm, tab
    )
    r = 1.0 / math.sqrt(_big_a(st, ct, h, ku, kd, prm))
    r3 = r * r * r
    da_t = 2.0 * st * ct * (h * h - 1.0 / (cv * cv)) - kap * h / cv * 2.0 * st * ct * (
        ct * ct - st * st
    )
    da_p_over_st = 2.0 * st * h * dh - (dkap * h + kap * dh) * st * ct * ct / cv
    gt = -0.5 * r3 * da_t / rho
    gp = -0.5 * r3 * da_p_over_st / rho
    gx = st * sp - gt * ct * sp - gp * cp
    gy = st * cp - gt * ct * cp + gp * sp
    gz = ct + gt * st
    return rho - r, d[0] * gx + d[1] * gy + d[2] * gz


NEWTON_STEPS = 8


@numba.njit(cache=True)
def _f_at(o: FloatArray, d: FloatArray, t: float, prm: FloatArray, tab: FloatArray) -> float:
    return outside(o[0] + t * d[0], o[1] + t * d[1], o[2] + t * d[2], prm, tab)


@numba.njit(cache=True)
def hit_head(
    o: FloatArray,
    d: FloatArray,
    prm: FloatArray,
    tab: FloatArray,
    r_bound: float,
    t_guess: float,
    t_limit: float = np.inf,
) -> float:
    """Distance along the unit ray ``o + t d`` to the first head hit from outside, or -1.

    ``t_guess > 0`` (a neighbouring ray's hit) starts the search there: from inside, the
    search steps back to the entry (doubling steps), from outside it marches on. Hits
    beyond ``t_limit`` (a nearer body's hit) are not looked for.
    """
    cx, cy, cz = 0.0, prm[P_YC], prm[P_ZC]
    ox, oy, oz = o[0] - cx, o[1] - cy, o[2] - cz
    b = ox * d[0] + oy * d[1] + oz * d[2]
    c = ox * ox + oy * oy + oz * oz - r_bound * r_bound
    disc = b * b - c
    if disc <= 0.0:
        return -1.0
    sq = math.sqrt(disc)
    t_start = max(-b - sq, 0.0)
    t_end = min(-b + sq, t_limit)
    if t_start >= t_end:
        return -1.0
    if t_start < t_guess < t_end:
        # Newton from the neighbour's hit; accepted only if it lands on an entry (f falling)
        # with the point just before it outside, else the safe march below decides.
        t = t_guess
        for _ in range(NEWTON_STEPS):
            f, slope = _f_slope(o, d, t, prm, tab)
            if slope >= 0.0:
                break
            step = f / slope
            t -= step
            if abs(step) < TOL_MM:
                if t_start < t < t_end and _f_at(o, d, t - 0.05, prm, tab) > 0.0:
                    return t
                break
    t = t_start
    if t_start < t_guess < t_end:
        t = t_guess
    f = _f_at(o, d, t, prm, tab)
    if f <= 0.0:
        if t == t_start:
            return t  # the ray starts inside (not for cameras outside the head)
        step = 0.5
        t_in, f_in = t, f
        while True:
            t = max(t_in - step, t_start)
            f = _f_at(o, d, t, prm, tab)
            if f > 0.0:
                break
            if t == t_start:
                return t
            t_in, f_in = t, f
            step *= 2.0
        return _illinois(o, d, t, f, t_in, f_in, prm, tab)
    t_prev, f_prev = t, f
    for _ in range(MAX_STEPS):
        t = t_prev + max(MARCH_FRACTION * f_prev, MIN_STEP_MM)
        if t > t_end:
            return -1.0
        f = _f_at(o, d, t, prm, tab)
        if f <= 0.0:
            return _illinois(o, d, t_prev, f_prev, t, f, prm, tab)
        t_prev, f_prev = t, f
    return -1.0


@numba.njit(cache=True)
def _illinois(
    o: FloatArray,
    d: FloatArray,
    a: float,
    fa: float,
    bb: float,
    fb: float,
    prm: FloatArray,
    tab: FloatArray,
) -> float:
    """Root of ``f`` on ``[a (outside, f > 0), bb (inside, f <= 0)]``, Illinois regula falsi."""
    side = 0
    for _ in range(60):
        m = (a * fb - bb * fa) / (fb - fa)
        fm = _f_at(o, d, m, prm, tab)
        if fm == 0.0:
            return m
        if fm > 0.0:
            a, fa = m, fm
            if side == 1:
                fb *= 0.5
            side = 1
        else:
            bb, fb = m, fm
            if side == -1:
                fa *= 0.5
            side = -1
        if bb - a < TOL_MM:
            break
    return 0.5 * (a + bb)


@numba.njit(cache=True)
def head_normal(
    px: float, py: float, pz: float, prm: FloatArray, tab: FloatArray
) -> tuple[float, float, float]:
    """Outward unit normal of the head at a surface point: the gradient of ``|X - C| - R``.

    ``grad = e_r - (R_theta / R) e_theta - (R_phi / (R sin theta)) e_phi`` at ``|X - C| = R``,
    with the derivatives of :func:`smpstudio.head.surface.radius_derivs` written in sin/cos
    of the polar angles (``R_phi / sin theta`` stays finite at the vertex).
    """
    rx, ry, rz = px, py - prm[P_YC], pz - prm[P_ZC]
    _rho_xy, _rho, st, ct, sp, cp, h, dh, ku, _dku, kd, _dkd, cv, kap, dkap = _polar_terms(
        rx, ry, rz, prm, tab
    )
    big_a = _big_a(st, ct, h, ku, kd, prm)
    r = 1.0 / math.sqrt(big_a)
    r3 = r * r * r
    da_t = 2.0 * st * ct * (h * h - 1.0 / (cv * cv)) - kap * h / cv * 2.0 * st * ct * (
        ct * ct - st * st
    )
    da_p_over_st = 2.0 * st * h * dh - (dkap * h + kap * dh) * st * ct * ct / cv
    gt = -0.5 * r3 * da_t / r
    gp = -0.5 * r3 * da_p_over_st / r
    nx = st * sp - gt * ct * sp - gp * cp
    ny = st * cp - gt * ct * cp + gp * sp
    nz = ct + gt * st
    norm = math.sqrt(nx * nx + ny * ny + nz * nz)
    return nx / norm, ny / norm, nz / norm


@numba.njit(cache=True)
def _ray(cam: FloatArray, x: float, y: float, o: FloatArray, d: FloatArray) -> None:
    """Ray through image point ``(x, y)`` px: origin ``o`` and unit direction ``d``."""
    sx = x - 0.5 * cam[C_W]
    sy = 0.5 * cam[C_H] - y
    if cam[C_MMPX] > 0.0:
        for k in range(3):
            o[k] = cam[C_EYE + k] + (sx * cam[C_RIGHT + k] + sy * cam[C_UP + k]) * cam[C_MMPX]
            d[k] = cam[C_FWD + k]
    else:
        f = cam[C_FOCAL]
        norm = 0.0
        for k in range(3):
            o[k] = cam[C_EYE + k]
            d[k] = f * cam[C_FWD + k] + sx * cam[C_RIGHT + k] + sy * cam[C_UP + k]
            norm += d[k] * d[k]
        norm = math.sqrt(norm)
        for k in range(3):
            d[k] /= norm


@numba.njit(cache=True)
def _sample(
    cam: FloatArray,
    x: float,
    y: float,
    prm: FloatArray,
    tab: FloatArray,
    r_bound: float,
    body: FloatArray,
    sh: FloatArray,
    rgb: FloatArray,
    scratch: FloatArray,
    t_guess: float,
) -> tuple[int, float, float]:
    """Colour of one image sample into ``rgb``.

    Returns (kind, depth along forward in mm, distance of the head hit along the ray or -1).
    ``scratch`` is a (5, 3) work array.
    """
    o, d, p, n, v = scratch[0], scratch[1], scratch[2], scratch[3], scratch[4]
    _ray(cam, x, y, o, d)
    kind = KIND_BACKGROUND
    t = np.inf
    t_other = hit_neck(o, d, body)
    if t_other >= 0.0:
        kind, t = KIND_NECK, t_other
    ear = -1
    for e in (EAR_LEFT, EAR_RIGHT):
        t_other = hit_ear(o, d, body, e)
        if 0.0 <= t_other < t:
            kind, t, ear = KIND_EAR, t_other, e
    t_head = hit_head(o, d, prm, tab, r_bound, t_guess, t)
    if t_head >= 0.0:
        kind, t = KIND_HEAD, t_head
    if kind == KIND_BACKGROUND:
        background(x / cam[C_W], y / cam[C_H], sh, rgb)
        return kind, np.inf, t_head
    for k in range(3):
        p[k] = o[k] + t * d[k]
        v[k] = -d[k]
    ears = min(ear_gap(p, body, EAR_LEFT), ear_gap(p, body, EAR_RIGHT))
    if kind == KIND_HEAD:
        n[0], n[1], n[2] = head_normal(p[0], p[1], p[2], prm, tab)
        gap = min(neck_gap(p, body), ears)
    elif kind == KIND_NECK:
        gx = p[0] / (body[N_AX] * body[N_AX])
        gy = (p[1] - body[N_YC]) / (body[N_BY] * body[N_BY])
        gn = math.sqrt(gx * gx + gy * gy)
        n[0], n[1], n[2] = gx / gn, gy / gn, 0.0
        gap = min(max(outside(p[0], p[1], p[2], prm, tab), 0.0), ears)
    else:
        ear_normal(p, body, ear, n)
        gap = max(outside(p[0], p[1], p[2], prm, tab), 0.0)
    ao = 1.0 - sh[S_AO] * math.exp(-gap / sh[S_AO_MM])
    depth = t * (d[0] * cam[C_FWD] + d[1] * cam[C_FWD + 1] + d[2] * cam[C_FWD + 2])
    px_mm = cam[C_MMPX] if cam[C_MMPX] > 0.0 else depth / cam[C_FOCAL]
    _shade(p, n, v, ao, px_mm, sh, rgb)
    fade = face_fade(p, sh)
    if fade > 0.0:
        bg = scratch[4]  # v is no longer needed
        background(x / cam[C_W], y / cam[C_H], sh, bg)
        for c in range(3):
            rgb[c] += fade * (bg[c] - rgb[c])
    return kind, depth, t_head


EDGE_SAMPLES = 3  # per side: 3 x 3 samples in a pixel where the body kind changes


@numba.njit(cache=True, parallel=True, nogil=True)
def render_base(
    cam: FloatArray,
    prm: FloatArray,
    tab: FloatArray,
    r_bound: float,
    body: FloatArray,
    sh: FloatArray,
    image: npt.NDArray[np.float32],
    depth: npt.NDArray[np.float32],
    kind: npt.NDArray[np.int8],
) -> None:
    """Shade every pixel (centre sample), then supersample where the body kind changes.

    Rows run in parallel; along a row each ray starts its search at its neighbour's hit, and
    the sub-samples of an edge pixel at their pixel's (or a neighbour's) hit.
    """
    h, w = kind.shape
    t_hit = np.empty((h, w), dtype=np.float32)
    for r in numba.prange(h):
        rgb = np.empty(3)
        scratch = np.empty((5, 3))
        t_guess = -1.0
        for c in range(w):
            k, z, t_guess = _sample(
                cam, c + 0.5, r + 0.5, prm, tab, r_bound, body, sh, rgb, scratch, t_guess
            )
            kind[r, c] = k
            depth[r, c] = z
            t_hit[r, c] = t_guess
            for ch in range(3):
                image[r, c, ch] = rgb[ch]
    n = EDGE_SAMPLES
    for r in numba.prange(h):
        rgb = np.empty(3)
        acc = np.empty(3)
        scratch = np.empty((5, 3))
        for c in range(w):
            k0 = kind[r, c]
            edge = False
            guess = t_hit[r, c]
            for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                rr, cc = r + dr, c + dc
                if 0 <= rr < h and 0 <= cc < w:
                    if kind[rr, cc] != k0:
                        edge = True
                    if guess < 0.0:
                        guess = t_hit[rr, cc]
            if not edge:
                continue
            acc[:] = 0.0
            for i in range(n):
                for j in range(n):
                    x, y = c + (j + 0.5) / n, r + (i + 0.5) / n
                    _sample(cam, x, y, prm, tab, r_bound, body, sh, rgb, scratch, guess)
                    for ch in range(3):
                        acc[ch] += rgb[ch]
            for ch in range(3):
                image[r, c, ch] = acc[ch] / (n * n)


@numba.njit(cache=True)
def normals_at(points: FloatArray, prm: FloatArray, tab: FloatArray) -> FloatArray:
    """Outward unit head normals ``(N, 3)`` at surface points ``(N, 3)``."""
    out = np.empty_like(points)
    for i in range(points.shape[0]):
        out[i, 0], out[i, 1], out[i, 2] = head_normal(
            points[i, 0], points[i, 1], points[i, 2], prm, tab
        )
    return out
