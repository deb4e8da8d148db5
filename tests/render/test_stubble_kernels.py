"""The fast paths of the view renderer against the exact code they replace.

- Small blurred shaft discs (render._stubble_kernels): the equal-moment Gaussian against the
  rasteriser's exact blurred disc (raster.coverage_image), per pixel.
- Dot halos (render.halo): adding each dot's sampled Gaussian kernel against the plain
  "bilinear point masses, then scipy.ndimage.gaussian_filter per sigma group" algorithm.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from smpstudio.render import halo
from smpstudio.render._stubble_kernels import (
    GAUSS_MAX_R_OVER_SIGMA,
    GAUSS_MAX_RADIUS_PX,
    GAUSS_MAX_SIGMA_PX,
    gaussian_path,
    splat_gaussian_multiply,
)
from smpstudio.render.raster import coverage_image, splat_dots


@settings(max_examples=60, deadline=None)
@given(
    r_frac=st.floats(0.05, 1.0),
    sigma=st.floats(0.3, GAUSS_MAX_SIGMA_PX),
    cx=st.floats(-1.5, 13.5),
    cy=st.floats(-1.5, 13.5),
)
def test_gaussian_disc_matches_exact_blurred_disc(
    r_frac: float, sigma: float, cx: float, cy: float
) -> None:
    """Within the Gaussian path's range, every pixel's coverage is within 1 % of the disc's
    area of the exact blurred disc's, also where the disc is clipped by the border."""
    r = r_frac * min(GAUSS_MAX_RADIUS_PX, GAUSS_MAX_R_OVER_SIGMA * sigma)
    assert gaussian_path(np.array([r]), np.array([sigma]))[0]
    exact = coverage_image(12, 12, [[cx, cy]], [r], [sigma])
    image = np.ones((12, 12, 3), dtype=np.float32)
    # factor 0, opacity 1: each pixel becomes 1 - coverage (coverage stays below 1 here).
    splat_gaussian_multiply(
        image, np.array([[cx, cy]]), np.array([r]), np.array([sigma]), np.zeros(3), 1.0
    )
    got = 1.0 - image[..., 0].astype(np.float64)
    assert np.abs(got - exact).max() <= 0.01 * math.pi * r * r + 1e-6


def test_gaussian_path_bounds() -> None:
    """Large, sharp or barely blurred discs stay on the exact path."""
    r = np.array([0.4, 0.9, 0.4, 0.4, 0.4])
    s = np.array([0.4, 0.9, 0.0, 0.2, 1.5])
    assert gaussian_path(r, s).tolist() == [True, False, False, False, False]


def test_shaft_composite_close_to_exact() -> None:
    """Many overlapping shaft discs composited with the multiply rule: the Gaussian path's
    picture is within 0.5 % of the exact rasteriser's, pixel by pixel."""
    rng = np.random.default_rng(7)
    n = 400
    centers = rng.uniform(2.0, 38.0, (n, 2))
    radius = rng.uniform(0.1, 0.5, n)
    sigma = rng.uniform(0.34, 0.4, n)
    skin = np.array([0.6, 0.45, 0.38])
    shaft = np.array([0.3, 0.2, 0.15])
    exact = np.full((40, 40, 3), 0.5, dtype=np.float32)
    splat_dots(
        exact, centers, radius, shaft, 0.45, sigma, mode="multiply", multiply_reference_rgb=skin
    )
    fast = np.full((40, 40, 3), 0.5, dtype=np.float32)
    splat_gaussian_multiply(fast, centers, radius, sigma, shaft / skin, 0.45)
    assert np.abs(fast - exact).max() <= 0.005 * 0.5
    assert (fast < 0.5).sum() > 500  # the shafts did darken the picture


def _halo_reference(
    shape: tuple[int, int],
    xy: np.ndarray,
    area: np.ndarray,
    sigma: np.ndarray,
    contrast: np.ndarray,
) -> np.ndarray:
    """The plain algorithm: bilinear point masses into the image, then one Gaussian filter
    per sigma group (mass-weighted mean sigma), zero outside the image."""
    h, w = shape
    mass = area[:, None] * contrast
    group = np.floor(
        np.log(np.maximum(sigma, halo.MIN_SIGMA_PX)) / math.log1p(halo.SIGMA_STEP_FRAC)
    )
    out = np.zeros((h, w, 3))
    for g in np.unique(group):
        sel = group == g
        s = float(np.average(sigma[sel], weights=mass[sel].sum(axis=1) + 1e-300))
        acc = np.zeros((h, w, 3))
        fx, fy = xy[sel, 0] - 0.5, xy[sel, 1] - 0.5
        ix, iy = np.floor(fx).astype(int), np.floor(fy).astype(int)
        tx, ty = fx - ix, fy - iy
        for dx, dy, wt in (
            (0, 0, (1 - tx) * (1 - ty)),
            (1, 0, tx * (1 - ty)),
            (0, 1, (1 - tx) * ty),
            (1, 1, tx * ty),
        ):
            for p, (cx, cy) in enumerate(zip(ix + dx, iy + dy, strict=True)):
                if 0 <= cx < w and 0 <= cy < h:
                    acc[cy, cx] += wt[p] * mass[sel][p]
        if s >= halo.MIN_SIGMA_PX:
            for c in range(3):
                acc[..., c] = ndimage.gaussian_filter(
                    acc[..., c], s, mode="constant", truncate=halo.TRUNCATE_SIGMAS
                )
        out += acc
    return out


def test_halo_splat_matches_filtered_point_masses() -> None:
    """Per-dot kernels equal bilinear masses filtered per group (dots inside, on and past the
    border, several sigma groups, sub-threshold sigmas drawn as point masses)."""
    rng = np.random.default_rng(3)
    n = 300
    xy = rng.uniform(-6.0, 66.0, (n, 2))
    area = rng.uniform(0.5, 3.0, n)
    sigma = np.exp(rng.uniform(math.log(0.1), math.log(4.0), n))
    contrast = rng.uniform(0.0, 0.8, (n, 3))
    got = halo.halo_darkening((50, 60), xy, area, sigma, contrast).astype(np.float64)
    ref = _halo_reference((50, 60), xy, area, sigma, contrast)
    assert np.abs(got - ref).max() <= 1e-6 * max(ref.max(), 1.0)
    assert ref.max() > 0.1
