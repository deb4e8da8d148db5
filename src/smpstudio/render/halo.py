"""The diffuse shadows of the dots: faint Gaussian halos, drawn by splatting and filtering.

Each drawn dot carries a halo (render.states: ``halo_area_mm2`` of full contrast spread as a
Gaussian of ``halo_sigma_mm``), millimetres wide and far fainter than its core. Drawing tens of
thousands of such wide blurred discs one by one would cost ~50 us each; since a Gaussian halo
is a point mass convolved with a Gaussian, the halos are instead splatted as point masses
(bilinear, so each dot's mass is conserved exactly and its centroid kept) into a darkening
image, one per channel, which is then Gaussian-filtered. Dots are grouped by their sigma in
pixels (depth and, in perspective views, distance), in groups ``SIGMA_STEP_FRAC`` wide, each
filtered with its group's mass-weighted mean sigma (scipy.ndimage.gaussian_filter's sampled,
normalised kernel, ``TRUNCATE_SIGMAS`` reach, zero outside the image). Filtering a sparse
image is the same sum as adding each dot's kernel, so that is what :func:`_splat_gaussians`
does: ~25x fewer operations than filtering the whole head per group. The image
is then multiplied by ``1 - darkening``: where halos overlap, their darkenings add, which for faint
halos equals the product rule of the rasteriser to second order.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

SIGMA_STEP_FRAC = 0.25  # sigma groups: 25 % wide in log sigma (a faint, broad shade)
TRUNCATE_SIGMAS = 4.0  # the Gaussian filter's reach
MIN_SIGMA_PX = 0.3  # a finer halo is drawn as a bilinear point mass, unfiltered
MAX_DARKENING = 0.95


def halo_darkening(
    shape: tuple[int, int],
    centers_px: FloatArray,
    area_px2: FloatArray,
    sigma_px: FloatArray,
    contrast: FloatArray,
) -> npt.NDArray[np.float32]:
    """Darkening ``(H, W, 3)`` of Gaussian halos: ``sum_i area_i contrast_i G_sigma_i``.

    Parameters
    ----------
    shape : (H, W) of the image.
    centers_px : (N, 2) halo centres as (x = column, y = row) in pixels (raster convention).
    area_px2 : (N,) each halo's area of full contrast, px^2 (its integral over the image).
    sigma_px : (N,) Gaussian sigma, px.
    contrast : (N, 3) per-channel contrast ``1 - dot / skin``.

    Returns
    -------
    Per-pixel darkening, float32; sums to ``sum(area x contrast)`` less what falls outside
    the image.
    """
    h, w = int(shape[0]), int(shape[1])
    out = np.zeros((h, w, 3), dtype=np.float64)
    xy = np.asarray(centers_px, dtype=np.float64).reshape(-1, 2)
    mass = np.asarray(area_px2, dtype=np.float64)[:, None] * np.asarray(contrast, np.float64)
    sigma = np.asarray(sigma_px, dtype=np.float64)
    keep = np.isfinite(xy).all(axis=1) & (mass.sum(axis=1) != 0.0) & np.isfinite(sigma)
    if not keep.any():
        return out.astype(np.float32)
    xy, mass, sigma = xy[keep], mass[keep], np.maximum(sigma[keep], 0.0)
    group = np.floor(np.log(np.maximum(sigma, MIN_SIGMA_PX)) / math.log1p(SIGMA_STEP_FRAC))
    group_sigma = np.zeros(xy.shape[0])
    for g in np.unique(group):
        sel = group == g
        group_sigma[sel] = float(np.average(sigma[sel], weights=mass[sel].sum(axis=1) + 1e-300))
    _splat_gaussians(out, xy, mass, group_sigma)
    return out.astype(np.float32)


def apply_darkening(image: npt.NDArray[np.float32], darkening: npt.NDArray[np.float32]) -> None:
    """``image *= 1 - darkening`` in place (the darkening clipped to 0..MAX_DARKENING)."""
    np.multiply(image, 1.0 - np.clip(darkening, 0.0, MAX_DARKENING), out=image)


@numba.njit(cache=True, nogil=True)
def _kernel_1d(sigma: float, out: FloatArray) -> int:
    """scipy.ndimage's Gaussian kernel (``TRUNCATE_SIGMAS``, normalised) into ``out``;
    returns its radius R (``out[:2R + 1]`` hold taps ``-R..R``); ``sigma < MIN_SIGMA_PX``:
    the identity (R = 0)."""
    if sigma < MIN_SIGMA_PX:
        out[0] = 1.0
        return 0
    radius = int(TRUNCATE_SIGMAS * sigma + 0.5)
    total = 0.0
    for i in range(2 * radius + 1):
        x = i - radius
        out[i] = math.exp(-0.5 / (sigma * sigma) * x * x)
        total += out[i]
    for i in range(2 * radius + 1):
        out[i] /= total
    return radius


@numba.njit(cache=True, nogil=True)
def _axis_weights(
    f: float, size: int, kernel: FloatArray, radius: int, out: FloatArray
) -> tuple[int, int]:
    """One axis of a dot: bilinear weights of the two pixel centres around ``f`` (corners
    outside ``0..size-1`` dropped, as a bilinear splat into the image does) convolved with the
    kernel and clipped to the image. Returns (first pixel, count) of ``out``."""
    i0 = math.floor(f)
    t = f - i0
    first = max(i0 - radius, 0)
    last = min(i0 + 1 + radius, size - 1)
    n = last - first + 1
    if n <= 0:
        return first, 0
    for k in range(n):
        out[k] = 0.0
    for corner, wt in ((i0, 1.0 - t), (i0 + 1, t)):
        if corner < 0 or corner >= size:
            continue
        for m in range(-radius, radius + 1):
            p = corner + m
            if first <= p <= last:
                out[p - first] += wt * kernel[m + radius]
    return first, n


@numba.njit(cache=True, nogil=True)
def _splat_gaussians(
    out: FloatArray, xy_px: FloatArray, mass: FloatArray, sigma: FloatArray
) -> None:
    """Add each dot's mass ``(N, 3)`` at ``xy_px`` (N, 2), bilinearly placed and spread by a
    sampled Gaussian of ``sigma`` (N,) px, into ``out`` (H, W, 3)."""
    h, w = out.shape[0], out.shape[1]
    max_r = 0
    for d in range(sigma.shape[0]):
        max_r = max(max_r, int(TRUNCATE_SIGMAS * sigma[d] + 0.5))
    kernel = np.empty(2 * max_r + 1)
    wx = np.empty(2 * max_r + 2)
    wy = np.empty(2 * max_r + 2)
    last_sigma = -1.0
    radius = 0
    for d in range(xy_px.shape[0]):
        if sigma[d] != last_sigma:
            radius = _kernel_1d(sigma[d], kernel)
            last_sigma = sigma[d]
        # Pixel centres at integer + 0.5.
        c0, nc = _axis_weights(xy_px[d, 0] - 0.5, w, kernel, radius, wx)
        r0, nr = _axis_weights(xy_px[d, 1] - 0.5, h, kernel, radius, wy)
        for i in range(nr):
            for j in range(nc):
                k = wy[i] * wx[j]
                for c in range(3):
                    out[r0 + i, c0 + j, c] += k * mass[d, c]
