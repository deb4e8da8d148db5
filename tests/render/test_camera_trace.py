"""Cameras and the head ray tracer against independent references.

References: the pinhole model written out by hand (a point at a known angle off the axis lands
at ``f tan(angle)`` pixels from the centre), the head surface's plain-NumPy ``radius_reference``
(a brute-force march along each ray), and the chart's own normals (head/chart.py, computed from
the surface derivatives by a different route).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.errors import InputError
from smpstudio.head.surface import P_YC, P_ZC, radius_reference
from smpstudio.render import _trace_kernels as tk
from smpstudio.render.camera import VERTICAL_FOV_DEG, look_at, orthographic, view_camera
from smpstudio.render.headmodel import HeadModel

from .scenes import mean_male_chart


@pytest.fixture(scope="module")
def head() -> HeadModel:
    return HeadModel(mean_male_chart())


def test_point_at_the_top_of_the_field_lands_on_the_top_edge() -> None:
    cam = look_at([0.0, 600.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0], size_px=1000)
    half = math.radians(VERTICAL_FOV_DEG / 2)
    xy, depth = cam.project([[0.0, 0.0, 600.0 * math.tan(half)], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(xy[0], [500.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(xy[1], [500.0, 500.0], atol=1e-9)
    np.testing.assert_allclose(depth, [600.0, 600.0])
    # 10 mm to the client's right (+x) at 600 mm: f * 10 / 600 px, on the viewer's LEFT.
    f = 500.0 / math.tan(half)
    xy, _ = cam.project([[10.0, 0.0, 0.0]])
    np.testing.assert_allclose(xy[0], [500.0 - f * 10.0 / 600.0, 500.0], atol=1e-9)


def test_top_view_has_the_nose_up_and_the_right_on_the_right() -> None:
    cam = view_camera("top", [0.0, 0.0, 0.0], size_px=512)
    xy, _ = cam.project([[0.0, 50.0, 0.0], [50.0, 0.0, 0.0]])
    assert xy[0, 1] < 256 and abs(xy[0, 0] - 256) < 1e-9
    assert xy[1, 0] > 256 and abs(xy[1, 1] - 256) < 1e-9


def test_orthographic_scale_is_mm_per_px() -> None:
    cam = orthographic(
        [1.0, 2.0, 3.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0], size_px=400, mm_per_px=0.05
    )
    xy, _ = cam.project([[1.0, 2.0, 3.0], [1.0 + 5.0, 2.0, 3.0], [1.0, 2.0 + 5.0, -40.0]])
    np.testing.assert_allclose(xy, [[200, 200], [300, 200], [200, 100]], atol=1e-9)


@pytest.mark.parametrize("bad", ["side", "", "FRONT"])
def test_unknown_view_names_are_refused(bad: str) -> None:
    with pytest.raises(InputError, match="view"):
        view_camera(bad, [0.0, 0.0, 0.0], size_px=256)


@pytest.mark.parametrize("size", [0, 8, 5000, 256.0, True])
def test_image_sizes_are_checked(size: object) -> None:
    with pytest.raises(InputError, match="size_px"):
        view_camera("front", [0.0, 0.0, 0.0], size_px=size)  # type: ignore[arg-type]


def test_interpolated_radius_matches_the_surface_reference(head: HeadModel) -> None:
    rng = np.random.default_rng(0)
    theta = rng.uniform(0.0, math.pi, 2000)
    phi = rng.uniform(-math.pi, math.pi, 2000)
    d = np.stack([np.sin(theta) * np.sin(phi), np.sin(theta) * np.cos(phi), np.cos(theta)], -1)
    got = np.array([tk.radius_at(v[0], v[1], v[2], head.prm, head.table) for v in d])
    np.testing.assert_allclose(got, radius_reference(theta, phi, head.prm), rtol=2e-6)


def _reference_hit(head: HeadModel, o: np.ndarray, d: np.ndarray) -> float:
    """Brute force: sample f along the ray every 0.05 mm, bisect the first sign change."""
    c = np.array([0.0, head.prm[P_YC], head.prm[P_ZC]])

    def f(t: np.ndarray) -> np.ndarray:
        rel = o + t[:, None] * d - c
        rho = np.linalg.norm(rel, axis=1)
        theta = np.arccos(np.clip(rel[:, 2] / rho, -1, 1))
        phi = np.arctan2(rel[:, 0], rel[:, 1])
        return rho - radius_reference(theta, phi, head.prm)

    t = np.arange(0.0, 1200.0, 0.05)
    vals = f(t)
    inside = np.flatnonzero(vals <= 0)
    if inside.size == 0:
        return -1.0
    lo, hi = t[inside[0] - 1], t[inside[0]]
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if f(np.array([mid]))[0] > 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


@settings(max_examples=30, deadline=None)
@given(
    view=st.sampled_from(["front", "back", "left", "right", "top"]),
    x=st.floats(0.0, 255.99),
    y=st.floats(0.0, 255.99),
)
def test_ray_hits_match_a_brute_force_march(view: str, x: float, y: float) -> None:
    h = HeadModel(mean_male_chart())
    cam = view_camera(view, h.centre_mm, size_px=256)
    o, d = np.empty(3), np.empty(3)
    tk._ray(cam.params(), x, y, o, d)
    got = tk.hit_head(o, d, h.prm, h.table, h.r_bound_mm, -1.0)
    want = _reference_hit(h, o, d)
    if want < 0:
        assert got < 0
    else:
        assert got == pytest.approx(want, abs=2e-3)


def test_a_hit_projects_back_into_its_own_pixel_with_its_depth(head: HeadModel) -> None:
    cam = view_camera("front", head.centre_mm, size_px=128)
    base = head.trace(cam, np.array([0.4, 0.3, 0.25]))
    rng = np.random.default_rng(1)
    hits = np.argwhere(base.kind == tk.KIND_HEAD)
    for r, c in hits[rng.choice(len(hits), 40, replace=False)]:
        o, d = np.empty(3), np.empty(3)
        tk._ray(cam.params(), c + 0.5, r + 0.5, o, d)
        t = tk.hit_head(o, d, head.prm, head.table, head.r_bound_mm, -1.0)
        xy, depth = cam.project(o + t * d)
        assert (int(xy[0, 0]), int(xy[0, 1])) == (c, r)
        assert depth[0] == pytest.approx(float(base.depth_mm[r, c]), abs=1e-3)


def test_normals_match_the_chart(head: HeadModel) -> None:
    chart = mean_male_chart()
    rng = np.random.default_rng(2)
    uv = rng.uniform(-120, 120, (300, 2))
    uv = uv[np.hypot(uv[:, 0], uv[:, 1]) < 170]
    got = head.normals(chart.chart_to_surface(uv))
    np.testing.assert_allclose(got, chart.normals(uv), atol=1e-5)


def test_background_is_neutral_and_the_head_is_skin_coloured(head: HeadModel) -> None:
    cam = view_camera("front", head.centre_mm, size_px=96)
    skin = np.array([0.45, 0.30, 0.22])
    base = head.trace(cam, skin)
    assert (base.kind[:4] == tk.KIND_BACKGROUND).all()
    bg = base.image[:4].reshape(-1, 3)
    assert np.allclose(bg[:, 0], bg[:, 1]) and np.allclose(bg[:, 1], bg[:, 2])
    assert np.isinf(base.depth_mm[base.kind == tk.KIND_BACKGROUND]).all()
    body = base.image[base.kind == tk.KIND_HEAD]
    ratio = body / skin
    # Lit skin keeps the table's hue: away from the sheen, green and blue are scaled alike
    # (only red wraps further round; the sheen adds white).
    lit = (ratio[:, 1] > np.quantile(ratio[:, 1], 0.5)) & (
        ratio[:, 1] < np.quantile(ratio[:, 1], 0.8)
    )
    assert np.median(ratio[lit, 2] / ratio[lit, 1]) == pytest.approx(1.0, abs=0.05)
    assert 0.7 < np.median(ratio[lit, 1]) < 1.3  # about the table's colour where lit
    assert body.min() > 0.05 * skin.min()  # no black shadows
