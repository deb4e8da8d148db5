"""linear_to_srgb8 against colour-science's sRGB transfer function."""

from __future__ import annotations

import colour
import numpy as np
import pytest

from smpstudio.errors import InputError
from smpstudio.render.raster import _srgb8_tables, linear_to_srgb8


def _colour_srgb8(linear: np.ndarray) -> np.ndarray:
    encoded = colour.cctf_encoding(np.clip(linear.astype(np.float64), 0.0, 1.0), function="sRGB")
    return np.round(255.0 * encoded).astype(np.uint8)


def test_matches_colour_science_at_every_code_boundary() -> None:
    thresholds, _ = _srgb8_tables()
    near = [thresholds]
    for steps in (1, 2, 3):
        up, down = thresholds.copy(), thresholds.copy()
        for _ in range(steps):
            up = np.nextafter(up, np.float32(2))
            down = np.nextafter(down, np.float32(-1))
        near += [up, down]
    values = np.concatenate(near).astype(np.float32)
    values = values[: values.size // 3 * 3].reshape(-1, 3)
    np.testing.assert_array_equal(linear_to_srgb8(values), _colour_srgb8(values))


def test_matches_colour_science_on_random_values_and_out_of_range() -> None:
    rng = np.random.default_rng(2)
    image = rng.uniform(-0.2, 1.2, (64, 64, 3)).astype(np.float32)
    image[0, 0] = [np.inf, -np.inf, -0.0]
    out = linear_to_srgb8(image)
    assert out.dtype == np.uint8 and out.shape == image.shape
    np.testing.assert_array_equal(out, _colour_srgb8(image))


def test_published_values() -> None:
    # IEC 61966-2-1: linear 0.5 encodes to 0.7354 (188 / 255), 0.18 (mid grey) to 0.4613 (118);
    # the rounding boundary 127.5 / 255 = 0.5 decodes to 0.214041, so 0.2140 is 127, 0.2141 128
    out = linear_to_srgb8(np.array([[0.0, 0.18, 0.5], [1.0, 0.2140, 0.2141]]))
    np.testing.assert_array_equal(out, [[0, 118, 188], [255, 127, 128]])


@pytest.mark.parametrize("bad", [np.zeros((4, 4)), np.array([[np.nan, 0.1, 0.2]])])
def test_bad_input(bad: np.ndarray) -> None:
    with pytest.raises(InputError):
        linear_to_srgb8(bad)
