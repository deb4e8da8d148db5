"""The diffuse shadows of the dots: faint Gaussian halos, drawn by splatting and filtering.

Each drawn dot carries a halo (render.states: ``halo_area_mm2`` of full contrast spread as a
Gaussian of ``halo_sigma_mm``), millimetres wide and far fainter than its core. Drawing tens of
thousands of such wide blurred discs one by one would cost ~50 us each; since a Gaussian halo
is a point mass convolved with a Gaussian, the halos are instead splatted as point masses
(bilinear, so each dot's mass is conserved exactly and its centroid kept) into a darkening
image, one per channel, which is then Gaussian-filtered. Dots are grouped by their sigma in
pixels (depth and, in perspective views, distance), in groups ``SIGMA_STEP_FRAC`` wide, each
filtered with its group's mass-weighted mean sigma over the bounding box of its dots. The image
is then multiplied by ``1 - darkening``: where halos overlap, their darkenings add, which for faint
halos equals the product rule of the rasteriser to second order.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy import ndimage

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
    for g in np.unique(group):
        sel = group == g
        s = float(np.average(sigma[sel], weights=mass[sel].sum(axis=1) + 1e-300))
        reach = math.ceil(TRUNCATE_SIGMAS * s) + 2
        x0 = max(int(np.floor(xy[sel, 0].min())) - reach, 0)
        x1 = min(int(np.ceil(xy[sel, 0].max())) + reach, w)
        y0 = max(int(np.floor(xy[sel, 1].min())) - reach, 0)
        y1 = min(int(np.ceil(xy[sel, 1].max())) + reach, h)
        if x0 >= x1 or y0 >= y1:
            continue
        acc = np.zeros((y1 - y0, x1 - x0, 3))
        _splat_bilinear(acc, xy[sel] - np.array([x0, y0]), mass[sel])
        if s >= MIN_SIGMA_PX:
            for c in range(3):
                acc[..., c] = ndimage.gaussian_filter(
                    acc[..., c], s, mode="constant", truncate=TRUNCATE_SIGMAS
                )
        out[y0:y1, x0:x1] += acc
    return out.astype(np.float32)


def _splat_bilinear(acc: FloatArray, xy_px: FloatArray, mass: FloatArray) -> None:
    """Add point masses ``(N, 3)`` at ``xy_px`` (N, 2) to ``acc`` (H, W, 3), bilinearly
    between the four nearest pixel centres (mass outside the array is dropped)."""
    h, w = acc.shape[:2]
    fx, fy = xy_px[:, 0] - 0.5, xy_px[:, 1] - 0.5  # pixel centres at integer + 0.5
    ix, iy = np.floor(fx).astype(np.int64), np.floor(fy).astype(np.int64)
    tx, ty = fx - ix, fy - iy
    for dx, dy, wt in (
        (0, 0, (1 - tx) * (1 - ty)),
        (1, 0, tx * (1 - ty)),
        (0, 1, (1 - tx) * ty),
        (1, 1, tx * ty),
    ):
        cx, cy = ix + dx, iy + dy
        ok = (cx >= 0) & (cx < w) & (cy >= 0) & (cy < h)
        flat = cy[ok] * w + cx[ok]
        for c in range(3):
            acc[..., c] += np.bincount(flat, wt[ok] * mass[ok, c], minlength=h * w).reshape(h, w)


def apply_darkening(image: npt.NDArray[np.float32], darkening: npt.NDArray[np.float32]) -> None:
    """``image *= 1 - darkening`` in place (the darkening clipped to 0..MAX_DARKENING)."""
    np.multiply(image, 1.0 - np.clip(darkening, 0.0, MAX_DARKENING), out=image)
