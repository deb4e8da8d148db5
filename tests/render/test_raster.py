"""Sharp dots: exact area coverage, clipping, compositing, determinism, input errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from smpstudio.errors import InputError
from smpstudio.render import _raster_reference as ref
from smpstudio.render.raster import coverage_image, splat_dots

SIDE = 48


def _jittered_dots(
    rng: np.random.Generator, cells: int, cell_px: float, r_max: float
) -> tuple[np.ndarray, np.ndarray]:
    """Non-overlapping dots: one per grid cell, each disc inside its own cell."""
    radius = rng.uniform(0.05, r_max, cells * cells)
    gy, gx = np.divmod(np.arange(cells * cells), cells)
    span = cell_px - 2 * radius
    centers = np.column_stack(
        [gx * cell_px + radius + rng.random(radius.size) * span,
         gy * cell_px + radius + rng.random(radius.size) * span]
    )  # fmt: skip
    return centers, radius


@settings(max_examples=60, deadline=None)
@given(
    x_frac=st.floats(0.0, 1.0),
    y_frac=st.floats(0.0, 1.0),
    radius_px=st.floats(0.05, 20.0),
)
def test_coverage_sums_to_disc_area_and_matches_reference(
    x_frac: float, y_frac: float, radius_px: float
) -> None:
    cx = radius_px + x_frac * (SIDE - 2 * radius_px)
    cy = radius_px + y_frac * (SIDE - 2 * radius_px)
    cov = coverage_image(SIDE, SIDE, [[cx, cy]], [radius_px])
    assert cov.sum() == pytest.approx(np.pi * radius_px**2, rel=1e-6)
    # independent circular-segment formula, pixel by pixel
    np.testing.assert_allclose(cov, ref.pixel_coverage(cx, cy, radius_px, SIDE, SIDE), atol=1e-11)
    assert cov.min() >= -1e-12 and cov.max() <= 1.0 + 1e-12


def test_pixel_area_matches_numerical_chord_integration() -> None:
    """Three pixels cut by a disc edge, against adaptive quadrature of the chord length."""
    cx, cy, r = 5.3, 4.7, 2.45
    cov = coverage_image(10, 10, [[cx, cy]], [r])
    for row, col in [(4, 7), (2, 4), (6, 3)]:

        def chord(x: float, row: int = row) -> float:
            half = np.sqrt(max(r * r - (x - cx) ** 2, 0.0))
            return max(0.0, min(row + 1.0, cy + half) - max(float(row), cy - half))

        kinks = [cx + sign * np.sqrt(max(r * r - (edge - cy) ** 2, 0.0))
                 for sign in (-1, 1) for edge in (row, row + 1)]  # fmt: skip
        expected, _ = integrate.quad(
            chord, col, col + 1, points=[cx - r, cx + r, *kinks], epsabs=1e-13, epsrel=1e-13
        )
        assert cov[row, col] == pytest.approx(expected, abs=1e-10)


def test_sub_pixel_dot_darkens_by_its_area() -> None:
    """0.12 mm dot at 0.15 mm/px: r = 0.4 px covers pi 0.4^2 = 0.5027 px^2, not 0 or 1."""
    radius_px = 0.12 / 2 / 0.15
    skin, ink = 0.6, 0.1
    # centred on a pixel centre: one pixel darkened by exactly area * contrast
    image = np.full((8, 8, 3), skin, np.float32)
    splat_dots(image, [[3.5, 4.5]], [radius_px], [[ink] * 3], [1.0])
    darkening = skin - image[..., 0]
    assert darkening[4, 3] == pytest.approx(np.pi * radius_px**2 * (skin - ink), rel=1e-6)
    assert np.count_nonzero(darkening) == 1
    # centred on a pixel corner: four pixels, a quarter each
    image = np.full((8, 8, 3), skin, np.float32)
    splat_dots(image, [[4.0, 4.0]], [radius_px], [[ink] * 3], [1.0])
    quarter = np.pi * radius_px**2 / 4 * (skin - ink)
    np.testing.assert_allclose(skin - image[3:5, 3:5, 1], quarter, rtol=1e-6)
    assert np.count_nonzero(skin - image[..., 1]) == 4


def test_total_darkening_equals_dot_area_times_contrast() -> None:
    rng = np.random.default_rng(5)
    centers, radius = _jittered_dots(rng, cells=20, cell_px=6.0, r_max=2.5)
    skin, ink = np.float32([0.55, 0.4, 0.3]), np.float32([0.05, 0.04, 0.03])
    image = np.empty((120, 120, 3), np.float32)
    image[:] = skin
    splat_dots(image, centers, radius, np.tile(ink, (radius.size, 1)), np.ones(radius.size))
    darkening = (skin - image).sum(axis=(0, 1))
    expected = np.pi * (radius**2).sum() * (skin - ink)
    np.testing.assert_allclose(darkening, expected, rtol=1e-2)  # the 1 %
    np.testing.assert_allclose(darkening, expected, rtol=1e-4)  # what it actually achieves


@pytest.mark.parametrize(
    ("cx", "cy", "r"),
    [(0.3, 7.0, 2.0), (19.6, 19.9, 3.7), (-1.5, 4.2, 2.6), (10.0, -0.25, 0.4), (25.0, 5.0, 4.0)],
)
def test_dots_at_the_border_are_clipped_to_the_area_inside(cx: float, cy: float, r: float) -> None:
    cov = coverage_image(20, 20, [[cx, cy]], [r])
    inside = float(ref.disc_rect_area(cx, cy, r, 0.0, 20.0, 0.0, 20.0))
    assert cov.sum() == pytest.approx(inside, abs=1e-10)
    np.testing.assert_allclose(cov, ref.pixel_coverage(cx, cy, r, 20, 20), atol=1e-11)


@pytest.mark.parametrize("mode", ["over", "multiply"])
def test_kernel_matches_python_reference_with_overlaps(mode: str) -> None:
    rng = np.random.default_rng(11)
    n = 40
    centers = rng.uniform(-2, 26, (n, 2))
    radius = rng.uniform(0.1, 4.0, n)
    rgb = rng.uniform(0.0, 0.8, (n, 3)).astype(np.float32)
    opacity = rng.uniform(0.2, 1.0, n)
    reference_rgb = np.array([0.5, 0.35, 0.25]) if mode == "multiply" else None
    base = rng.uniform(0.2, 0.8, (24, 24, 3)).astype(np.float32)
    fast, slow = base.copy(), base.copy()
    splat_dots(fast, centers, radius, rgb, opacity, mode=mode, multiply_reference_rgb=reference_rgb)
    ref.splat_reference(slow, centers, radius, rgb, opacity, mode, reference_rgb)
    np.testing.assert_allclose(fast, slow, atol=2e-6)
    assert not np.allclose(fast, base)


def test_multiply_mode_scales_by_dot_over_reference() -> None:
    image = np.full((4, 4, 3), 0.8, np.float32)
    image[:, 2:] = 0.4  # a darker patch of the photo keeps the same ratio
    rgb, skin = np.array([[0.1, 0.2, 0.3]]), np.array([0.5, 0.5, 0.6])
    splat_dots(
        image, [[1.0, 1.0]], [10.0], rgb, [0.5], mode="multiply", multiply_reference_rgb=skin
    )
    factor = 0.5 + 0.5 * rgb[0] / skin
    np.testing.assert_allclose(image[0, 0], 0.8 * factor, rtol=1e-6)
    np.testing.assert_allclose(image[3, 3], 0.4 * factor, rtol=1e-6)


def test_same_input_same_bytes_and_array_order_decides_overlaps() -> None:
    rng = np.random.default_rng(3)
    centers = rng.uniform(0, 32, (300, 2))
    radius = rng.uniform(0.3, 3.0, 300)
    rgb = rng.uniform(0, 1, (300, 3))
    runs = []
    for _ in range(2):
        image = np.full((32, 32, 3), 0.5, np.float32)
        splat_dots(image, centers, radius, rgb, 1.0, blur_sigma_px=0.0)
        runs.append(image.tobytes())
    assert runs[0] == runs[1]
    top = np.zeros((3, 3, 3), np.float32)
    splat_dots(top, [[1.5, 1.5], [1.5, 1.5]], [3.0, 3.0], [[1, 0, 0], [0, 1, 0]], 1.0)
    np.testing.assert_array_equal(top[1, 1], [0, 1, 0])  # the later dot is on top


def test_zero_dots_and_zero_radius_change_nothing() -> None:
    image = np.full((5, 5, 3), 0.3, np.float32)
    splat_dots(image, np.empty((0, 2)), np.empty(0), np.empty((0, 3)), np.empty(0))
    splat_dots(image, [[2.5, 2.5]], [0.0], [[0, 0, 0]], [1.0])
    splat_dots(image, [[2.5, 2.5]], [2.0], [[0, 0, 0]], [0.0])
    assert (image == np.float32(0.3)).all()
    assert coverage_image(5, 5, np.empty((0, 2)), np.empty(0)).sum() == 0.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"image": np.zeros((4, 4, 3))}, "image"),
        ({"image": np.zeros((4, 4), np.float32)}, "image"),
        ({"image": np.zeros((4, 4, 3), np.float32)[:, ::2]}, "image"),
        ({"centers_px": [[np.nan, 1.0]]}, "centers_px"),
        ({"centers_px": [1.0, 2.0]}, "centers_px"),
        ({"radius_px": [-1.0]}, "radius_px"),
        ({"radius_px": [1.0, 2.0]}, "radius_px"),
        ({"opacity": [1.5]}, "opacity"),
        ({"rgb": [[-0.1, 0, 0]]}, "rgb"),
        ({"blur_sigma_px": [-0.5]}, "blur_sigma_px"),
        ({"mode": "screen"}, "mode"),
        ({"mode": "multiply"}, "multiply_reference_rgb"),
        ({"mode": "multiply", "multiply_reference_rgb": [0.5, 0.0, 0.5]}, "multiply_reference_rgb"),
        ({"multiply_reference_rgb": [0.5, 0.5, 0.5]}, "multiply_reference_rgb"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "image": np.zeros((4, 4, 3), np.float32),
        "centers_px": [[1.0, 1.0]],
        "radius_px": [1.0],
        "rgb": [[0.1, 0.1, 0.1]],
        "opacity": [1.0],
    }
    args.update(kwargs)
    with pytest.raises(InputError) as info:
        splat_dots(**args)  # type: ignore[arg-type]
    assert info.value.field == field


@pytest.mark.parametrize(("height", "width"), [(0, 5), (5, 20000), (2.5, 5), (True, 5)])
def test_coverage_image_rejects_bad_sizes(height: object, width: object) -> None:
    with pytest.raises(InputError):
        coverage_image(height, width, [[1.0, 1.0]], [1.0])  # type: ignore[arg-type]
