"""The scene's checks and the stubble grown from it."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from smpstudio.errors import InputError
from smpstudio.optics.colour import hex_to_linear_srgb
from smpstudio.render.headmodel import HeadModel
from smpstudio.render.raster import coverage_image
from smpstudio.render.scene import DotColumns
from smpstudio.render.stubble import (
    EDGE_TAPER_MM,
    grow_stubble,
    growth_direction,
    segment_discs,
    taper_edges,
)

from .scenes import mean_male_chart, small_scene


def test_hex_colours_decode_with_the_srgb_curve() -> None:
    np.testing.assert_allclose(hex_to_linear_srgb("#FFFFFF"), [1, 1, 1])
    np.testing.assert_allclose(hex_to_linear_srgb("#000000"), [0, 0, 0])
    # 0x80 = 128: ((128/255 + 0.055) / 1.055) ** 2.4 = 0.2158605 (IEC 61966-2-1)
    np.testing.assert_allclose(hex_to_linear_srgb("#808080"), [0.2158605] * 3, rtol=1e-6)
    with pytest.raises(InputError, match="hair_colour_hex"):
        hex_to_linear_srgb("brown", field="hair_colour_hex")


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("depth_mm", np.full(3, 3.0), "depth_mm"),
        ("dilution_frac", np.full(3, 0.95), "dilution_frac"),
        ("diameter_mm", np.zeros(3), "diameter_mm"),
        ("xyz_mm", np.zeros((3, 2)), "xyz_mm"),
        ("session", np.zeros(4, dtype=np.int64), "session"),
        ("uv_mm", np.full((3, 2), np.nan), "uv_mm"),
    ],
)
def test_dot_columns_are_checked(field: str, value: np.ndarray, match: str) -> None:
    good = dict(
        uv_mm=np.zeros((3, 2)),
        xyz_mm=np.zeros((3, 3)),
        diameter_mm=np.full(3, 0.2),
        depth_mm=np.full(3, 0.3),
        dilution_frac=np.full(3, 0.2),
        session=np.ones(3, dtype=np.int64),
        on_scar=np.zeros(3, dtype=bool),
    )
    DotColumns(**good)
    good[field] = value
    with pytest.raises(InputError, match=match):
        DotColumns(**good)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("skin_fitzpatrick", 7),
        ("skin_fitzpatrick", True),
        ("hair_colour_hex", "#12345"),
        ("faded_remaining_frac", 1.5),
        ("follicles_uv_mm", np.zeros((3, 3))),
        ("hairs_per_follicle", 5.0),
    ],
)
def test_scene_is_checked(field: str, value: object) -> None:
    scene = small_scene()
    with pytest.raises(InputError, match=field):
        dataclasses.replace(scene, **{field: value})
    assert DotColumns.empty().count == 0


def test_hair_grows_away_from_the_whorl() -> None:
    d = growth_direction(np.array([[0.0, 100.0], [0.0, -150.0], [120.0, 0.0], [-120.0, 0.0]]))
    want = np.array([[0.0, 1.0], [0.0, -1.0], [1.0, 0.0], [-1.0, 0.0]])
    cos = np.sum(d * want, axis=1)
    assert np.all(cos > math.cos(math.radians(25)))  # forward at the front, down elsewhere
    np.testing.assert_allclose(np.linalg.norm(d, axis=1), 1.0)


def test_stubble_sits_on_the_skin_and_leaves_it() -> None:
    chart = mean_male_chart()
    head = HeadModel(chart)
    rng = np.random.default_rng(5)
    fol = rng.uniform(-60, 60, (3000, 2))
    hairs = grow_stubble(chart, head, fol, 2.2)
    assert hairs.count / fol.shape[0] == pytest.approx(2.2, abs=0.06)  # PMC6219221: 2.2 per FU
    assert np.abs(head.outside_mm(hairs.root_mm[:200])).max() < 0.01  # roots on the skin
    rise = np.einsum("ij,ij->i", hairs.tip_mm - hairs.root_mm, hairs.normal)
    assert np.all(rise > 0.1)  # tips stand out of the skin
    length = np.linalg.norm(hairs.tip_mm - hairs.root_mm, axis=1)
    assert 0.3 - 1e-9 <= length.min() and length.max() <= 0.8 + 1e-9
    assert np.all((hairs.width_mm >= 0.06) & (hairs.width_mm <= 0.08))
    again = grow_stubble(chart, head, fol, 2.2)
    assert np.array_equal(hairs.tip_mm, again.tip_mm)  # deterministic


def test_hair_thins_toward_the_outlines() -> None:
    rng = np.random.default_rng(1)
    fol = rng.uniform(-50, 50, (40000, 2))
    square = np.array([[-50.0, -50.0], [50.0, -50.0], [50.0, 50.0], [-50.0, 50.0]])
    kept = taper_edges(fol, [square], np.random.default_rng(2))
    edge = np.min(50.0 - np.abs(kept), axis=1)
    near = np.mean(edge < 1.0) / np.mean(np.min(50.0 - np.abs(fol), axis=1) < 1.0)
    far = np.mean(edge > EDGE_TAPER_MM) / np.mean(np.min(50 - np.abs(fol), axis=1) > EDGE_TAPER_MM)
    assert near < 0.3 * far
    assert np.array_equal(taper_edges(fol, [], np.random.default_rng(2)), fol)


@pytest.mark.parametrize("width", [0.2, 0.6, 1.5, 3.0])
def test_stroke_discs_cover_the_stroke_area(width: float) -> None:
    a = np.array([[20.3, 30.1], [50.0, 50.0]])
    b = np.array([[27.9, 33.7], [50.4, 58.0]])
    strokes = segment_discs(a, b, np.full(2, width))
    cover = coverage_image(100, 100, strokes.centers_px, strokes.radius_px).sum()
    length = np.hypot(*(b - a).T)
    if width < 1.0:  # area-true: width x (length + width), minus nothing (discs apart)
        assert cover == pytest.approx(np.sum(width * (length + width)), rel=0.02)
    else:  # a capsule: width x length + a disc, counted once per overlap at most
        capsule = np.sum(width * length + math.pi * width**2 / 4)
        assert capsule <= cover < 4.5 * capsule
