"""Blurred dots: conservation and accuracy against brute-force quadrature of the exact shape."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.render import _raster_reference as ref
from smpstudio.render.raster import coverage_image

# (radius_px, sigma_px, max abs error allowed in px^2): measured 5e-6 .. 3e-4 (raster.py, Blur)
CASES = [(0.4, 0.2, 5e-4), (1.0, 0.5, 5e-4), (0.6, 1.5, 5e-4), (3.0, 0.4, 5e-4), (0.3, 2.0, 5e-4)]


@pytest.mark.parametrize(("radius_px", "sigma_px", "tolerance"), CASES)
def test_blurred_dot_matches_exact_blurred_disc(
    radius_px: float, sigma_px: float, tolerance: float
) -> None:
    cx, cy = 8.37, 7.81
    cov = coverage_image(16, 16, [[cx, cy]], [radius_px], [sigma_px])
    reach = radius_px + 4.0 * sigma_px
    rows, cols = np.nonzero(
        (np.abs(np.arange(16)[:, None] + 0.5 - cy) < reach + 1)
        & (np.abs(np.arange(16)[None, :] + 0.5 - cx) < reach + 1)
    )
    # quadrature cells of <= sigma / 2.5 with an 8-point rule: converged to 1e-12 (checked by
    # doubling) for these cases
    sub = int(np.ceil(2.5 / sigma_px))
    exact = ref.blurred_pixel_coverage(cx, cy, radius_px, sigma_px, rows, cols, sub=sub, order=8)
    error = np.abs(cov[rows, cols] - exact)
    assert error.max() < tolerance
    # and the blur is real: the sharp disc would be far off
    sharp = coverage_image(16, 16, [[cx, cy]], [radius_px])
    assert np.abs(sharp[rows, cols] - exact).max() > 10 * tolerance


@settings(max_examples=40, deadline=None)
@given(
    cx=st.floats(20.0, 28.0),
    cy=st.floats(20.0, 28.0),
    radius_px=st.floats(0.05, 6.0),
    sigma_px=st.floats(0.0, 3.0),
)
def test_blurred_dot_conserves_coverage(
    cx: float, cy: float, radius_px: float, sigma_px: float
) -> None:
    cov = coverage_image(48, 48, [[cx, cy]], [radius_px], [sigma_px])
    assert cov.sum() == pytest.approx(np.pi * radius_px**2, rel=5e-3)  # the 0.5 %
    # What it achieves: the first-order moment term's undershoot (~1e-5 px^2) is clamped to 0
    # (coverage is physically in [0, 1]), which adds at most ~1e-4 of a sub-pixel dot's area.
    assert cov.sum() == pytest.approx(np.pi * radius_px**2, rel=1e-4, abs=1e-6)
    assert cov.min() >= -1e-12 and cov.max() <= 1.0 + 1e-9  # float rounding of exact discs


def test_tiny_blur_tends_to_the_sharp_disc() -> None:
    cx, cy, r = 5.43, 4.61, 1.7
    sharp = coverage_image(11, 11, [[cx, cy]], [r])
    for sigma_px in (0.05, 0.02):
        blurred = coverage_image(11, 11, [[cx, cy]], [r], [sigma_px])
        # a blur moves sigma / sqrt(2 pi) per unit of edge across a pixel boundary, and an edge
        # inside one pixel is shorter than 1.5 px here
        assert 0.01 * sigma_px < np.abs(blurred - sharp).max() < 0.6 * sigma_px
    below_threshold = coverage_image(11, 11, [[cx, cy]], [r], [0.015])
    np.testing.assert_array_equal(below_threshold, sharp)


def test_blur_spreads_a_sub_pixel_dot_to_its_neighbours() -> None:
    cov = coverage_image(9, 9, [[4.5, 4.5]], [0.4], [1.0])
    sharp_peak = np.pi * 0.4**2
    assert cov[4, 4] < 0.5 * sharp_peak
    assert cov[4, 5] == pytest.approx(cov[4, 3], abs=1e-12)  # symmetric about the centre
    assert cov[3, 4] == pytest.approx(cov[4, 5], abs=1e-12)
