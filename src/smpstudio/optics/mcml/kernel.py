"""Numba kernels of the MCML photon-packet walk (Wang, Jacques & Zheng 1995).

One packet at a time, as MCML does: launch, then hop-drop-spin until the packet escapes, is
transmitted or dies in Russian roulette. The names of MCML's C functions are kept in the comments
(StepSizeInTissue, HitBoundary, CrossUpOrNot, CrossDnOrNot, RFresnel, Spin, Roulette). Layers are
indexed as in MCML: 0 is the medium above, 1..nl the layers, nl + 1 the medium below.

Work is split into units, each with its own xoshiro256+ stream seeded by the caller, and the units
run in parallel (prange); a unit's numbers never depend on the number of threads.

Departures from MCML, all of them unbiased:

- Layers with mus = 0 are crossed in one step to the boundary with exact Beer-Lambert attenuation
  (MCML does this only for mua = mus = 0 "glass"); the dimensionless step left over from a
  turbid layer is carried across them unchanged.
- A packet exactly horizontal (uz = 0) in a clear layer deposits its weight there (MCML drops it,
  losing the weight).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

# MCML manual (Wang & Jacques 1992), mcml.h and mcmlgo.c.
WEIGHT_THRESHOLD = 1.0e-4  # Wth: below it a packet plays Russian roulette
ROULETTE_CHANCE = 0.1  # CHANCE: probability of surviving the roulette
COS_ZERO = 1.0 - 1.0e-12  # COSZERO: cosine treated as exactly normal
COS_90_DEG = 1.0e-6  # COS90D: cosine treated as grazing (total reflection)

# Layout of the per-unit scalar tallies.
T_RD = 0  # diffuse reflectance (weight escaping through the top)
T_TT = 1  # total transmittance (weight leaving through the bottom)
T_TRUNC = 2  # weight of packets stopped by the path-length cap (white runs)
T_ABS = 3  # absorbed weight of layer i at T_ABS + i - 1

_U17 = np.uint64(17)
_U45 = np.uint64(45)
_U19 = np.uint64(19)
_U11 = np.uint64(11)
_TWO_M53 = 1.0 / 9007199254740992.0
# LLVM fast-math flags that keep inf and nan semantics (the kernel relies on inf).
FAST_MATH = {"nsz", "arcp", "contract", "afn"}


@njit(cache=True, inline="always")
def _next(s0, s1, s2, s3):
    """One xoshiro256+ step (Blackman & Vigna 2018): (double in [0, 1), next state s0..s3).

    The state travels in local variables (registers) rather than an array.
    """
    result = s0 + s3
    t = s1 << _U17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << _U45) | (s3 >> _U19)
    return float(result >> _U11) * _TWO_M53, s0, s1, s2, s3


@njit(cache=True, inline="always")
def _fresnel(n1: float, n2: float, ca1: float) -> tuple[float, float]:
    """MCML RFresnel: unpolarised reflectance and transmitted cosine for incidence cosine ca1."""
    if n1 == n2:
        return 0.0, ca1
    if ca1 > COS_ZERO:
        r = (n2 - n1) / (n2 + n1)
        return r * r, ca1
    if ca1 < COS_90_DEG:
        return 1.0, 0.0
    sa1 = math.sqrt(1.0 - ca1 * ca1)
    sa2 = n1 * sa1 / n2
    if sa2 >= 1.0:
        return 1.0, 0.0
    ca2 = math.sqrt(1.0 - sa2 * sa2)
    cap = ca1 * ca2 - sa1 * sa2  # cos(a1 + a2)
    cam = ca1 * ca2 + sa1 * sa2  # cos(a1 - a2)
    sap = sa1 * ca2 + ca1 * sa2  # sin(a1 + a2)
    sam = sa1 * ca2 - ca1 * sa2  # sin(a1 - a2)
    r = 0.5 * sam * sam * (cam * cam + cap * cap) / (sap * sap * cam * cam)
    return r, ca2


# Outcomes of :func:`cross_boundary`.
STAYED = 0  # reflected, or refracted into the neighbouring layer
ESCAPED_TOP = 1  # transmitted out through the top surface
ESCAPED_BOTTOM = 2  # transmitted out through the bottom surface


@njit(cache=True, inline="always")
def cross_boundary(layer, nl, ux, uy, uz, n, cos_crit_up, cos_crit_dn, s0, s1, s2, s3):
    """MCML CrossUpOrNot / CrossDnOrNot with the all-or-none choice, for a packet on a boundary.

    The packet in ``layer`` (1..nl) moving along (ux, uy, uz), uz != 0, has reached the top
    (uz < 0) or bottom (uz > 0) of its layer. Beyond the critical angle (cosine
    ``cos_crit_up``/``cos_crit_dn[layer]``) it is reflected; otherwise it is transmitted with
    probability 1 - R (``_fresnel``), one random number being drawn only when 0 < R < 1.
    Transmitted into a neighbouring layer it is refracted (Snell) and changes layer; transmitted
    out of the stack it keeps its direction, and the caller tallies its escape.

    Returns
    -------
    (outcome, layer, ux, uy, uz, s0, s1, s2, s3)
        ``STAYED``, ``ESCAPED_TOP`` or ``ESCAPED_BOTTOM``; the new layer and direction; the
        advanced xoshiro256+ state.
    """
    up = uz < 0.0
    ni = n[layer]
    if up:
        nt = n[layer - 1]
        if -uz <= cos_crit_up[layer]:
            r = 1.0
            ca2 = 0.0
        else:
            r, ca2 = _fresnel(ni, nt, -uz)
    else:
        nt = n[layer + 1]
        if uz <= cos_crit_dn[layer]:
            r = 1.0
            ca2 = 0.0
        else:
            r, ca2 = _fresnel(ni, nt, uz)
    transmit = r == 0.0
    if 0.0 < r < 1.0:
        rnd, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
        transmit = rnd > r
    if not transmit:
        return STAYED, layer, ux, uy, -uz, s0, s1, s2, s3
    if up:
        if layer == 1:
            return ESCAPED_TOP, layer, ux, uy, uz, s0, s1, s2, s3
        layer -= 1
        uz = -ca2
    else:
        if layer == nl:
            return ESCAPED_BOTTOM, layer, ux, uy, uz, s0, s1, s2, s3
        layer += 1
        uz = ca2
    ux *= ni / nt
    uy *= ni / nt
    return STAYED, layer, ux, uy, uz, s0, s1, s2, s3


@njit(cache=True, inline="always")
def _spin_cos_theta(g: float, rnd: float) -> float:
    """MCML SpinTheta: cosine of the Henyey-Greenstein deflection angle for a uniform ``rnd``."""
    if g == 0.0:
        return 2.0 * rnd - 1.0
    temp = (1.0 - g * g) / (1.0 - g + 2.0 * g * rnd)
    cost = (1.0 + g * g - temp * temp) / (2.0 * g)
    if cost < -1.0:
        return -1.0
    if cost > 1.0:
        return 1.0
    return cost


@njit(cache=True, inline="always")
def step_in_tissue(sleft, mut, z, uz, z_top, z_bottom, s0, s1, s2, s3):
    """MCML StepSizeInTissue and HitBoundary in a turbid layer (mua + mus = ``mut`` > 0).

    A fresh dimensionless step -ln(rnd) when none is left (``sleft`` = 0), else the one left
    over from the last boundary; the geometric step is cut at the layer's top ``z_top`` or
    bottom ``z_bottom`` (cm) when the packet at depth ``z`` moving with z cosine ``uz`` reaches
    it first.

    Returns
    -------
    (s, hit, sleft, s0, s1, s2, s3)
        The step (cm), whether it ends on the boundary, the dimensionless step left over, the
        advanced xoshiro256+ state.
    """
    if sleft == 0.0:
        rnd, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
        s = -math.log(1.0 - rnd) / mut
    else:
        s = sleft / mut
        sleft = 0.0
    hit = False
    dl_b = 0.0
    if uz > 0.0:
        dl_b = (z_bottom - z) / uz
        hit = s > dl_b
    elif uz < 0.0:
        dl_b = (z_top - z) / uz
        hit = s > dl_b
    if hit:
        sleft = (s - dl_b) * mut
        s = dl_b
    return s, hit, sleft, s0, s1, s2, s3


@njit(cache=True, inline="always")
def hop(x, y, z, ux, uy, uz, s, hit, z_top, z_bottom):
    """MCML Hop: move the packet ``s`` cm along (ux, uy, uz); a step that ends on the layer's
    boundary (``hit``) puts it exactly on ``z_top`` or ``z_bottom``. Returns (x, y, z)."""
    x += s * ux
    y += s * uy
    if hit:
        z = z_bottom if uz > 0.0 else z_top
    else:
        z += s * uz
    return x, y, z


@njit(cache=True, inline="always")
def spin_direction(ux, uy, uz, cost, sint, cosp, sinp):
    """MCML Spin, the direction update: the new direction after a deflection of polar cosine
    ``cost`` (sine ``sint``) and azimuth cosine/sine ``cosp``/``sinp`` from (ux, uy, uz).

    Near-vertical directions (|uz| > ``COS_ZERO``) use the limiting form, as MCML does.
    """
    if abs(uz) > COS_ZERO:
        return sint * cosp, sint * sinp, (cost if uz >= 0.0 else -cost)
    temp = math.sqrt(1.0 - uz * uz)
    ux_new = sint * (ux * uz * cosp - uy * sinp) / temp + ux * cost
    uy_new = sint * (uy * uz * cosp + ux * sinp) / temp + uy * cost
    uz_new = -sint * cosp * temp + uz * cost
    return ux_new, uy_new, uz_new


@njit(cache=True, inline="always")
def roulette(w, s0, s1, s2, s3):
    """MCML Roulette for a packet of weight ``w`` below ``WEIGHT_THRESHOLD``: it survives with
    probability ``ROULETTE_CHANCE`` and weight ``w / ROULETTE_CHANCE`` (unbiased); a packet of
    weight 0 dies without a draw counting.

    Returns
    -------
    (alive, w, s0, s1, s2, s3)
    """
    rnd, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
    if w == 0.0 or rnd >= ROULETTE_CHANCE:
        return False, w, s0, s1, s2, s3
    return True, w / ROULETTE_CHANCE, s0, s1, s2, s3


@njit(cache=True, inline="always")
def _deposit_path(a_z, z_start, uz, s, w, mua, dz, nz):
    """Spread the weight absorbed along a straight clear-layer segment over the z bins.

    The segment starts at depth ``z_start`` with weight ``w`` and has length ``s`` (may be inf)
    along a direction of z cosine ``uz`` != 0; bin iz receives w (exp(-mua ta) - exp(-mua tb))
    for the part [ta, tb] of the path inside it, so the bins sum to w (1 - exp(-mua s)).
    """
    top = nz - 1
    i0 = min(int(z_start / dz), top)
    if math.isinf(s):
        i1 = top if uz > 0.0 else 0
    else:
        i1 = min(int(max(z_start + uz * s, 0.0) / dz), top)
    step = 1 if uz > 0.0 else -1
    iz = i0
    while True:
        ta = 0.0 if iz == i0 else ((iz if uz > 0.0 else iz + 1) * dz - z_start) / uz
        tb = s if iz == i1 else ((iz + 1 if uz > 0.0 else iz) * dz - z_start) / uz
        ta = min(max(ta, 0.0), s)
        tb = min(max(tb, ta), s)
        a_z[iz] += w * (math.exp(-mua * ta) - math.exp(-mua * tb))
        if iz == i1:
            break
        iz += step


@njit(cache=True, fastmath=FAST_MATH)
def simulate_unit(
    st, n_packets, w_launch, start_layer, n, mua, mus, g, z0, z1, cos_crit_up, cos_crit_dn,
    max_path_cm, dz, nz, dr, nr, scal, rd_r, a_z, record, rec_w, rec_l,
):  # fmt: skip
    """Trace ``n_packets`` packets; return how many records were written.

    Parameters
    ----------
    st : uint64[4]
        xoshiro256+ state of this unit, advanced in place.
    n_packets : int
        Packets to launch.
    w_launch : float
        Launch weight, 1 - Rsp.
    start_layer : int
        Layer the packets start in (1, or 2 after a glass top layer as in MCML LaunchPhoton).
    n, mua, mus, g, z0, z1, cos_crit_up, cos_crit_dn : float64[nl + 2]
        Layer properties with the ambient media at 0 and nl + 1; z0, z1 are the layer's top and
        bottom depths (cm); cos_crit_* the cosines of the critical angles (0 without one).
    max_path_cm : float
        Packets whose total path exceeds it are stopped and their weight tallied as truncated.
    dz, nz, dr, nr
        Tally grid; nz = nr = 0 disables the A(z) and Rd(r) tallies.
    scal : float64[3 + nl]
        Scalar tallies (layout T_*), accumulated.
    rd_r, a_z : float64[nr], float64[nz]
        Weight escaping per radial bin, absorbed per depth bin, accumulated.
    record : bool
        Store the weight and per-layer path of each packet escaping through the top.
    rec_w, rec_l : float64[n_packets], float64[n_packets, nl]
        Record storage (used only when ``record``).
    """
    nl = n.shape[0] - 2
    path = np.zeros(nl + 2)
    s0 = st[0]
    s1 = st[1]
    s2 = st[2]
    s3 = st[3]
    n_rec = 0
    for _ in range(n_packets):
        w = w_launch
        layer = start_layer
        if layer > nl:  # a single glass layer: everything goes straight through
            scal[T_TT] += w
            continue
        x = 0.0
        y = 0.0
        z = z0[layer]
        ux = 0.0
        uy = 0.0
        uz = 1.0
        sleft = 0.0
        total_path = 0.0
        if record:
            path[:] = 0.0
        alive = True
        while alive:
            mua_l = mua[layer]
            mus_l = mus[layer]
            hit = False
            mut = mua_l + mus_l
            if mus_l == 0.0:
                # Clear layer: step to the boundary (MCML StepSizeInGlass, HopInGlass).
                if uz == 0.0 or (uz > 0.0 and math.isinf(z1[layer])):
                    # Never reaches a boundary: all of the weight stays in this layer.
                    if mua_l > 0.0:
                        scal[T_ABS + layer - 1] += w
                        if nz > 0:
                            if uz == 0.0:
                                a_z[min(int(z / dz), nz - 1)] += w
                            else:
                                _deposit_path(a_z, z, uz, math.inf, w, mua_l, dz, nz)
                    break
                s = ((z1[layer] if uz > 0.0 else z0[layer]) - z) / uz
                if mua_l > 0.0:
                    dw = w * -math.expm1(-mua_l * s)
                    scal[T_ABS + layer - 1] += dw
                    if nz > 0:
                        _deposit_path(a_z, z, uz, s, w, mua_l, dz, nz)
                    w -= dw
                hit = True
            else:
                # Turbid layer: MCML StepSizeInTissue and HitBoundary.
                s, hit, sleft, s0, s1, s2, s3 = step_in_tissue(
                    sleft, mut, z, uz, z0[layer], z1[layer], s0, s1, s2, s3
                )
            x, y, z = hop(x, y, z, ux, uy, uz, s, hit, z0[layer], z1[layer])
            total_path += s
            if record:
                path[layer] += s
            if hit:
                out, layer, ux, uy, uz, s0, s1, s2, s3 = cross_boundary(
                    layer, nl, ux, uy, uz, n, cos_crit_up, cos_crit_dn, s0, s1, s2, s3
                )
                if out == ESCAPED_TOP:
                    scal[T_RD] += w
                    if nr > 0:
                        rd_r[min(int(math.sqrt(x * x + y * y) / dr), nr - 1)] += w
                    if record:
                        rec_w[n_rec] = w
                        for i in range(nl):
                            rec_l[n_rec, i] = path[i + 1]
                        n_rec += 1
                    alive = False
                elif out == ESCAPED_BOTTOM:
                    scal[T_TT] += w
                    alive = False
            else:
                # Drop (implicit capture) and Spin.
                dwa = w * mua_l / mut
                w -= dwa
                scal[T_ABS + layer - 1] += dwa
                if nz > 0:
                    a_z[min(int(z / dz), nz - 1)] += dwa
                rnd, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
                cost = _spin_cos_theta(g[layer], rnd)
                sint = math.sqrt(1.0 - cost * cost)
                # Uniform azimuth psi: (cos psi, sin psi) from a point drawn uniformly in the
                # unit disk (rejection; von Neumann 1951) instead of MCML's cos and sqrt;
                while True:
                    rnd, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
                    px = 2.0 * rnd - 1.0
                    rnd, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
                    py = 2.0 * rnd - 1.0
                    rho2 = px * px + py * py
                    if 0.0 < rho2 <= 1.0:
                        break
                # The doubled angle of (px, py) is uniform too and needs no square root.
                cosp = (px * px - py * py) / rho2
                sinp = 2.0 * px * py / rho2
                ux, uy, uz = spin_direction(ux, uy, uz, cost, sint, cosp, sinp)
            if alive and total_path > max_path_cm:
                scal[T_TRUNC] += w
                alive = False
            if alive and w < WEIGHT_THRESHOLD:
                alive, w, s0, s1, s2, s3 = roulette(w, s0, s1, s2, s3)
    st[0] = s0
    st[1] = s1
    st[2] = s2
    st[3] = s3
    return n_rec


@njit(cache=True, parallel=True)
def simulate_units(
    states, counts, offsets, w_launch, start_layer, n, mua, mus, g, z0, z1, cos_crit_up,
    cos_crit_dn, max_path_cm, dz, nz, dr, nr, scal, rd_r, a_z, record, rec_w, rec_l, rec_n,
):  # fmt: skip
    """Run every unit (row of ``states``) in parallel; see :func:`simulate_unit`.

    ``counts[u]`` packets for unit u; its records go to rows ``offsets[u]:offsets[u] +
    counts[u]`` of ``rec_w``/``rec_l`` and their number to ``rec_n[u]``; its tallies to row u
    of ``scal``, ``rd_r`` and ``a_z``.
    """
    for u in prange(states.shape[0]):
        lo = offsets[u]
        hi = lo + counts[u] if record else lo
        rec_n[u] = simulate_unit(
            states[u], counts[u], w_launch, start_layer, n, mua, mus, g, z0, z1,
            cos_crit_up, cos_crit_dn, max_path_cm, dz, nz, dr, nr,
            scal[u], rd_r[u], a_z[u], record, rec_w[lo:hi], rec_l[lo:hi],
        )  # fmt: skip
