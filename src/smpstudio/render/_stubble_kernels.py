"""Numba kernel that draws the faint, blurred shafts of the stubble: small blurred discs.

A hair's shaft under the skin is drawn as a chain of sub-pixel discs, each blurred by the
epidermis above it (views.SHAFT_BLUR_MM, ~0.35 px in a 1024 px view). The rasteriser's exact
blurred disc (raster.splat_dots) subdivides every pixel and costs ~5 us per disc; at tens of
thousands of discs per view that was the largest part of drawing a view. Here a small disc of
radius ``r`` blurred by a Gaussian of ``sigma`` is replaced by the Gaussian of equal mass
``pi r^2`` and equal second moment, ``s^2 = sigma^2 + r^2 / 4`` (a uniform disc has variance
``r^2 / 4`` per axis), integrated exactly over each pixel (a product of two differences of
the normal CDF). The two kernels differ only in the fourth moment (the disc's excess kurtosis
is ``-r^4 / 16`` per axis); for ``r <= GAUSS_MAX_RADIUS_PX`` and ``r <= GAUSS_MAX_R_OVER_SIGMA
sigma`` the per-pixel coverage differs by less than 1 % of the disc's area (measured in
tests/render/test_stubble_kernels.py against raster.coverage_image), far below what an 8-bit
picture shows for a 45 % opaque shaft. Compositing is the rasteriser's ``"multiply"`` rule,
dot after dot, so the result does not depend on which discs take this path.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Discs at most this large (px) ...
GAUSS_MAX_RADIUS_PX = 0.75
#: ... at most this many blur sigmas in radius ...
GAUSS_MAX_R_OVER_SIGMA = 1.25
#: ... and blurred by at most this much (px) take the Gaussian path.
GAUSS_MAX_SIGMA_PX = 1.0
#: The Gaussian's footprint reaches this many sigmas (mass left out: 2 Phi(-5) = 5.7e-7 per axis).
REACH_SIGMAS = 5.0
#: Most pixels per axis of one footprint (s < 1.1 px for the discs above: 10 s + 2 < 13).
MAX_SPAN_PX = 16

_INV_SQRT2 = 1.0 / math.sqrt(2.0)


def gaussian_path(radius_px: FloatArray, sigma_px: FloatArray) -> npt.NDArray[np.bool_]:
    """Which discs the Gaussian kernel draws within its accuracy (module docstring)."""
    r = np.asarray(radius_px, dtype=np.float64)
    s = np.asarray(sigma_px, dtype=np.float64)
    return (
        (r <= GAUSS_MAX_RADIUS_PX)
        & (s > 0.0)
        & (s <= GAUSS_MAX_SIGMA_PX)
        & (r <= GAUSS_MAX_R_OVER_SIGMA * s)
    )


@numba.njit(cache=True, nogil=True)
def _axis_weights(centre: float, s: float, size: int, out: FloatArray) -> tuple[int, int]:
    """Gaussian mass of each pixel along one axis: ``out[:n]`` for pixels ``first..first+n``."""
    first = max(math.floor(centre - REACH_SIGMAS * s), 0)
    last = min(math.floor(centre + REACH_SIGMAS * s), size - 1)
    n = min(last - first + 1, MAX_SPAN_PX)
    if n <= 0:
        return first, 0
    k = _INV_SQRT2 / s
    lo = math.erf((first - centre) * k)
    for i in range(n):
        hi = math.erf((first + i + 1 - centre) * k)
        out[i] = 0.5 * (hi - lo)
        lo = hi
    return first, n


@numba.njit(cache=True, nogil=True)
def splat_gaussian_multiply(
    image: npt.NDArray[np.float32],
    centers: FloatArray,
    radius: FloatArray,
    sigma: FloatArray,
    factor: FloatArray,
    opacity: float,
) -> None:
    """Composite small blurred discs into ``image`` (H, W, 3) float32, in place, in order.

    ``centers`` (P, 2) as (x, y) px, ``radius`` and ``sigma`` (P,) px, ``factor`` (3,): the
    dot colour over the reference skin colour (the ``"multiply"`` rule's ratio). Each pixel
    becomes ``pixel * ((1 - a) + a * factor)`` with ``a = min(coverage, 1) * opacity``.
    """
    height, width = image.shape[0], image.shape[1]
    wx = np.empty(MAX_SPAN_PX)
    wy = np.empty(MAX_SPAN_PX)
    for d in range(centers.shape[0]):
        r = radius[d]
        if r <= 0.0:
            continue
        s = math.sqrt(sigma[d] * sigma[d] + 0.25 * r * r)
        mass = math.pi * r * r
        col0, ncols = _axis_weights(centers[d, 0], s, width, wx)
        row0, nrows = _axis_weights(centers[d, 1], s, height, wy)
        for i in range(nrows):
            ci = mass * wy[i]
            row = row0 + i
            for j in range(ncols):
                c = ci * wx[j]
                if c <= 0.0:
                    continue
                a = min(c, 1.0) * opacity
                col = col0 + j
                for ch in range(3):
                    image[row, col, ch] = image[row, col, ch] * ((1.0 - a) + a * factor[ch])
