"""Numba kernels of the dot rasteriser; the maths and the public API are in ``raster.py``.

Every kernel here works in pixel units: pixel ``(row, col)`` covers ``[col, col + 1) x
[row, row + 1)``, a dot is a disc of radius ``r`` centred at ``(cx, cy)``. The plain reference
these kernels are checked against is ``_raster_reference.py``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit

#: A blurred dot's footprint reaches this many sigmas past its edge. The Gaussian mass left out
#: is 2 * Phi(-5) = 5.7e-7 per axis, far below the 0.5 % the renderer promises.
TRUNCATION_SIGMAS = 5.0
#: Blur sigmas below this (pixels) draw the exact sharp disc; the coverage a blur this small moves
#: across a pixel edge is at most sigma / sqrt(2 pi) per unit edge length (measured: < 0.25 sigma
#: px^2 per pixel, i.e. < 4e-3 px^2).
SIGMA_MIN_PX = 1.0 / 64.0
#: Sub-cells per blur sigma for the blurred disc (cell side <= sigma / 2) ...
CELLS_PER_SIGMA = 2.0
#: ... with at least / at most this many sub-cells per pixel side ...
SUBDIVISION_MIN = 2
SUBDIVISION_MAX = 16
#: The first-order (centroid) correction of the sub-cells is used when sigma >= this many cell
#: sides; below, the blur is narrower than the cell's Taylor range and the plain uniform cells
#: (exact in the limit sigma -> 0, where cells sit inside their pixels) are closer.
FIRST_ORDER_MIN_SIGMA_CELLS = 0.25
#: ... and at most this many sub-cells across a dot (large dots fall back to coarser cells).
CELLS_PER_SIDE_MAX = 1024

MODE_OVER = 0
MODE_MULTIPLY = 1

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

FloatArray = npt.NDArray[np.float64]
#: (row0, col0, nrows, ncols, sub, cell_row0, cell_col0, ncell_rows, ncell_cols)
Layout = tuple[int, int, int, int, int, int, int, int, int]
#: lines (8, L), cell area / dev_x / dev_y, kx / kx', ky / ky', two temporaries, coverage
Workspace = tuple[
    FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray,
    FloatArray, FloatArray, FloatArray, FloatArray, FloatArray,
]  # fmt: skip


@njit(cache=True)
def half_chord_integral(x: float, r: float) -> float:
    """Integral of sqrt(r^2 - t^2) dt from 0 to x, with x clamped to [-r, r] (odd in x)."""
    if x >= r:
        return 0.25 * math.pi * r * r
    if x <= -r:
        return -0.25 * math.pi * r * r
    return _chord_integral_at(x, math.sqrt((r - x) * (r + x)), r)


@njit(cache=True)
def _chord_integral_at(x: float, h: float, r: float) -> float:
    """The same integral given h = sqrt(r^2 - x^2): (x h + r^2 atan2(x, h)) / 2.

    atan2 instead of asin(x / r) keeps slivers at the disc's rim accurate (asin is
    ill-conditioned near 1), and the derivative in h vanishes on the circle, so an h rounded
    from the caller's data costs only second order.
    """
    return 0.5 * (x * h + r * r * math.atan2(x, h))


@njit(cache=True)
def disc_grid_area(
    dx0: float,
    dy0: float,
    step: float,
    nrows: int,
    ncols: int,
    r: float,
    hx: FloatArray,
    f_prev: FloatArray,
    f_cur: FloatArray,
    out: FloatArray,
) -> None:
    """Exact area of the disc (centre 0, radius r) in each cell of a square grid.

    ``out[i, j]`` receives the area inside ``[dx0 + j step, dx0 + (j + 1) step] x
    [dy0 + i step, dy0 + (i + 1) step]``. It is the inclusion-exclusion of the corner function
    ``F(x, y)`` = area of the disc in ``{X <= x, Y <= y}``, which follows from integrating the
    chord length along x in closed form (``raster.py`` derives it). Only ``nrows + ncols + 2``
    arcsines are evaluated per call; ``hx``, ``f_prev`` and ``f_cur`` are scratch of length
    ``>= ncols + 1``.
    """
    half_area = 0.5 * math.pi * r * r
    for j in range(ncols + 1):
        hx[j] = half_chord_integral(dx0 + j * step, r)
    for i in range(nrows + 1):
        y = dy0 + i * step
        ay = abs(y)
        s = math.sqrt((r - ay) * (r + ay)) if ay < r else 0.0
        hs = _chord_integral_at(s, ay, r) if ay < r else 0.0
        for j in range(ncols + 1):
            x = dx0 + j * step
            if x >= s:
                xs = s
                h = hs
            elif x <= -s:
                xs = -s
                h = -hs
            else:
                xs = x
                h = hx[j]
            # cap = area of the disc in {X <= x, Y <= -|y|}
            cap = h + hs - ay * (xs + s)
            f_cur[j] = cap if y < 0.0 else 2.0 * hx[j] + half_area - cap
            if i > 0 and j > 0:
                out[i - 1, j - 1] = f_cur[j] - f_cur[j - 1] - f_prev[j] + f_prev[j - 1]
        f_prev, f_cur = f_cur, f_prev


@njit(cache=True)
def disc_grid_moments(
    dx0: float,
    dy0: float,
    step: float,
    nrows: int,
    ncols: int,
    r: float,
    lines: FloatArray,
    area: FloatArray,
    dev_x: FloatArray,
    dev_y: FloatArray,
) -> None:
    """Exact area and first moments of the disc (centre 0, radius r) in each grid cell.

    ``area`` as in :func:`disc_grid_area`; ``dev_x[i, j]`` and ``dev_y[i, j]`` are the first
    moments of the cell's part of the disc about the cell's centre (px^3), i.e. area times the
    offset of its centroid from the cell centre. The corner functions are, with ``xs``, ``s``
    and ``a = |y|`` as in ``raster.py``: ``Gx = -((r^2 - xs^2)^1.5 - a^3) / 3 - a (xs^2 - s^2)
    / 2`` below the centre and ``-2 (r^2 - xc^2)^1.5 / 3 - Gx(x, a)`` above;
    ``Gy = (-s^2 (xs + s) + (xs^3 + s^3) / 3) / 2`` on both sides. ``lines`` is scratch of
    shape ``(8, >= ncols + 1)``.
    """
    half_area = 0.5 * math.pi * r * r
    hx, px3 = lines[0], lines[1]
    f_prev, f_cur, gx_prev, gx_cur, gy_prev, gy_cur = (
        lines[2], lines[3], lines[4], lines[5], lines[6], lines[7],
    )  # fmt: skip
    for j in range(ncols + 1):
        x = dx0 + j * step
        hx[j] = half_chord_integral(x, r)
        xc = min(max(x, -r), r)
        px3[j] = ((r - xc) * (r + xc)) ** 1.5
    for i in range(nrows + 1):
        y = dy0 + i * step
        ay = abs(y)
        s = math.sqrt((r - ay) * (r + ay)) if ay < r else 0.0
        hs = _chord_integral_at(s, ay, r) if ay < r else 0.0
        for j in range(ncols + 1):
            x = dx0 + j * step
            if x >= s:
                xs = s
                h = hs
                q3 = ay * ay * ay
            elif x <= -s:
                xs = -s
                h = -hs
                q3 = ay * ay * ay
            else:
                xs = x
                h = hx[j]
                q3 = ((r - xs) * (r + xs)) ** 1.5
            cap = h + hs - ay * (xs + s)
            cap_x = -(q3 - ay * ay * ay) / 3.0 - 0.5 * ay * (xs * xs - s * s)
            gy_cur[j] = 0.5 * (-s * s * (xs + s) + (xs * xs * xs + s * s * s) / 3.0)
            if y < 0.0:
                f_cur[j] = cap
                gx_cur[j] = cap_x
            else:
                f_cur[j] = 2.0 * hx[j] + half_area - cap
                gx_cur[j] = -2.0 * px3[j] / 3.0 - cap_x
            if i > 0 and j > 0:
                m = f_cur[j] - f_cur[j - 1] - f_prev[j] + f_prev[j - 1]
                mx = gx_cur[j] - gx_cur[j - 1] - gx_prev[j] + gx_prev[j - 1]
                my = gy_cur[j] - gy_cur[j - 1] - gy_prev[j] + gy_prev[j - 1]
                area[i - 1, j - 1] = m
                dev_x[i - 1, j - 1] = mx - m * (dx0 + (j - 0.5) * step)
                dev_y[i - 1, j - 1] = my - m * (y - 0.5 * step)
        f_prev, f_cur = f_cur, f_prev
        gx_prev, gx_cur = gx_cur, gx_prev
        gy_prev, gy_cur = gy_cur, gy_prev


@njit(cache=True)
def _psi(t: float) -> float:
    """Antiderivative of the standard normal CDF: t Phi(t) + phi(t)."""
    return t * 0.5 * math.erfc(-t * _SQRT_HALF) + _INV_SQRT_2PI * math.exp(-0.5 * t * t)


@njit(cache=True)
def blur_matrices(
    p0: int,
    npix: int,
    k0: int,
    ncell: int,
    sub: int,
    sigma: float,
    t_buf: FloatArray,
    p_buf: FloatArray,
    weight: FloatArray,
    slope: FloatArray,
) -> None:
    """How a sub-cell's blurred mass lands in pixels along one axis, and its shift derivative.

    For pixel ``p0 + j`` (``[p, p + 1)``) and cell ``k0 + b`` (``[k / sub, (k + 1) / sub)``),
    ``weight[j, b]`` is the mean over the cell of ``B(u) = Phi((p + 1 - u) / sigma) -
    Phi((p - u) / sigma)`` (closed form through ``psi``) and ``slope[j, b]`` its derivative
    with respect to moving the cell (per px). Both depend on ``m = p sub - k`` only, so ``psi``
    and ``Phi`` are tabulated once per call on the lattice ``m / (sub sigma)``.
    """
    m_lo = p0 * sub - (k0 + ncell - 1) - 1
    m_hi = (p0 + npix - 1) * sub - k0 + sub
    inv = 1.0 / (sub * sigma)
    for m in range(m_lo, m_hi + 1):
        t = m * inv
        t_buf[m - m_lo] = _psi(t)
        p_buf[m - m_lo] = 0.5 * math.erfc(-t * _SQRT_HALF)
    scale = sigma * sub
    for j in range(npix):
        for b in range(ncell):
            i = (p0 + j) * sub - (k0 + b) - m_lo
            weight[j, b] = scale * (
                (t_buf[i + sub] - t_buf[i + sub - 1]) - (t_buf[i] - t_buf[i - 1])
            )
            slope[j, b] = sub * ((p_buf[i + sub - 1] - p_buf[i - 1]) - (p_buf[i + sub] - p_buf[i]))


@njit(cache=True)
def _pixel_span(centre: float, reach: float, size: int) -> tuple[int, int]:
    """First pixel and pixel count of [centre - reach, centre + reach] clipped to [0, size)."""
    lo = math.floor(max(centre - reach, -1.0))
    hi = math.floor(min(centre + reach, float(size)))
    first = max(int(lo), 0)
    last = min(int(hi), size - 1)
    return first, last - first + 1


@njit(cache=True)
def subdivision(sigma: float, r: float) -> int:
    """Sub-cells per pixel side used for a blurred dot (module constants explain the bounds)."""
    sub = min(max(math.ceil(CELLS_PER_SIGMA / sigma), SUBDIVISION_MIN), SUBDIVISION_MAX)
    cap = max(CELLS_PER_SIDE_MAX // math.ceil(2.0 * r + 2.0), 1)
    return min(sub, cap)


@njit(cache=True)
def dot_layout(
    cx: float, cy: float, r: float, sigma: float, height: int, width: int
) -> tuple[int, int, int, int, int, int, int, int, int]:
    """Footprint of one dot: (row0, col0, nrows, ncols, sub, cell_row0, cell_col0, ncell_rows,
    ncell_cols). ``sub`` is 0 for a sharp dot (no cells); counts <= 0 mean nothing to draw."""
    if sigma < SIGMA_MIN_PX:
        row0, nrows = _pixel_span(cy, r, height)
        col0, ncols = _pixel_span(cx, r, width)
        return row0, col0, nrows, ncols, 0, 0, 0, 0, 0
    reach = r + TRUNCATION_SIGMAS * sigma
    row0, nrows = _pixel_span(cy, reach, height)
    col0, ncols = _pixel_span(cx, reach, width)
    sub = subdivision(sigma, r)
    tail = TRUNCATION_SIGMAS * sigma
    kr0 = math.floor(max(cy - r, row0 - tail) * sub)
    kr1 = math.floor(min(cy + r, row0 + nrows + tail) * sub)
    kc0 = math.floor(max(cx - r, col0 - tail) * sub)
    kc1 = math.floor(min(cx + r, col0 + ncols + tail) * sub)
    return row0, col0, nrows, ncols, sub, kr0, kc0, kr1 - kr0 + 1, kc1 - kc0 + 1


@njit(cache=True)
def _scratch_sizes(
    centers: FloatArray, radius: FloatArray, sigma: FloatArray, height: int, width: int
) -> tuple[int, int, int, int]:
    """Largest footprint rows/cols and largest sub-cell rows/cols over all dots."""
    max_rows = 1
    max_cols = 1
    max_crows = 1
    max_ccols = 1
    for d in range(centers.shape[0]):
        lay = dot_layout(centers[d, 0], centers[d, 1], radius[d], sigma[d], height, width)
        max_rows = max(max_rows, lay[2])
        max_cols = max(max_cols, lay[3])
        max_crows = max(max_crows, lay[7])
        max_ccols = max(max_ccols, lay[8])
    return max_rows, max_cols, max_crows, max_ccols


@njit(cache=True)
def allocate(max_rows: int, max_cols: int, max_crows: int, max_ccols: int) -> Workspace:
    """Scratch for dots whose footprints and cell grids fit the given sizes."""
    # lattice tables of blur_matrices need (pixels + 1) * sub + cells + 2 entries
    line = (max(max_cols, max_rows) + 1) * (SUBDIVISION_MAX + 1) + max(max_ccols, max_crows) + 4
    return (
        np.zeros((8, line)),
        np.zeros((max_crows, max_ccols)),
        np.zeros((max_crows, max_ccols)),
        np.zeros((max_crows, max_ccols)),
        np.zeros((max_cols, max_ccols)),
        np.zeros((max_cols, max_ccols)),
        np.zeros((max_rows, max_crows)),
        np.zeros((max_rows, max_crows)),
        np.zeros((max_crows, max_cols)),
        np.zeros((max_crows, max_cols)),
        np.zeros((max_rows, max_cols)),
    )


@njit(cache=True)
def blurred_coverage(
    cx: float,
    cy: float,
    r: float,
    sigma: float,
    lay: Layout,
    ws: Workspace,
) -> None:
    """Blurred dot coverage into ``ws[10][:nrows, :ncols]`` (see ``raster.py``, Blur).

    With per-cell areas ``A``, first-moment deviations ``Dx``, ``Dy`` and the one-axis matrices
    ``K`` (weights) and ``K'`` (slopes): ``cov = Ky A Kx^T + Ky Dx Kx'^T + Ky' Dy Kx^T``, i.e.
    each sub-cell is a uniform square moved (to first order) to its part's centroid.
    """
    row0, col0, nrows, ncols, sub, kr0, kc0, ncr, ncc = lay
    lines, area, dev_x, dev_y, kx, kx_s, ky, ky_s, tmp1, tmp2, cov = ws
    step = 1.0 / sub
    first_order = 1.0 if sigma * sub >= FIRST_ORDER_MIN_SIGMA_CELLS else 0.0
    disc_grid_moments(
        kc0 * step - cx, kr0 * step - cy, step, ncr, ncc, r, lines, area, dev_x, dev_y
    )
    blur_matrices(col0, ncols, kc0, ncc, sub, sigma, lines[0], lines[1], kx, kx_s)
    blur_matrices(row0, nrows, kr0, ncr, sub, sigma, lines[0], lines[1], ky, ky_s)
    for a in range(ncr):
        for j in range(ncols):
            acc1 = 0.0
            acc2 = 0.0
            for b in range(ncc):
                acc1 += area[a, b] * kx[j, b] + first_order * dev_x[a, b] * kx_s[j, b]
                acc2 += dev_y[a, b] * kx[j, b]
            tmp1[a, j] = acc1
            tmp2[a, j] = acc2 * first_order
    for i in range(nrows):
        for j in range(ncols):
            acc = 0.0
            for a in range(ncr):
                acc += ky[i, a] * tmp1[a, j] + ky_s[i, a] * tmp2[a, j]
            # The first-order moment term can undershoot by ~1e-5 at tiny sigma; a blurred
            # disc's coverage is physically within [0, 1].
            cov[i, j] = min(max(acc, 0.0), 1.0)


@njit(cache=True)
def dot_coverage(cx: float, cy: float, r: float, sigma: float, lay: Layout, ws: Workspace) -> bool:
    """One dot's coverage into ``ws[10][:nrows, :ncols]``; False when there is nothing to draw."""
    nrows, ncols, sub, ncr, ncc = lay[2], lay[3], lay[4], lay[7], lay[8]
    if nrows <= 0 or ncols <= 0 or r <= 0.0:
        return False
    if sub == 0:
        lines = ws[0]
        disc_grid_area(
            lay[1] - cx, lay[0] - cy, 1.0, nrows, ncols, r, lines[0], lines[1], lines[2], ws[10]
        )
        return True
    if ncr <= 0 or ncc <= 0:
        return False
    blurred_coverage(cx, cy, r, sigma, lay, ws)
    return True


@njit(cache=True, nogil=True)
def splat_kernel(
    image: npt.NDArray[np.float32],
    centers: FloatArray,
    radius: FloatArray,
    rgb: FloatArray,
    opacity: FloatArray,
    sigma: FloatArray,
    mode: int,
    reference_rgb: FloatArray,
) -> None:
    """Composite the dots into ``image`` (H, W, 3) float32 in array order; see ``splat_dots``."""
    height, width = image.shape[0], image.shape[1]
    ws = allocate(*_scratch_sizes(centers, radius, sigma, height, width))
    cov = ws[10]
    mult = np.empty(3)
    for d in range(centers.shape[0]):
        if opacity[d] <= 0.0:
            continue
        cx, cy, r, sg = centers[d, 0], centers[d, 1], radius[d], sigma[d]
        lay = dot_layout(cx, cy, r, sg, height, width)
        if not dot_coverage(cx, cy, r, sg, lay, ws):
            continue
        row0, col0, nrows, ncols = lay[0], lay[1], lay[2], lay[3]
        for ch in range(3):
            mult[ch] = rgb[d, ch] / reference_rgb[ch] if mode == MODE_MULTIPLY else rgb[d, ch]
        for i in range(nrows):
            for j in range(ncols):
                c = cov[i, j]
                if c <= 0.0:
                    continue
                a = min(c, 1.0) * opacity[d]
                row, col = row0 + i, col0 + j
                for ch in range(3):
                    if mode == MODE_MULTIPLY:
                        image[row, col, ch] = image[row, col, ch] * ((1.0 - a) + a * mult[ch])
                    else:
                        image[row, col, ch] = image[row, col, ch] * (1.0 - a) + mult[ch] * a


@njit(cache=True)
def coverage_kernel(
    out: FloatArray, centers: FloatArray, radius: FloatArray, sigma: FloatArray
) -> None:
    """Add every dot's coverage into ``out`` (H, W) float64."""
    height, width = out.shape[0], out.shape[1]
    ws = allocate(*_scratch_sizes(centers, radius, sigma, height, width))
    cov = ws[10]
    for d in range(centers.shape[0]):
        cx, cy, r, sg = centers[d, 0], centers[d, 1], radius[d], sigma[d]
        lay = dot_layout(cx, cy, r, sg, height, width)
        if not dot_coverage(cx, cy, r, sg, lay, ws):
            continue
        row0, col0, nrows, ncols = lay[0], lay[1], lay[2], lay[3]
        for i in range(nrows):
            for j in range(ncols):
                out[row0 + i, col0 + j] += cov[i, j]
