"""Close-ups: framing, true scale, and the darkening the dots add at true scale."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image
from scipy import special

from smpstudio.errors import InputError
from smpstudio.render.closeups import (
    CLOSEUP_PX_PER_MM,
    closeup_base,
    closeup_camera,
    closeup_linear,
    mid_frontal_point,
    render_closeup,
)
from smpstudio.render.states import capture_enhancement
from smpstudio.render.views import SceneRenderer

from .scenes import small_scene


@pytest.fixture(scope="module")
def renderer() -> SceneRenderer:
    return SceneRenderer(small_scene())


def test_mid_frontal_point_is_where_the_hairline_crosses_the_midline() -> None:
    hl = np.array([[-40.0, 80.0], [-10.0, 96.0], [10.0, 100.0], [40.0, 82.0]])
    np.testing.assert_allclose(mid_frontal_point(hl), [0.0, 98.0])
    np.testing.assert_allclose(mid_frontal_point(hl[:2]), [-10.0, 96.0])  # no crossing
    with pytest.raises(InputError, match="hairline"):
        mid_frontal_point(np.zeros((0, 2)))


def test_hairline_closeup_is_centred_5_mm_behind_the_mid_frontal_point(
    renderer: SceneRenderer,
) -> None:
    cam = closeup_camera(renderer, "hairline")
    assert (cam.width_px, cam.height_px) == (400, 400)
    front = renderer.scene.chart.chart_to_surface([[0.0, 25.0]])  # small_scene's mid-front
    xy, _ = cam.project(front)
    # 5 mm toward the forehead = 100 px below the centre (image up is toward the vertex);
    # the skin curves away by well under a pixel over 5 mm.
    np.testing.assert_allclose(xy[0], [200.0, 300.0], atol=1.0)


def test_crown_closeup_looks_down_on_the_vertex_nose_up(renderer: SceneRenderer) -> None:
    cam = closeup_camera(renderer, "crown")
    chart = renderer.scene.chart
    xy, _ = cam.project(chart.chart_to_surface([[0.0, 0.0], [0.0, 5.0], [5.0, 0.0]]))
    np.testing.assert_allclose(xy[0], [200.0, 200.0], atol=1e-6)
    np.testing.assert_allclose(xy[1], [200.0, 100.0], atol=1.0)  # 5 mm toward the nose: up
    np.testing.assert_allclose(xy[2], [300.0, 200.0], atol=1.0)  # client's right: right


@pytest.mark.parametrize("state", ["healed", "fresh", "faded"])
def test_total_darkening_equals_dot_area_times_enhancement_times_contrast(
    renderer: SceneRenderer, state: str
) -> None:
    """Sum over pixels of (1 - after / before), red channel, against
    sum over dots of pi (r px)^2 cos * E * (1 - dot_R / skin_R), E from capture_enhancement
    (core plus diffuse halo): the pipeline at true scale.
    (Red, because the fresh erythema tint leaves red unchanged.)

    Dot cores cut by the image border are counted by the share of their centres inside (they
    enter and leave evenly); halos only leave (dots outside the picture are not drawn), so
    each counts with the share of its Gaussian inside. The two agree to about the overlap of
    neighbouring dots and of a core with the halos under it (product rule, ~1 %).
    """
    before = closeup_linear(renderer, "crown", "before").astype(np.float64)
    after = closeup_linear(renderer, "crown", state).astype(np.float64)
    measured = float(np.sum(1.0 - after[..., 0] / before[..., 0]))
    base = closeup_base(renderer, "crown")
    look = renderer.look(state)
    dots = renderer.scene.dots
    seen = renderer.project(
        base.camera, base, dots.xyz_mm[look.index], renderer.dot_normals[look.index]
    )
    xy = seen.xy_px
    inside = (xy >= 0).all(1) & (xy < 400).all(1) & seen.visible
    area_px = math.pi * (look.radius_mm * CLOSEUP_PX_PER_MM) ** 2 * seen.facing_cos
    contrast = 1.0 - look.rgb[:, 0] / look.skin_rgb[0]
    enhancement = 1.0 + look.halo_area_mm2 / (math.pi * look.radius_mm**2)
    # The halo carries the finite-disc Monte Carlo's shadow for each dot's own load.
    load_free = capture_enhancement(look.radius_mm, dots.depth_mm[look.index])
    assert np.all((enhancement > 1.2) & (enhancement <= load_free * 1.3))
    # The halo's share inside the image (a halo is ~12 px wide: some spills past the border).
    sigma = look.halo_sigma_mm * CLOSEUP_PX_PER_MM
    share = np.prod(
        special.ndtr((400.0 - xy) / sigma[:, None]) - special.ndtr(-xy / sigma[:, None]), axis=1
    )
    expected = float(np.sum((area_px * (1.0 + (enhancement - 1.0) * share) * contrast)[inside]))
    # Overlapping halos compose multiplicatively, a little less than their sum; fresh dots are
    # larger and darker, so they overlap most.
    assert measured == pytest.approx(expected, rel=0.035 if state == "fresh" else 0.025)
    assert inside.sum() > 100


def test_png_closeup_has_a_5_mm_scale_bar_and_is_deterministic(renderer: SceneRenderer) -> None:
    png = render_closeup(renderer, "crown", "healed")
    assert png == render_closeup(SceneRenderer(small_scene()), "crown", "healed")
    img = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    assert img.shape == (400, 400)
    rows = np.flatnonzero((img[:, :200] < 60).sum(axis=1) > 80)
    assert rows.size >= 3  # the bar is a few pixels thick
    run = (img[rows[-1], :200] < 60).sum()
    assert abs(run - 5 * CLOSEUP_PX_PER_MM) <= 2


def test_unknown_closeup_place_is_refused(renderer: SceneRenderer) -> None:
    with pytest.raises(InputError, match="closeup"):
        closeup_camera(renderer, "nape")
