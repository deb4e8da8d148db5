"""Plain, obviously correct references for the dot rasteriser (tests and benchmarks only).

Nothing here is fast; every function is a direct transcription of a textbook formula, written
independently of the numba kernels in ``_raster_kernels.py`` so that the tests can cross-check:

- :func:`disc_rect_area` - exact area of a disc inside an axis-aligned rectangle by the
  circular-segment decomposition: the area above a horizontal line ``y = h >= 0`` between two
  verticals is the integral of ``sqrt(r^2 - x^2) - h``, whose antiderivative is
  ``(x sqrt(r^2 - x^2) + r^2 asin(x / r)) / 2 - h x`` (any calculus table, e.g. Abramowitz and
  Stegun 3.3.49 / 3.3.51); a rectangle is the difference of two such pieces, split at ``y = 0``.
- :func:`blurred_disc_intensity` - the disc convolved with an isotropic Gaussian, at distance
  ``rho`` from its centre: the probability that a 2-D normal of standard deviation ``sigma``
  centred at that point falls inside the disc, ``1 - Q_1(rho / sigma, r / sigma)`` (Marcum Q),
  i.e. the CDF of a non-central chi-square with 2 degrees of freedom, non-centrality
  ``(rho / sigma)^2``, at ``(r / sigma)^2`` (Marcum 1950; scipy.special.chndtr).
- :func:`blurred_pixel_coverage` - that intensity integrated over pixels by composite
  Gauss-Legendre quadrature (brute force, converged by refinement in the tests).
- :func:`splat_reference` - compositing dot by dot with Python loops.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

FloatArray = npt.NDArray[np.float64]


def _strip_above(x0: FloatArray, x1: FloatArray, h: FloatArray, r: FloatArray) -> FloatArray:
    """Area of the disc (centre 0, radius r) with x0 < x < x1 and y > h, for h >= 0."""
    half_chord = np.sqrt(np.maximum((r - h) * (r + h), 0.0))

    def antiderivative(x: FloatArray) -> FloatArray:
        # asin(x / r) written as atan2(x, sqrt(r^2 - x^2)): well-conditioned at the rim
        chord = np.sqrt(np.maximum((r - x) * (r + x), 0.0))
        return 0.5 * (x * chord + r * r * np.arctan2(x, chord)) - h * x

    lo = np.clip(x0, -half_chord, half_chord)
    hi = np.clip(x1, -half_chord, half_chord)
    return antiderivative(hi) - antiderivative(lo)


def disc_rect_area(
    cx: npt.ArrayLike,
    cy: npt.ArrayLike,
    r: npt.ArrayLike,
    x0: npt.ArrayLike,
    x1: npt.ArrayLike,
    y0: npt.ArrayLike,
    y1: npt.ArrayLike,
) -> FloatArray:
    """Exact area of the disc (cx, cy, r) inside [x0, x1] x [y0, y1]; broadcasts, x0 <= x1."""
    cx, cy, r, x0, x1, y0, y1 = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (cx, cy, r, x0, x1, y0, y1))
    )
    ax0, ax1 = x0 - cx, x1 - cx
    ay0, ay1 = y0 - cy, y1 - cy
    zero = np.zeros_like(r)
    # both edges above the centre line, both below (mirror), or straddling it
    above = _strip_above(ax0, ax1, np.maximum(ay0, 0.0), r) - _strip_above(
        ax0, ax1, np.maximum(ay1, 0.0), r
    )
    below = _strip_above(ax0, ax1, np.maximum(-ay1, 0.0), r) - _strip_above(
        ax0, ax1, np.maximum(-ay0, 0.0), r
    )
    area = np.where(ay0 >= 0.0, above, zero) + np.where(ay1 <= 0.0, below, zero)
    straddle = (ay0 < 0.0) & (ay1 > 0.0)
    straddle_area = (
        2.0 * _strip_above(ax0, ax1, zero, r)
        - _strip_above(ax0, ax1, np.maximum(ay1, 0.0), r)
        - _strip_above(ax0, ax1, np.maximum(-ay0, 0.0), r)
    )
    return np.asarray(np.where(straddle, straddle_area, area), dtype=np.float64)


def pixel_coverage(cx: float, cy: float, r: float, height: int, width: int) -> FloatArray:
    """Exact coverage of every pixel of an (height, width) image by one sharp disc."""
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)
    return disc_rect_area(cx, cy, r, cols, cols + 1.0, rows, rows + 1.0)


def blurred_disc_intensity(rho: npt.ArrayLike, r: float, sigma: float) -> FloatArray:
    """Disc of radius r convolved with a Gaussian of std sigma, at distance rho (same units)."""
    rho = np.asarray(rho, dtype=np.float64)
    return np.asarray(special.chndtr((r / sigma) ** 2, 2.0, (rho / sigma) ** 2), dtype=np.float64)


def blurred_pixel_coverage(
    cx: float,
    cy: float,
    r: float,
    sigma: float,
    rows: npt.ArrayLike,
    cols: npt.ArrayLike,
    sub: int = 8,
    order: int = 8,
) -> FloatArray:
    """Blurred disc integrated over pixels (rows[k], cols[k]) by sub x sub Gauss-Legendre cells.

    Each pixel is split into ``sub`` x ``sub`` cells with an ``order`` x ``order`` rule in each;
    the integrand is smooth on the scale ``sigma``, so ``sub / sigma`` of a few suffices.
    """
    rows = np.atleast_1d(np.asarray(rows, dtype=np.float64))
    cols = np.atleast_1d(np.asarray(cols, dtype=np.float64))
    nodes, weights = np.polynomial.legendre.leggauss(order)
    offsets = ((np.arange(sub)[:, None] + 0.5 * (nodes[None, :] + 1.0)) / sub).ravel()
    w1 = np.tile(weights / (2.0 * sub), sub)
    w2 = np.outer(w1, w1).ravel()
    dy, dx = (g.ravel() for g in np.meshgrid(offsets, offsets, indexing="ij"))
    out = np.empty(rows.shape)
    for k in range(rows.size):
        rho = np.hypot(cols[k] + dx - cx, rows[k] + dy - cy)
        out[k] = float(np.dot(w2, blurred_disc_intensity(rho, r, sigma)))
    return out


def splat_reference(
    image: npt.NDArray[np.float32],
    centers_px: FloatArray,
    radius_px: FloatArray,
    rgb: FloatArray,
    opacity: FloatArray,
    mode: str = "over",
    multiply_reference_rgb: FloatArray | None = None,
) -> None:
    """Sharp dots composited one by one with Python loops (same rules as ``splat_dots``)."""
    height, width = image.shape[:2]
    for d in range(len(radius_px)):
        cx, cy = float(centers_px[d, 0]), float(centers_px[d, 1])
        r = float(radius_px[d])
        c_lo, c_hi = max(int(np.floor(cx - r)), 0), min(int(np.floor(cx + r)), width - 1)
        r_lo, r_hi = max(int(np.floor(cy - r)), 0), min(int(np.floor(cy + r)), height - 1)
        for row in range(r_lo, r_hi + 1):
            for col in range(c_lo, c_hi + 1):
                cov = float(disc_rect_area(cx, cy, r, col, col + 1, row, row + 1))
                a = min(max(cov, 0.0), 1.0) * float(opacity[d])
                for ch in range(3):
                    old = float(image[row, col, ch])
                    if mode == "multiply":
                        assert multiply_reference_rgb is not None
                        factor = (1.0 - a) + a * float(rgb[d, ch]) / float(
                            multiply_reference_rgb[ch]
                        )
                        image[row, col, ch] = old * factor
                    else:
                        image[row, col, ch] = old * (1.0 - a) + float(rgb[d, ch]) * a
