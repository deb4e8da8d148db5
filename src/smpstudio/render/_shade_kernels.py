"""Numba kernels of the bodies around the head (neck, ears) and of skin shading.

The neck is an elliptic cylinder under the head and each ear an ellipsoid (sizes in
:mod:`smpstudio.render.headmodel`); both are intersected in closed form. Shading is the
portrait lighting of :mod:`smpstudio.render.shading`: wrapped Lambert, sky and ground light,
a Schlick-Fresnel sheen, an ambient-occlusion term where two bodies meet, and a faint value-noise
mottling. The parameters travel as float64 vectors indexed by the ``S_*`` (shading) and
``N_*``/``EAR_*`` (bodies) constants.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

# Shading vector (shading.ShadingParams.vector).
S_ALBEDO, S_KEY_DIR, S_KEY_RGB, S_WRAP, S_SKY_RGB, S_GROUND_RGB = 0, 3, 6, 9, 12, 15
S_SPEC, S_SHINE, S_BG, S_TEX, S_AO, S_AO_MM, S_VIGNETTE = 18, 19, 20, 23, 24, 25, 26
# Face fade (shading.ShadingParams.vector, headmodel.HeadModel.trace): below the brow, in front
# of the temples, the skin fades into the background (heights z and fronts y, head frame, mm).
S_FADE_Z_TOP, S_FADE_Z_BOTTOM, S_FADE_Y_BACK, S_FADE_Y_FRONT = 27, 28, 29, 30
N_SHADING = 31
# Body vector (headmodel.HeadModel.body): the neck (centre y, half-width in x, half-depth in y,
# top z), then two ears, each an ellipsoid: centre (3), local axes as rows (3 x 3), semi-axes (3).
N_YC, N_AX, N_BY, N_ZTOP = 0, 1, 2, 3
EAR_LEFT, EAR_RIGHT, EAR_SIZE = 4, 19, 15
N_BODY = 34


@numba.njit(cache=True)
def hit_neck(o: FloatArray, d: FloatArray, body: FloatArray) -> float:
    """Distance to the outside of the neck cylinder below its top, or -1."""
    ax, by = body[N_AX], body[N_BY]
    ox, oy = o[0] / ax, (o[1] - body[N_YC]) / by
    dx, dy = d[0] / ax, d[1] / by
    qa = dx * dx + dy * dy
    if qa < 1e-14:
        return -1.0
    qb = ox * dx + oy * dy
    qc = ox * ox + oy * oy - 1.0
    disc = qb * qb - qa * qc
    if disc <= 0.0:
        return -1.0
    t = (-qb - math.sqrt(disc)) / qa
    if t <= 0.0 or o[2] + t * d[2] > body[N_ZTOP]:
        return -1.0
    return t


@numba.njit(cache=True)
def neck_gap(p: FloatArray, body: FloatArray) -> float:
    """Approximate distance (mm) from a point to the neck (0 inside)."""
    ex = p[0] / body[N_AX]
    ey = (p[1] - body[N_YC]) / body[N_BY]
    gap = (math.sqrt(ex * ex + ey * ey) - 1.0) * min(body[N_AX], body[N_BY])
    return max(gap, p[2] - body[N_ZTOP], 0.0)


@numba.njit(cache=True)
def _local_axis(v: FloatArray, body: FloatArray, e: int, shift: bool, i: int) -> float:
    """Component ``i`` of ``v`` in the ear's scaled local frame (a point if ``shift``, else
    a direction)."""
    acc = 0.0
    for k in range(3):
        comp = v[k] - body[e + k] if shift else v[k]
        acc += body[e + 3 + 3 * i + k] * comp
    return acc / body[e + 12 + i]


@numba.njit(cache=True)
def _local(v: FloatArray, body: FloatArray, e: int, shift: bool) -> tuple[float, float, float]:
    """``v`` in the ear's scaled local frame, as a tuple: these run for every ray and every
    shaded point, and a tuple needs no heap allocation, unlike a small array."""
    return (
        _local_axis(v, body, e, shift, 0),
        _local_axis(v, body, e, shift, 1),
        _local_axis(v, body, e, shift, 2),
    )


@numba.njit(cache=True)
def hit_ear(o: FloatArray, d: FloatArray, body: FloatArray, e: int) -> float:
    """Distance to the ear ellipsoid starting at ``body[e]``, or -1."""
    lo = _local(o, body, e, True)
    ld = _local(d, body, e, False)
    qa = ld[0] * ld[0] + ld[1] * ld[1] + ld[2] * ld[2]
    qb = lo[0] * ld[0] + lo[1] * ld[1] + lo[2] * ld[2]
    qc = lo[0] * lo[0] + lo[1] * lo[1] + lo[2] * lo[2] - 1.0
    disc = qb * qb - qa * qc
    if disc <= 0.0:
        return -1.0
    t = (-qb - math.sqrt(disc)) / qa
    return t if t > 0.0 else -1.0


@numba.njit(cache=True)
def ear_gap(p: FloatArray, body: FloatArray, e: int) -> float:
    """Approximate distance (mm) from a point to an ear (0 inside)."""
    lp = _local(p, body, e, True)
    level = math.sqrt(lp[0] * lp[0] + lp[1] * lp[1] + lp[2] * lp[2])
    semi = min(body[e + 12], body[e + 13], body[e + 14])
    return max((level - 1.0) * semi, 0.0)


@numba.njit(cache=True)
def ear_normal(p: FloatArray, body: FloatArray, e: int, n: FloatArray) -> None:
    """Outward unit normal of an ear at a point on it, into ``n``."""
    lp = _local(p, body, e, True)
    for k in range(3):
        acc = 0.0
        for i in range(3):
            acc += body[e + 3 + 3 * i + k] * lp[i] / body[e + 12 + i]
        n[k] = acc
    norm = math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2])
    for k in range(3):
        n[k] /= norm


@numba.njit(cache=True)
def _hash(ix: int, iy: int, iz: int) -> float:
    h = np.uint64(ix & 0xFFFFFFFF) * np.uint64(0x9E3779B97F4A7C15)
    h ^= np.uint64(iy & 0xFFFFFFFF) * np.uint64(0xC2B2AE3D27D4EB4F)
    h ^= np.uint64(iz & 0xFFFFFFFF) * np.uint64(0x165667B19E3779F9)
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(32)
    return float(h >> np.uint64(40)) / 16777216.0


@numba.njit(cache=True)
def value_noise(x: float, y: float, z: float) -> float:
    """Smooth value noise in -0.5..0.5 on the unit lattice (Perlin 1985, SIGGRAPH)."""
    ix, iy, iz = math.floor(x), math.floor(y), math.floor(z)
    fx, fy, fz = x - ix, y - iy, z - iz
    ux = fx * fx * (3.0 - 2.0 * fx)
    uy = fy * fy * (3.0 - 2.0 * fy)
    uz = fz * fz * (3.0 - 2.0 * fz)
    i, j, k = int(ix), int(iy), int(iz)
    acc = 0.0
    for a in range(2):
        wa = ux if a else 1.0 - ux
        for b in range(2):
            wb = uy if b else 1.0 - uy
            for c in range(2):
                wc = uz if c else 1.0 - uz
                acc += wa * wb * wc * _hash(i + a, j + b, k + c)
    return acc - 0.5


@numba.njit(cache=True)
def _smoothstep(t: float) -> float:
    t = min(max(t, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


@numba.njit(cache=True)
def background(x_frac: float, y_frac: float, sh: FloatArray, out: FloatArray) -> None:
    """The backdrop at image position (x, y) as fractions of the width and height, into
    ``out``: the neutral ground with a faint vignette."""
    sx = (x_frac - 0.5) * 2.0
    sy = (y_frac - 0.5) * 2.0
    vig = 1.0 - sh[S_VIGNETTE] * (sx * sx + sy * sy) * 0.5
    for c in range(3):
        out[c] = sh[S_BG + c] * vig


@numba.njit(cache=True)
def face_fade(p: FloatArray, sh: FloatArray) -> float:
    """How much of the backdrop replaces the skin at ``p`` (0..1): a smooth ramp from the brow
    down to ``S_FADE_Z_BOTTOM``, on the front of the head only (0 where the ramp is unset)."""
    z_top, z_bottom = sh[S_FADE_Z_TOP], sh[S_FADE_Z_BOTTOM]
    y_back, y_front = sh[S_FADE_Y_BACK], sh[S_FADE_Y_FRONT]
    if not (z_top > z_bottom and y_front > y_back):
        return 0.0
    down = _smoothstep((z_top - p[2]) / (z_top - z_bottom))
    return down * _smoothstep((p[1] - y_back) / (y_front - y_back))


@numba.njit(cache=True)
def _shade(
    p: FloatArray,
    n: FloatArray,
    v: FloatArray,
    ao: float,
    px_mm: float,
    sh: FloatArray,
    out: FloatArray,
) -> None:
    """Skin colour at a point: wrapped Lambert key light, sky/ground light, a soft sheen."""
    ndl = n[0] * sh[S_KEY_DIR] + n[1] * sh[S_KEY_DIR + 1] + n[2] * sh[S_KEY_DIR + 2]
    sky = 0.5 + 0.5 * n[2]
    hx, hy, hz = sh[S_KEY_DIR] + v[0], sh[S_KEY_DIR + 1] + v[1], sh[S_KEY_DIR + 2] + v[2]
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    ndh = max((n[0] * hx + n[1] * hy + n[2] * hz) / hn, 0.0) if hn > 0.0 else 0.0
    ndv = max(n[0] * v[0] + n[1] * v[1] + n[2] * v[2], 0.0)
    fresnel = 0.04 + 0.96 * (1.0 - ndv) ** 5  # Schlick 1994, skin F0 ~ 0.028-0.04
    spec = sh[S_SPEC] * fresnel / 0.04 * ndh ** sh[S_SHINE] * (1.0 if ndl > 0.0 else 0.0)
    # Mottling: two octaves of value noise, faded out where a pixel spans a feature.
    tex = 1.0
    for scale_mm, amp in ((9.0, 1.0), (2.5, 0.7)):
        fade = min(max(2.0 - 2.0 * px_mm / (0.5 * scale_mm), 0.0), 1.0)
        if fade > 0.0:
            tex += (
                sh[S_TEX]
                * amp
                * fade
                * value_noise(p[0] / scale_mm, p[1] / scale_mm, p[2] / scale_mm)
            )
    for c in range(3):
        w = sh[S_WRAP + c]
        diff = max((ndl + w) / (1.0 + w), 0.0)
        light = sh[S_KEY_RGB + c] * diff + sh[S_SKY_RGB + c] * sky
        light += sh[S_GROUND_RGB + c] * (1.0 - sky)
        out[c] = sh[S_ALBEDO + c] * light * ao * tex + spec * sh[S_KEY_RGB + c]
