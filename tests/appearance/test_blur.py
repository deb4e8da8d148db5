"""Blur of a dot from diffusion theory: the two analytic limits and growth with depth."""

from __future__ import annotations

import math

import numpy as np
import pytest

from smpstudio.appearance.blur import blur_sigma_mm, diffusion_sigma_mm
from smpstudio.errors import InputError


def test_shallow_limit_is_geometric():
    # mu_eff z0 -> 0 and zb -> 0: profile (1 + r^2/z0^2)^-3/2, FWHM = 2 z0 sqrt(2^(2/3) - 1)
    depth = np.array([0.01, 0.1])
    sigma = diffusion_sigma_mm(depth, mua_per_cm=1e-6, mus_reduced_per_cm=1e6, n=1.0)
    expected = 2.0 * math.sqrt(2.0 ** (2.0 / 3.0) - 1.0) / (2.0 * math.sqrt(2.0 * math.log(2.0)))
    np.testing.assert_allclose(sigma / depth, expected, rtol=2e-3)


def test_deep_limit_is_gaussian():
    # far from the surface exp(-mu_eff r1) ~ exp(-mu_eff z0 - mu_eff r^2 / (2 z0)):
    # sigma^2 = z0 / mu_eff
    mua, mus_r = 1.0, 10.0
    mu_eff_per_mm = math.sqrt(3.0 * mua * (mua + mus_r)) / 10.0
    depth = np.array([500.0, 2000.0])
    sigma = diffusion_sigma_mm(depth, mua_per_cm=mua, mus_reduced_per_cm=mus_r, n=1.4)
    np.testing.assert_allclose(sigma, np.sqrt(depth / mu_eff_per_mm), rtol=0.03)


def test_skin_blur_grows_with_depth_and_ignores_type_shape():
    depth = np.linspace(0.05, 2.0, 40)
    sigma = blur_sigma_mm(depth, 3)
    assert sigma.shape == depth.shape and np.all(np.diff(sigma) > 0)
    assert np.all(sigma < depth)  # never wider than the geometric limit
    np.testing.assert_allclose(blur_sigma_mm(depth, 6), sigma)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan])
def test_bad_depth(bad):
    with pytest.raises(InputError):
        diffusion_sigma_mm(np.array([bad]), mua_per_cm=1.0, mus_reduced_per_cm=10.0, n=1.4)


def test_bad_type():
    with pytest.raises(InputError):
        blur_sigma_mm(np.array([0.3]), 0)
