"""Views and states: what changes between states, culling, determinism, and the names."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from smpstudio.appearance import FRESH_PIGMENT_FRAC, lookup_many
from smpstudio.errors import InputError
from smpstudio.render.scene import STATES, VIEWS
from smpstudio.render.states import FRESH_DIAMETER_SCALE, dot_look
from smpstudio.render.views import SceneRenderer, render_view

from .scenes import small_scene

SIZE = 256


@pytest.fixture(scope="module")
def renderer() -> SceneRenderer:
    return SceneRenderer(small_scene())


def _dot_reach_mask(renderer: SceneRenderer, view: str, state: str) -> np.ndarray:
    """Pixels within reach of any drawn dot: its radius, 5 blur sigmas, its halo's filter
    reach (4 sigmas, halo.TRUNCATE_SIGMAS) and 2 px."""
    base = renderer.camera_base(renderer.view_camera(view, SIZE), key=(view, SIZE))
    look = renderer.look(state)
    pts = renderer.scene.dots.xyz_mm[look.index]
    seen = renderer.project(base.camera, base, pts, renderer.dot_normals[look.index])
    k = np.flatnonzero(seen.visible)
    reach = (look.radius_mm[k] * 2.0 + 5.0 * look.blur_sigma_mm[k]) * seen.px_per_mm[k] + 2.0
    reach = np.maximum(reach, 4.0 * look.halo_sigma_mm[k] * seen.px_per_mm[k] * 1.1 + 3.0)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE]
    mask = np.zeros((SIZE, SIZE), dtype=bool)
    for (x, y), r in zip(seen.xy_px[k], reach, strict=True):
        x0, x1 = max(int(x - r) - 1, 0), min(int(x + r) + 2, SIZE)
        y0, y1 = max(int(y - r) - 1, 0), min(int(y + r) + 2, SIZE)
        sub = (xx[y0:y1, x0:x1] + 0.5 - x) ** 2 + (yy[y0:y1, x0:x1] + 0.5 - y) ** 2 <= r * r
        mask[y0:y1, x0:x1] |= sub
    return mask


@pytest.mark.parametrize("view", ["top", "back"])
@pytest.mark.parametrize("state", ["healed", "fresh", "faded"])
def test_nothing_changes_away_from_the_dots(renderer: SceneRenderer, view: str, state: str) -> None:
    before = renderer.view_linear(view, "before", SIZE)
    after = renderer.view_linear(view, state, SIZE)
    near = _dot_reach_mask(renderer, view, state)
    assert near.any()
    assert np.array_equal(before[~near], after[~near])
    changed = np.any(before != after, axis=-1)
    assert changed.sum() > 50  # the dots are drawn
    assert np.all(after[changed] <= before[changed] * 1.0001 + 1e-7) or state == "fresh"


def test_dots_facing_away_are_not_drawn(renderer: SceneRenderer) -> None:
    # The crown disc faces up: seen from the top, not from below the chin of a front view
    # that looks up at the head (all its dots face away from such a camera).
    from smpstudio.render.camera import look_at

    base_top = renderer.camera_base(renderer.view_camera("top", SIZE))
    dots = renderer.scene.dots
    seen = renderer.project(base_top.camera, base_top, dots.xyz_mm, renderer.dot_normals)
    assert seen.visible.mean() > 0.99
    cam = look_at(
        renderer.head.centre_mm + np.array([0.0, 300.0, -500.0]),
        renderer.head.centre_mm,
        [0.0, 0.0, 1.0],
        size_px=SIZE,
    )
    base = renderer.camera_base(cam)
    seen = renderer.project(cam, base, dots.xyz_mm, renderer.dot_normals)
    assert not seen.visible.any()


def test_dots_hidden_behind_the_head_fail_the_depth_test(renderer: SceneRenderer) -> None:
    base = renderer.camera_base(renderer.view_camera("top", SIZE), key=("top", SIZE))
    cam = base.camera
    # Make the crown dots face the camera: only the depth buffer can reject them. On the skin
    # they are in view; moved 40 mm into the head they are behind the skin.
    dots = renderer.scene.dots
    toward = -cam.view_dirs(dots.xyz_mm)
    seen = renderer.project(cam, base, dots.xyz_mm, toward)
    assert seen.visible.mean() > 0.95
    sunk = dots.xyz_mm - 40.0 * toward
    seen = renderer.project(cam, base, sunk, toward)
    assert not seen.visible.any()


def test_fresh_dots_of_the_last_session_are_larger_and_darker() -> None:
    scene = small_scene()
    healed, fresh = dot_look(scene, "healed"), dot_look(scene, "fresh")
    last = scene.dots.session == scene.dots.session.max()
    assert 0 < last.sum() < scene.dots.count
    np.testing.assert_allclose(fresh.radius_mm[last], FRESH_DIAMETER_SCALE * healed.radius_mm[last])
    np.testing.assert_allclose(fresh.radius_mm[~last], healed.radius_mm[~last])
    assert np.all(fresh.rgb[last].sum(1) < healed.rgb[last].sum(1))
    want, _ = lookup_many(
        scene.skin_fitzpatrick,
        scene.dots.depth_mm[last],
        FRESH_PIGMENT_FRAC * (1 - scene.dots.dilution_frac[last]),
    )
    np.testing.assert_allclose(fresh.rgb[last], np.clip(want, 0, None))
    assert fresh.erythema.sum() == last.sum() and not healed.erythema.any()
    assert np.all(fresh.blur_sigma_mm[last] < healed.blur_sigma_mm[last])


def test_faded_dots_are_lighter_by_the_remaining_pigment() -> None:
    scene = small_scene()
    healed, faded = dot_look(scene, "healed"), dot_look(scene, "faded")
    assert np.all(faded.rgb.sum(1) > healed.rgb.sum(1))
    want, skin = lookup_many(
        scene.skin_fitzpatrick,
        scene.dots.depth_mm,
        (1 - scene.dots.dilution_frac) * scene.faded_remaining_frac,
    )
    np.testing.assert_allclose(faded.rgb, np.clip(want, 0, None))
    np.testing.assert_allclose(faded.skin_rgb, skin)
    assert dot_look(scene, "before").index.size == 0


def test_same_scene_same_png_bytes() -> None:
    a = render_view(small_scene(), "top", "healed", 128)
    b = render_view(small_scene(), "top", "healed", 128)
    assert a == b
    image = Image.open(io.BytesIO(a))
    assert image.size == (128, 128) and image.mode == "RGB"
    assert not image.info.get("exif") and "pnginfo" not in image.info


@pytest.mark.parametrize(("view", "state"), [("side", "healed"), ("top", "new"), ("Top", "before")])
def test_view_and_state_names_are_checked(view: str, state: str) -> None:
    with pytest.raises(InputError):
        render_view(small_scene(), view, state, 64)


def test_every_view_shows_the_head_on_a_light_grey_ground(renderer: SceneRenderer) -> None:
    assert set(VIEWS) == {"top", "front", "left", "right", "back"}
    assert STATES == ("before", "fresh", "healed", "faded")
    for view in VIEWS:
        img = renderer.view_linear(view, "before", 96)
        corner = img[:6, -6:].reshape(-1, 3)
        assert np.ptp(corner, axis=1).max() < 1e-6 and corner.mean() > 0.4  # neutral, light
        skin_like = img[..., 0] > 1.15 * img[..., 2]  # warm skin, not grey
        assert 0.15 < skin_like.mean() < 0.8
        labels = ndimage.label(skin_like)[1]
        assert labels >= 1


def test_the_left_view_shows_the_left_ear_side(renderer: SceneRenderer) -> None:
    # A follicle ring point on the client's left (-x) is in front of the left camera.
    cam = renderer.view_camera("left", SIZE)
    pts = renderer.scene.chart.chart_to_surface([[-50.0, 0.0], [50.0, 0.0]])
    _, depth = cam.project(pts)
    assert depth[0] < depth[1]


def test_scar_tissue_reads_paler_than_the_scalp_around_it() -> None:
    """A scar drawn into a scene lightens the skin under it, and only there."""
    import dataclasses

    plain = small_scene()
    centre = np.array([[0.0, -40.0]])
    scarred = dataclasses.replace(
        plain, scar_discs_uv_mm=centre, scar_disc_radius_mm=np.array([4.0])
    )
    a = SceneRenderer(plain).view_linear("top", "before", 512)
    b = SceneRenderer(scarred).view_linear("top", "before", 512)
    lighter = b.mean(axis=2) > a.mean(axis=2) + 1e-4
    assert lighter.sum() > 20  # the scar shows
    assert (b >= a - 1e-6).all()  # nothing gets darker
