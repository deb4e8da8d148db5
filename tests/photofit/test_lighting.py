"""Body and surface reflection apart (dichromatic model): invariants and a known mixture."""

from __future__ import annotations

import numpy as np
import pytest

from smpstudio.photofit.lighting import skin_chromaticity, split_surface

SKIN = np.array([0.50, 0.30, 0.20])


def test_parts_sum_to_the_image_and_the_surface_is_grey_and_bounded() -> None:
    rng = np.random.default_rng(1)
    image = rng.uniform(0.0, 1.0, (32, 40, 3)).astype(np.float32)
    body, surface = split_surface(image, SKIN)
    np.testing.assert_allclose(body + surface, image, atol=1e-6)
    assert np.all(surface >= 0.0)
    assert np.all(surface[..., 0] == surface[..., 1]) and np.all(surface[..., 1] == surface[..., 2])
    assert np.all(surface[..., 0] <= image.min(axis=2) + 1e-7)


def test_shaded_skin_has_no_highlight_and_a_white_highlight_is_found() -> None:
    shade = np.linspace(0.2, 1.0, 9, dtype=np.float32)[:, None, None]
    skin = (shade * SKIN).astype(np.float32)
    _, surface = split_surface(np.repeat(skin, 3, axis=1), SKIN)
    assert np.max(surface) < 1e-6  # shading alone: all body reflection
    shine = 0.15
    _, surface = split_surface((skin + shine / 3.0).astype(np.float32), SKIN)
    np.testing.assert_allclose(surface[..., 0], shine / 3.0, atol=1e-5)


def test_skin_chromaticity_is_the_median_and_sums_to_one() -> None:
    pixels = np.vstack([np.outer(np.linspace(0.1, 0.9, 50), SKIN), [[0.9, 0.9, 0.9]] * 10])
    c = skin_chromaticity(pixels)
    assert c.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(c, SKIN / SKIN.sum(), atol=1e-9)
    np.testing.assert_allclose(skin_chromaticity(np.zeros((4, 3))), 1 / 3)
