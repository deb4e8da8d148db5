"""The cranial-vault surface in polar form about a centre on the vertex line.

The surface is star-shaped about a centre ``C = (0, y_c, z_c)`` that lies on the vertical line
through the vertex. A direction from ``C`` is given by the polar angle ``theta`` (0 = straight up)
and the azimuth ``phi`` (0 = anterior, +pi/2 = the client's right), so a surface point is::

    X(theta, phi) = C + R(theta, phi) * (sin theta sin phi, sin theta cos phi, cos theta)

and each vertical half-plane through the vertex (fixed ``phi``) cuts the surface in the single
curve ``r(theta) = R(theta, phi)`` from the vertex (``theta = 0``) downward.

``R = A ** -0.5`` with the quadratic-form "gauge" (see docs/head-model.md)::

    A = sin^2(theta) h(phi)^2 + cos^2(theta) / c^2 - kappa(theta, phi) sin^2 cos^2 h(phi) / c

* ``h(phi)`` is the inverse radius of the horizontal section through ``C``: a superellipse of
  exponent ``p`` with front and back half-lengths ``b_f``, ``b_b`` and an egg-shaped half-breadth
  ``a(phi) = a0 (1 - e cos phi)`` (narrower forehead, wider parietal region).
* ``c`` is ``c_u`` above ``C`` and ``c_d`` below it.
* ``kappa`` fills (``> 0``) or tucks in (``< 0``) the mid-latitudes: it squares off the forehead
  and bulges the occiput above ``C`` and tucks the occiput in toward the nape below it. The term
  vanishes to second order at the poles and at the equator, so the vertex stays the top with a
  finite, nonzero curvature and the surface is continuously differentiable everywhere.

The functions here are the numba kernels (``cache=True``) and their plain NumPy references.
Parameters travel as one float64 array indexed by the ``P_*`` constants.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Indices into the parameter vector.
P_YC, P_ZC, P_A0, P_EGG, P_BF, P_BB, P_CU, P_CD, P_P, P_KU0, P_KU1, P_KD0, P_KD1 = range(13)
N_PARAMS = 13


def pack_params(
    *,
    y_c_mm: float,
    z_c_mm: float,
    a0_mm: float,
    egg: float,
    b_front_mm: float,
    b_back_mm: float,
    c_up_mm: float,
    c_down_mm: float,
    p: float,
    kappa_up: tuple[float, float],
    kappa_down: tuple[float, float],
) -> FloatArray:
    """Pack shape parameters into the float64 vector the kernels take.

    ``kappa_up`` and ``kappa_down`` are ``(k0, k1)`` with ``kappa(phi) = k0 + k1 cos(phi)``.
    """
    prm = np.empty(N_PARAMS)
    prm[P_YC], prm[P_ZC] = y_c_mm, z_c_mm
    prm[P_A0], prm[P_EGG] = a0_mm, egg
    prm[P_BF], prm[P_BB] = b_front_mm, b_back_mm
    prm[P_CU], prm[P_CD] = c_up_mm, c_down_mm
    prm[P_P] = p
    prm[P_KU0], prm[P_KU1] = kappa_up
    prm[P_KD0], prm[P_KD1] = kappa_down
    return prm


# ---------------------------------------------------------------- numba kernels


@numba.njit(cache=True, nogil=True)
def azimuth_terms(phi: float, prm: FloatArray) -> tuple[float, float, float, float, float, float]:
    """Terms that depend on the azimuth only: ``h, dh/dphi, kappa_up, its derivative,
    kappa_down, its derivative`` (``h`` in 1/mm)."""
    sp = math.sin(phi)
    cp = math.cos(phi)
    p = prm[P_P]
    a = prm[P_A0] * (1.0 - prm[P_EGG] * cp)
    da = prm[P_A0] * prm[P_EGG] * sp
    b = prm[P_BF] if cp >= 0.0 else prm[P_BB]
    xs = abs(sp) / a
    xc = abs(cp) / b
    xs_p = xs**p
    xc_p = xc**p
    hp = xs_p + xc_p
    h = hp ** (1.0 / p)
    sgs = 1.0 if sp >= 0.0 else -1.0
    sgc = 1.0 if cp >= 0.0 else -1.0
    dxs = sgs * cp / a - abs(sp) * da / (a * a)
    dxc = -sgc * sp / b
    # h^(1-p) (xs^(p-1) dxs + xc^(p-1) dxc), written without further powers
    term = 0.0
    if xs > 0.0:
        term += xs_p / xs * dxs
    if xc > 0.0:
        term += xc_p / xc * dxc
    dh = h / hp * term
    ku = prm[P_KU0] + prm[P_KU1] * cp
    kd = prm[P_KD0] + prm[P_KD1] * cp
    return h, dh, ku, -prm[P_KU1] * sp, kd, -prm[P_KD1] * sp


@numba.njit(cache=True, nogil=True)
def radius_theta(
    theta: float, h: float, ku: float, kd: float, prm: FloatArray
) -> tuple[float, float]:
    """``R`` and ``dR/dtheta`` given the azimuth terms (no powers: cheap)."""
    st = math.sin(theta)
    ct = math.cos(theta)
    if ct >= 0.0:
        cv = prm[P_CU]
        kap = ku
    else:
        cv = prm[P_CD]
        kap = kd
    big_a = st * st * h * h + ct * ct / (cv * cv) - kap * st * st * ct * ct * h / cv
    da_t = 2.0 * st * ct * (h * h - 1.0 / (cv * cv)) - kap * h / cv * 2.0 * st * ct * (
        ct * ct - st * st
    )
    r = 1.0 / math.sqrt(big_a)
    return r, -0.5 * r * r * r * da_t


@numba.njit(cache=True, nogil=True)
def radius_derivs(theta: float, phi: float, prm: FloatArray) -> tuple[float, float, float]:
    """``R``, ``dR/dtheta`` and ``dR/dphi`` (mm, mm/rad) at one direction."""
    h, dh, ku, dku, kd, dkd = azimuth_terms(phi, prm)
    st = math.sin(theta)
    ct = math.cos(theta)
    if ct >= 0.0:
        cv = prm[P_CU]
        kap, dkap = ku, dku
    else:
        cv = prm[P_CD]
        kap, dkap = kd, dkd
    s2c2 = st * st * ct * ct
    r, rt = radius_theta(theta, h, ku, kd, prm)
    da_p = 2.0 * st * st * h * dh - (dkap * h + kap * dh) * s2c2 / cv
    return r, rt, -0.5 * r * r * r * da_p


@numba.njit(cache=True, nogil=True)
def speed(theta: float, h: float, ku: float, kd: float, prm: FloatArray) -> float:
    """``ds/dtheta = sqrt(R^2 + R_theta^2)`` (mm/rad) along the half-plane curve."""
    r, rt = radius_theta(theta, h, ku, kd, prm)
    return math.sqrt(r * r + rt * rt)


# Gauss-Legendre nodes and weights on [0, 1].
_GL_X, _GL_W = np.polynomial.legendre.leggauss(10)
GL_NODES = 0.5 * (_GL_X + 1.0)
GL_WEIGHTS = 0.5 * _GL_W
PANELS_PER_HALF = 3  # panels on [0, pi/2] and on [pi/2, pi]
MAX_PANEL_RAD = math.pi / 12  # the longest panel an arc increment uses


@numba.njit(cache=True, nogil=True)
def _gl_interval(t0: float, t1: float, az: tuple[float, float, float], prm: FloatArray,
                 nodes: FloatArray, weights: FloatArray, panels: int) -> float:  # fmt: skip
    if t1 <= t0:
        return 0.0
    h, ku, kd = az
    total = 0.0
    w = (t1 - t0) / panels
    for k in range(panels):
        lo = t0 + k * w
        for j in range(nodes.size):
            total += weights[j] * speed(lo + nodes[j] * w, h, ku, kd, prm)
    return total * w


@numba.njit(cache=True, nogil=True)
def arc_length(theta: float, phi: float, prm: FloatArray, nodes: FloatArray,
               weights: FloatArray) -> float:  # fmt: skip
    """Arc length (mm) from the vertex to ``theta`` in the half-plane ``phi``.

    Composite Gauss-Legendre with a panel break at the equator, where the vertical semi-axis
    switches from ``c_u`` to ``c_d`` (the integrand is smooth on either side).
    """
    h, _, ku, _, kd, _ = azimuth_terms(phi, prm)
    return _arc_az(theta, (h, ku, kd), prm, nodes, weights)


@numba.njit(cache=True, nogil=True)
def _arc_az(theta: float, az: tuple[float, float, float], prm: FloatArray, nodes: FloatArray,
            weights: FloatArray) -> float:  # fmt: skip
    half = 0.5 * math.pi
    if theta <= half:
        return _gl_interval(0.0, theta, az, prm, nodes, weights, PANELS_PER_HALF)
    s = _gl_interval(0.0, half, az, prm, nodes, weights, PANELS_PER_HALF)
    return s + _gl_interval(half, theta, az, prm, nodes, weights, PANELS_PER_HALF)


@numba.njit(cache=True, nogil=True)
def _increment(t0: float, t1: float, az: tuple[float, float, float], prm: FloatArray,
               nodes: FloatArray, weights: FloatArray) -> float:  # fmt: skip
    """Signed arc length from ``t0`` to ``t1``, split at the equator."""
    sign = 1.0
    if t1 < t0:
        t0, t1 = t1, t0
        sign = -1.0
    half = 0.5 * math.pi
    if t0 < half < t1:
        n0 = 1 + int((half - t0) / MAX_PANEL_RAD)
        n1 = 1 + int((t1 - half) / MAX_PANEL_RAD)
        return sign * (
            _gl_interval(t0, half, az, prm, nodes, weights, n0)
            + _gl_interval(half, t1, az, prm, nodes, weights, n1)
        )
    n = 1 + int((t1 - t0) / MAX_PANEL_RAD)
    return sign * _gl_interval(t0, t1, az, prm, nodes, weights, n)


@numba.njit(cache=True, nogil=True)
def theta_at_arc(s_mm: float, phi: float, prm: FloatArray, nodes: FloatArray,
                 weights: FloatArray, theta_max: float, theta_guess: float) -> float:  # fmt: skip
    """Invert ``arc_length``: the polar angle where the arc from the vertex reaches ``s_mm``.

    Safeguarded Newton with ``ds/dtheta = sqrt(R^2 + R_theta^2)``; the arc is carried forward
    by exact Gauss-Legendre increments, so each step costs one short quadrature. Returns NaN
    beyond ``theta_max``. ``theta_guess < 0`` means no guess.
    """
    if s_mm <= 0.0:
        return 0.0
    h, _, ku, _, kd, _ = azimuth_terms(phi, prm)
    az = (h, ku, kd)
    lo, hi = 0.0, theta_max
    t = min(s_mm * h, 0.5 * theta_max) if theta_guess < 0.0 else theta_guess
    s = _arc_az(t, az, prm, nodes, weights)
    for _ in range(80):
        f = s - s_mm
        if f > 0.0:
            hi = t
        else:
            lo = t
        step = f / speed(t, h, ku, kd, prm)
        if abs(step) < 1e-14:
            break
        t_new = t - step
        if not (lo <= t_new <= hi):
            t_new = 0.5 * (lo + hi)
        s += _increment(t, t_new, az, prm, nodes, weights)
        t = t_new
    if t >= theta_max * (1.0 - 1e-12) and s_mm > s + 1e-9:
        return math.nan
    return t


@numba.njit(cache=True, nogil=True)
def arcs_kernel(theta: FloatArray, phi: FloatArray, prm: FloatArray, nodes: FloatArray,
                weights: FloatArray) -> FloatArray:  # fmt: skip
    """Vectorised ``arc_length`` over matching 1-D arrays."""
    out = np.empty(theta.size)
    for i in range(theta.size):
        out[i] = arc_length(theta[i], phi[i], prm, nodes, weights)
    return out


@numba.njit(cache=True, nogil=True)
def thetas_kernel(
    s_mm: FloatArray, phi: FloatArray, prm: FloatArray, nodes: FloatArray, weights: FloatArray,
    theta_max: float, guess: FloatArray,
) -> FloatArray:  # fmt: skip
    """Vectorised ``theta_at_arc`` over matching 1-D arrays (``guess`` may be all -1)."""
    out = np.empty(s_mm.size)
    for i in range(s_mm.size):
        out[i] = theta_at_arc(s_mm[i], phi[i], prm, nodes, weights, theta_max, guess[i])
    return out


@numba.njit(cache=True, nogil=True)
def derivs_kernel(theta: FloatArray, phi: FloatArray, prm: FloatArray) -> FloatArray:
    """``(R, R_theta, R_phi)`` for matching 1-D arrays, shape ``(N, 3)``."""
    out = np.empty((theta.size, 3))
    for i in range(theta.size):
        r, rt, rp = radius_derivs(theta[i], phi[i], prm)
        out[i, 0] = r
        out[i, 1] = rt
        out[i, 2] = rp
    return out


# ---------------------------------------------------------------- plain NumPy reference


def radius_reference(theta: FloatArray, phi: FloatArray, prm: FloatArray) -> FloatArray:
    """``R(theta, phi)`` in plain NumPy (the reference the kernels are tested against)."""
    theta = np.asarray(theta, dtype=float)
    phi = np.asarray(phi, dtype=float)
    st, ct, sp, cp = np.sin(theta), np.cos(theta), np.sin(phi), np.cos(phi)
    a = prm[P_A0] * (1.0 - prm[P_EGG] * cp)
    b = np.where(cp >= 0.0, prm[P_BF], prm[P_BB])
    h = ((np.abs(sp) / a) ** prm[P_P] + (np.abs(cp) / b) ** prm[P_P]) ** (1.0 / prm[P_P])
    up = ct >= 0.0
    cv = np.where(up, prm[P_CU], prm[P_CD])
    kap = np.where(up, prm[P_KU0] + prm[P_KU1] * cp, prm[P_KD0] + prm[P_KD1] * cp)
    big_a = st**2 * h**2 + ct**2 / cv**2 - kap * st**2 * ct**2 * h / cv
    return np.asarray(big_a**-0.5, dtype=float)


def point_reference(theta: FloatArray, phi: FloatArray, prm: FloatArray) -> FloatArray:
    """Surface points ``(..., 3)`` in the head frame (mm) from polar angles, plain NumPy."""
    r = radius_reference(theta, phi, prm)
    st = np.sin(theta)
    return np.stack(
        [
            r * st * np.sin(phi),
            prm[P_YC] + r * st * np.cos(phi),
            prm[P_ZC] + r * np.cos(theta),
        ],
        axis=-1,
    )
