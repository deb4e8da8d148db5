"""Numba kernel: the shadow of finite absorbing discs in layered skin (MCML walk + path tally).

The photon walk is MCML's (Wang, Jacques & Zheng 1995), step for step as in
:mod:`smpstudio.optics.mcml.kernel` (whose random generator, boundary crossing and
Henyey-Greenstein helpers it reuses): pencil beam at the origin, Fresnel with the all-or-none
choice at every boundary, implicit capture, Russian roulette. It runs in the skin WITHOUT the
discs and keeps, for each packet, the pieces of its path inside the depth band of any disc.

The discs only absorb (carbon black adds no scattering, optics/pigment.py), so a disc changes
no random walk, only its weight: a packet that escapes with weight w would have escaped with
w exp(-mua_d L) with the disc in place, L being its path inside the disc (the Beer-Lambert
reweighting of white Monte Carlo, Graaff et al., Appl. Opt. 32:426, 1993). The shadow is
therefore tallied on the disc-free walks, with and without the disc from the same random
numbers.

Uniform illumination from the pencil beam: the layers are laterally invariant, so a packet
entering at x_in with the disc at the origin walks like a packet entering at the origin with
the disc at c = -x_in. Uniform unit irradiance over the plane is then the integral over the
disc position c: S = E[ integral d2c w (1 - exp(-mua_d L(c))) ], and the deficit at the
exit's distance |e - c| from the disc axis gives the profile Delta R(r). The integral over c
is sampled per escaping packet (its own random stream, so the walks never depend on it):

- ``importance``: pick a point uniformly by length on the packet's in-band path (total
  length Lambda), then c uniformly within radius a of it. The density of c is exactly
  L(c) / (pi a^2 Lambda), so each sample contributes w (1 - exp(-mua_d L)) pi a^2 Lambda / L,
  bounded by w mua_d pi a^2 Lambda.
- ``uniform``: c uniform over a square of half-width H around the entry point; each sample
  contributes w (1 - exp(-mua_d L(c))) (2 H)^2 (plain uniform illumination of the square;
  exact when the packets' paths stay within H - a of the entry; used to check the above).

The laterally infinite sheet is the disc with L = Lambda: w (1 - exp(-mua_d Lambda)).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from smpstudio.optics.mcml.kernel import (
    ESCAPED_BOTTOM,
    ESCAPED_TOP,
    FAST_MATH,
    WEIGHT_THRESHOLD,
    _next,
    _spin_cos_theta,
    cross_boundary,
    hop,
    roulette,
    spin_direction,
    step_in_tissue,
)

# Per-unit scalar tallies.
S_RD = 0  # diffuse reflectance without discs
S_SEGMENT_OVERFLOW = 1  # not used as a tally of weight: count of segment-buffer growths
N_SCAL = 2
# Per-disc tallies: sheet deficit, integrated shadow (mm2 in the caller's length unit, cm2 here).
D_SHEET = 0
D_SHADOW = 1
N_DISC_TALLY = 2
# Columns of the in-band segment buffer.
SEG_X, SEG_Y, SEG_Z, SEG_UX, SEG_UY, SEG_UZ, SEG_LEN = 0, 1, 2, 3, 4, 5, 6
SEG_COLUMNS = 7
# Columns of a disc's clipped in-band pieces (horizontal start, direction, length).
P_X, P_Y, P_UX, P_UY, P_LEN = 0, 1, 2, 3, 4
P_COLUMNS = 5
SEG_CAPACITY = 1024  # initial rows; doubled when full
SAMPLING_IMPORTANCE = 0
SAMPLING_UNIFORM = 1


@njit(cache=True, inline="always")
def _clip_to_band(z: float, uz: float, s: float, lo: float, hi: float) -> tuple[float, float]:
    """Parameters [ta, tb] of the part of the hop z + t uz, t in [0, s], with lo <= z <= hi."""
    if uz == 0.0:
        if lo <= z <= hi:
            return 0.0, s
        return 0.0, 0.0
    ta = (lo - z) / uz
    tb = (hi - z) / uz
    if ta > tb:
        ta, tb = tb, ta
    ta = max(ta, 0.0)
    tb = min(tb, s)
    if tb <= ta:
        return 0.0, 0.0
    return ta, tb


@njit(cache=True)
def chord_in_cylinder(px, py, ux, uy, length, cx, cy, radius):
    """Length of the straight piece (px, py) + t (ux, uy), t in [0, length], within ``radius``
    of the axis (cx, cy) in the horizontal plane (t is path length; (ux, uy) need not be unit).
    """
    dx = px - cx
    dy = py - cy
    a = ux * ux + uy * uy
    c = dx * dx + dy * dy - radius * radius
    if a < 1.0e-24:
        return length if c <= 0.0 else 0.0
    b = dx * ux + dy * uy  # half of the linear coefficient
    disc = b * b - a * c
    if disc <= 0.0:
        return 0.0
    root = math.sqrt(disc)
    t1 = (-b - root) / a
    t2 = (-b + root) / a
    lo = max(t1, 0.0)
    hi = min(t2, length)
    return hi - lo if hi > lo else 0.0


@njit(cache=True)
def _disc_path(piece, n_piece, cx, cy, radius):
    """Path inside the disc (axis (cx, cy), ``radius``) of the in-band pieces ``piece``."""
    total = 0.0
    for i in range(n_piece):
        total += chord_in_cylinder(
            piece[i, P_X], piece[i, P_Y], piece[i, P_UX], piece[i, P_UY], piece[i, P_LEN],
            cx, cy, radius,
        )  # fmt: skip
    return total


@njit(cache=True)
def _clip_segments(seg, n_seg, lo, hi, piece):
    """Clip the stored segments to depths lo..hi into ``piece``; return (count, total length)."""
    n_piece = 0
    lam = 0.0
    for i in range(n_seg):
        ta, tb = _clip_to_band(seg[i, SEG_Z], seg[i, SEG_UZ], seg[i, SEG_LEN], lo, hi)
        if tb > ta:
            ux = seg[i, SEG_UX]
            uy = seg[i, SEG_UY]
            piece[n_piece, P_X] = seg[i, SEG_X] + ta * ux
            piece[n_piece, P_Y] = seg[i, SEG_Y] + ta * uy
            piece[n_piece, P_UX] = ux
            piece[n_piece, P_UY] = uy
            piece[n_piece, P_LEN] = tb - ta
            n_piece += 1
            lam += tb - ta
    return n_piece, lam


@njit(cache=True)
def _tally_escape(
    seg, n_seg, w, ex, ey, d_radius, d_lo, d_hi, d_mua, c_samples, sampling, half_width,
    dr, nr, dtal, prof, q0, q1, q2, q3,
):  # fmt: skip
    """Add one escaping packet's disc deficits; return the advanced c-sampling stream."""
    piece = np.empty((max(n_seg, 1), P_COLUMNS))
    for k in range(d_radius.shape[0]):
        mua = d_mua[k]
        radius = d_radius[k]
        n_piece, lam = _clip_segments(seg, n_seg, d_lo[k], d_hi[k], piece)
        if lam <= 0.0:
            continue
        dtal[k, D_SHEET] += w * -math.expm1(-mua * lam)
        for _ in range(c_samples):
            if sampling == SAMPLING_IMPORTANCE:
                # A point uniform by length on the in-band path ...
                rnd, q0, q1, q2, q3 = _next(q0, q1, q2, q3)
                target = rnd * lam
                px = 0.0
                py = 0.0
                for i in range(n_piece):
                    # The last piece also takes any rounding excess of ``target``.
                    t = min(target, piece[i, P_LEN])
                    px = piece[i, P_X] + t * piece[i, P_UX]
                    py = piece[i, P_Y] + t * piece[i, P_UY]
                    if target <= piece[i, P_LEN]:
                        break
                    target -= piece[i, P_LEN]
                # ... then the disc axis uniform within the radius of it (rejection).
                while True:
                    rnd, q0, q1, q2, q3 = _next(q0, q1, q2, q3)
                    ox = 2.0 * rnd - 1.0
                    rnd, q0, q1, q2, q3 = _next(q0, q1, q2, q3)
                    oy = 2.0 * rnd - 1.0
                    if ox * ox + oy * oy <= 1.0:
                        break
                cx = px + radius * ox
                cy = py + radius * oy
                length = _disc_path(piece, n_piece, cx, cy, radius)
                # (1 - exp(-mua L)) / L, with its limit mua at L -> 0 (rounding at the rim).
                ratio = -math.expm1(-mua * length) / length if length > 0.0 else mua
                est = w * ratio * math.pi * radius * radius * lam / c_samples
            else:
                rnd, q0, q1, q2, q3 = _next(q0, q1, q2, q3)
                cx = (2.0 * rnd - 1.0) * half_width
                rnd, q0, q1, q2, q3 = _next(q0, q1, q2, q3)
                cy = (2.0 * rnd - 1.0) * half_width
                length = _disc_path(piece, n_piece, cx, cy, radius)
                if length <= 0.0:
                    continue
                est = w * -math.expm1(-mua * length) * 4.0 * half_width * half_width / c_samples
            dtal[k, D_SHADOW] += est
            rho = math.sqrt((ex - cx) ** 2 + (ey - cy) ** 2)
            prof[k, min(int(rho / dr), nr - 1)] += est
    return q0, q1, q2, q3


@njit(cache=True, fastmath=FAST_MATH)
def simulate_disc_unit(
    st, cst, n_packets, w_launch, n, mua, mus, g, z0, z1, cos_crit_up, cos_crit_dn,
    band_lo, band_hi, d_radius, d_lo, d_hi, d_mua, c_samples, sampling, half_width,
    dr, nr, scal, dtal, prof,
):  # fmt: skip
    """Trace ``n_packets`` disc-free packets and tally every disc's shadow.

    Parameters
    ----------
    st, cst : uint64[4]
        xoshiro256+ states of the walk and of the disc-position sampling, advanced in place.
    n_packets : int
        Packets launched at the origin, normal incidence, weight ``w_launch`` (1 - Rsp).
    n, mua, mus, g, z0, z1, cos_crit_up, cos_crit_dn : float64[nl + 2]
        MCML layer arrays (cm, per cm), ambient media at 0 and nl + 1; no clear layers.
    band_lo, band_hi : float
        Depths (cm) enclosing every disc: path pieces between them are stored.
    d_radius, d_lo, d_hi, d_mua : float64[n_discs]
        Each disc's radius, top and bottom depth (cm) and absorption (per cm).
    c_samples : int
        Disc positions sampled per escaping packet.
    sampling : int
        ``SAMPLING_IMPORTANCE`` or ``SAMPLING_UNIFORM`` (module docstring).
    half_width : float
        H (cm) of the uniform sampling square.
    dr, nr
        Radial bins (cm) of the profile; the last bin also takes everything beyond.
    scal : float64[N_SCAL]
        Reflectance without discs (weight) and the count of buffer growths, accumulated.
    dtal : float64[n_discs, N_DISC_TALLY]
        Sheet deficit (weight) and shadow (weight x cm2) per disc, accumulated.
    prof : float64[n_discs, nr]
        Shadow (weight x cm2) by distance of the exit from the disc axis, accumulated.
    """
    nl = n.shape[0] - 2
    seg = np.empty((SEG_CAPACITY, SEG_COLUMNS))
    s0, s1, s2, s3 = st[0], st[1], st[2], st[3]
    q0, q1, q2, q3 = cst[0], cst[1], cst[2], cst[3]
    for _ in range(n_packets):
        w = w_launch
        layer = 1
        x = 0.0
        y = 0.0
        z = z0[1]
        ux = 0.0
        uy = 0.0
        uz = 1.0
        sleft = 0.0
        n_seg = 0
        alive = True
        while alive:
            mut = mua[layer] + mus[layer]
            s, hit, sleft, s0, s1, s2, s3 = step_in_tissue(
                sleft, mut, z, uz, z0[layer], z1[layer], s0, s1, s2, s3
            )
            # Keep the part of the hop inside the discs' depth band.
            ta, tb = _clip_to_band(z, uz, s, band_lo, band_hi)
            if tb > ta:
                if n_seg == seg.shape[0]:
                    grown = np.empty((2 * seg.shape[0], SEG_COLUMNS))
                    grown[:n_seg] = seg[:n_seg]
                    seg = grown
                    scal[S_SEGMENT_OVERFLOW] += 1.0
                seg[n_seg, SEG_X] = x + ta * ux
                seg[n_seg, SEG_Y] = y + ta * uy
                seg[n_seg, SEG_Z] = z + ta * uz
                seg[n_seg, SEG_UX] = ux
                seg[n_seg, SEG_UY] = uy
                seg[n_seg, SEG_UZ] = uz
                seg[n_seg, SEG_LEN] = tb - ta
                n_seg += 1
            x, y, z = hop(x, y, z, ux, uy, uz, s, hit, z0[layer], z1[layer])
            if hit:
                out, layer, ux, uy, uz, s0, s1, s2, s3 = cross_boundary(
                    layer, nl, ux, uy, uz, n, cos_crit_up, cos_crit_dn, s0, s1, s2, s3
                )
                if out == ESCAPED_TOP:
                    scal[S_RD] += w
                    q0, q1, q2, q3 = _tally_escape(
                        seg, n_seg, w, x, y, d_radius, d_lo, d_hi, d_mua, c_samples,
                        sampling, half_width, dr, nr, dtal, prof, q0, q1, q2, q3,
                    )  # fmt: skip
                    alive = False
                elif out == ESCAPED_BOTTOM:
                    alive = False  # transmitted through the bottom
            else:
                # Drop (implicit capture) and Spin, as in MCML.
                w -= w * mua[layer] / mut
                rnd, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
                cost = _spin_cos_theta(g[layer], rnd)
                sint = math.sqrt(1.0 - cost * cost)
                rnd, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
                psi = 2.0 * math.pi * rnd
                ux, uy, uz = spin_direction(ux, uy, uz, cost, sint, math.cos(psi), math.sin(psi))
            if alive and w < WEIGHT_THRESHOLD:
                alive, w, s0, s1, s2, s3 = roulette(w, s0, s1, s2, s3)
    st[0], st[1], st[2], st[3] = s0, s1, s2, s3
    cst[0], cst[1], cst[2], cst[3] = q0, q1, q2, q3


@njit(cache=True, parallel=True)
def simulate_disc_units(
    states, c_states, counts, w_launch, n, mua, mus, g, z0, z1, cos_crit_up, cos_crit_dn,
    band_lo, band_hi, d_radius, d_lo, d_hi, d_mua, c_samples, sampling, half_width,
    dr, nr, scal, dtal, prof,
):  # fmt: skip
    """Run every unit (row of ``states``) in parallel; unit u tallies into row u of
    ``scal``, ``dtal`` and ``prof`` (see :func:`simulate_disc_unit`)."""
    for u in prange(states.shape[0]):
        simulate_disc_unit(
            states[u], c_states[u], counts[u], w_launch, n, mua, mus, g, z0, z1,
            cos_crit_up, cos_crit_dn, band_lo, band_hi, d_radius, d_lo, d_hi, d_mua,
            c_samples, sampling, half_width, dr, nr, scal[u], dtal[u], prof[u],
        )  # fmt: skip
