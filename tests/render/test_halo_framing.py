"""Diffuse dot shadows (capture enhancement, halos) and the framing of the standard views."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.errors import InputError
from smpstudio.render.camera import ELEVATION_DEG, framed_view_camera
from smpstudio.render.halo import halo_darkening
from smpstudio.render.states import capture_enhancement, halo_sigma_mm
from smpstudio.render.views import FRAME_BELOW_BROW_MM, SceneRenderer

from .scenes import small_scene

# Finite-disc Monte Carlo (smpstudio.optics.disc.simulate_disc_shadows, 550 nm, type 3, the
# appearance model's pigment band; 3-4e5 packets, seeds 1 and 2; stderr <= 0.01):
# (radius_mm, depth_mm, E, radius holding half of the shadow in mm).
# The finite-disc Monte Carlo (smpstudio.optics.disc, docs/optics-disc.md; 550 nm, type III,
# neat pigment): dot radius a, depth z, enhancement E +/- SE, and the sigma of the shadow as a
# Gaussian around the dot.
DISC_MC = [
    (0.06, 0.1, 2.056, 0.25),
    (0.06, 0.3, 2.212, 0.42),
    (0.06, 0.6, 2.307, 0.60),
    (0.10, 0.1, 1.883, 0.25),
    (0.10, 0.3, 2.017, 0.42),
    (0.10, 0.6, 2.101, 0.60),
]


@pytest.mark.parametrize(("a", "z", "e_mc", "sigma_mc"), DISC_MC)
def test_capture_enhancement_matches_the_finite_disc_monte_carlo(
    a: float, z: float, e_mc: float, sigma_mc: float
) -> None:
    assert float(capture_enhancement(a, z)) == pytest.approx(e_mc, rel=0.035)
    assert float(halo_sigma_mm(z)) == pytest.approx(sigma_mc, abs=0.03)


def test_lighter_ink_casts_a_smaller_shadow() -> None:
    # Monte Carlo: E 1.53-1.75 at pigment_frac 0.5, 2.14-2.70 at 1.5 (a 0.06-0.1 mm).
    half = float(capture_enhancement(0.08, 0.3, 0.5))
    neat = float(capture_enhancement(0.08, 0.3, 1.0))
    dense = float(capture_enhancement(0.08, 0.3, 1.5))
    assert 1.45 < half < neat < dense < 2.8


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(0.02, 2.0),
    factor=st.floats(1.05, 5.0),
    z=st.floats(0.05, 2.0),
)
def test_capture_enhancement_falls_with_radius_and_is_at_least_one(
    a: float, factor: float, z: float
) -> None:
    small, large = capture_enhancement(a, z), capture_enhancement(a * factor, z)
    assert small > large >= 1.0


def test_capture_enhancement_limits() -> None:
    np.testing.assert_allclose(capture_enhancement([0.06, 0.1, 1.0], 0.0), 1.0)  # at the surface
    assert float(capture_enhancement(100.0, 0.3)) < float(capture_enhancement(0.3, 0.3))
    assert float(capture_enhancement(0.1, 0.3, 0.0)) == pytest.approx(1.0)  # no pigment
    assert capture_enhancement(np.full((2, 3), 0.08), 0.3).shape == (2, 3)


def _gaussian_sum(shape, xy, area, sigma, contrast):
    """Independent reference: each halo's Gaussian integrated over each pixel (erf)."""
    from scipy import special

    h, w = shape
    out = np.zeros((h, w, 3))
    for (x, y), m, s, c in zip(xy, area, sigma, contrast, strict=True):
        ex = np.diff(special.ndtr((np.arange(w + 1) - x) / s))
        ey = np.diff(special.ndtr((np.arange(h + 1) - y) / s))
        out += m * np.outer(ey, ex)[..., None] * c
    return out


def test_halos_are_gaussians_of_the_right_mass() -> None:
    rng = np.random.default_rng(4)
    xy = rng.uniform(20, 60, (40, 2))
    area = rng.uniform(0.5, 3.0, 40)
    sigma = np.where(np.arange(40) < 20, 2.5, 6.0) * rng.uniform(0.99, 1.01, 40)
    contrast = rng.uniform(0.1, 0.8, (40, 3))
    got = halo_darkening((80, 80), xy, area, sigma, contrast).astype(np.float64)
    want = _gaussian_sum((80, 80), xy, area, sigma, contrast)
    np.testing.assert_allclose(got.sum(axis=(0, 1)), want.sum(axis=(0, 1)), rtol=1e-5)
    assert np.abs(got - want).max() < 0.03 * want.max()
    # Halos off the picture add nothing; none at all gives zeros.
    off = halo_darkening((10, 10), np.array([[500.0, 500.0]]), [1.0], [1.0], [[1.0, 1, 1]])
    assert not off.any()
    assert not halo_darkening((5, 5), np.zeros((0, 2)), [], [], np.zeros((0, 3))).any()


@pytest.fixture(scope="module")
def renderer() -> SceneRenderer:
    return SceneRenderer(small_scene())


def test_front_view_looks_down_on_the_hairline_and_frames_the_scalp(
    renderer: SceneRenderer,
) -> None:
    size = 256
    cam = renderer.view_camera("front", size)
    head = renderer.head
    # Conversation distance from the framed scalp, elevated 20-25 degrees above it, in front.
    pts = renderer.frame_points_mm
    rel = cam.eye_mm - 0.5 * (pts.min(axis=0) + pts.max(axis=0))
    assert 560.0 < np.linalg.norm(rel) < 640.0
    elevation = math.degrees(math.atan2(rel[2], math.hypot(rel[0], rel[1])))
    assert 20.0 <= elevation <= 25.0 and ELEVATION_DEG == pytest.approx(22.0)
    hairline = renderer.scene.chart.chart_to_surface([[0.0, 25.0], [0.0, 60.0]])
    xy, _ = cam.project(hairline)
    assert np.all((xy > 0) & (xy < size))
    assert np.all(xy[:, 1] < 0.5 * size)  # above the image's centre line
    # The vertex near the top, a point 25 mm below the brow near the bottom.
    glabella = head.glabella_mm
    low = glabella - np.array([0.0, 0.0, FRAME_BELOW_BROW_MM])
    (vx, vy), (lx, ly) = cam.project(np.vstack([head.vertex_mm, low]))[0]
    assert 0.0 < vy < 0.2 * size and 0.8 * size < ly <= size
    assert abs(vx - 0.5 * size) < 2.0 and abs(lx - 0.5 * size) < 2.0


def test_top_view_looks_straight_down_and_fills_the_frame(renderer: SceneRenderer) -> None:
    cam = renderer.view_camera("top", 128)
    np.testing.assert_allclose(cam.forward, [0.0, 0.0, -1.0], atol=0.02)
    img = renderer.view_linear("top", "before", 128)
    skin = img[..., 0] > 1.15 * img[..., 2]
    assert skin.mean() > 0.55  # the head fills most of the picture


def test_below_the_brow_the_face_fades_into_the_background(renderer: SceneRenderer) -> None:
    size = 256
    cam = renderer.view_camera("front", size)
    img = renderer.camera_base(cam).image
    bg = img[2, 2]
    glabella = renderer.head.glabella_mm
    face = renderer.head.glabella_mm + np.array([0.0, -3.0, -24.0])  # on the skin, below
    brow = renderer.scene.chart.chart_to_surface([[0.0, 40.0]])[0]
    (fx, fy), (bx, by) = cam.project(np.vstack([face, brow]))[0]
    assert fy > cam.project(glabella)[0][0, 1]
    np.testing.assert_allclose(img[int(fy), int(fx)], bg, atol=0.03)  # faded out
    assert img[int(by), int(bx), 0] > 1.15 * img[int(by), int(bx), 2]  # skin


def test_framing_needs_points_in_front_of_the_camera() -> None:
    with pytest.raises(InputError, match="points_mm"):
        framed_view_camera("front", np.zeros((0, 3)), size_px=64)
