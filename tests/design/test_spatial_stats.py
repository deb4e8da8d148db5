"""Spatial statistics against analytic values for lattices and the Poisson process."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from smpstudio.design.spatial_stats import (
    CE_HEXAGONAL,
    clark_evans_ratio,
    lattice_peak_test,
    nearest_neighbour_distances,
    structure_factor,
)
from smpstudio.errors import InputError

BOX = shapely.box(0.0, 0.0, 50.0, 50.0)


def hex_lattice(spacing_mm: float, side_mm: float) -> np.ndarray:
    n = int(side_mm / spacing_mm) + 3
    i, j = np.meshgrid(np.arange(-1, n), np.arange(-1, int(n * 1.2)))
    pts = np.stack([(i + 0.5 * (j % 2)) * spacing_mm, j * spacing_mm * np.sqrt(3) / 2], -1)
    pts = pts.reshape(-1, 2) + 0.01
    return pts[np.all((pts >= 0) & (pts < side_mm), axis=1)]


def test_clark_evans_hexagonal_lattice_is_2_149() -> None:
    # Clark & Evans (1954): R = 2.1491 for a hexagonal arrangement
    pts = hex_lattice(1.0, 50.0)
    density = 2.0 / np.sqrt(3.0)  # points per unit area of a unit hexagonal lattice
    r = clark_evans_ratio(pts, area_mm2=pts.shape[0] / density, boundary=BOX)
    assert r == pytest.approx(CE_HEXAGONAL, abs=1e-3)


def test_clark_evans_square_lattice_is_2() -> None:
    u, v = np.meshgrid(np.arange(50) + 0.5, np.arange(50) + 0.5)
    pts = np.stack([u.ravel(), v.ravel()], axis=-1)
    assert clark_evans_ratio(pts, area_mm2=2500.0, boundary=BOX) == pytest.approx(2.0)
    assert clark_evans_ratio(pts, area_mm2=2500.0, edge="none") == pytest.approx(2.0)


@pytest.mark.parametrize("edge", ["guard", "donnelly"])
def test_clark_evans_poisson_is_1(edge: str) -> None:
    # CSR: E[R] = 1 once the edge is handled; standard error 0.26136 / sqrt(N * density)
    rs = [
        clark_evans_ratio(
            np.random.default_rng(s).random((3000, 2)) * 50.0, area_mm2=2500.0,
            boundary=BOX, edge=edge,  # type: ignore[arg-type]
        )
        for s in range(4)
    ]  # fmt: skip
    assert np.mean(rs) == pytest.approx(1.0, abs=0.025)
    # without a correction the edge inflates R (neighbours outside the box are missing)
    naive = clark_evans_ratio(
        np.random.default_rng(0).random((3000, 2)) * 50.0, area_mm2=2500.0, edge="none"
    )
    assert naive > rs[0]


def test_clark_evans_unit_and_metric_scaling() -> None:
    pts = np.random.default_rng(7).random((800, 2)) * 50.0
    base = clark_evans_ratio(pts, area_mm2=2500.0, edge="none")
    scaled = clark_evans_ratio(pts * 10.0, area_mm2=250000.0, edge="none")
    assert scaled == pytest.approx(base, rel=1e-12)

    def shrink(uv: np.ndarray) -> np.ndarray:  # surface is the chart scaled by 1/10
        g = np.zeros((uv.shape[0], 3))
        g[:, 0] = g[:, 2] = 0.01
        return g

    curved = clark_evans_ratio(pts * 10.0, area_mm2=2500.0, metric_fn=shrink, edge="none")
    assert curved == pytest.approx(base, rel=1e-12)


def test_nearest_neighbour_under_anisotropic_metric() -> None:
    pts = np.random.default_rng(3).random((400, 2)) * 20.0

    def stretch(uv: np.ndarray) -> np.ndarray:  # ds^2 = 4 du^2 + dv^2
        g = np.zeros((uv.shape[0], 3))
        g[:, 0] = 4.0
        g[:, 2] = 1.0
        return g

    got, _ = nearest_neighbour_distances(pts, metric_fn=stretch)
    mapped = pts * np.array([2.0, 1.0])
    diff = mapped[:, None, :] - mapped[None, :, :]
    d = np.hypot(diff[..., 0], diff[..., 1]) + np.diag(np.full(400, np.inf))
    np.testing.assert_allclose(got, d.min(axis=1), rtol=1e-12)


def test_structure_factor_of_poisson_is_1() -> None:
    # S(k) = 1 for every k != 0 for a Poisson process (Torquato 2018, Physics Reports 745)
    pts = np.random.default_rng(5).random((2000, 2)) * 50.0
    _, s = structure_factor(pts, window_origin_mm=(0.0, 0.0), window_mm=50.0, n_max=40)
    s[40, 40] = np.nan
    assert np.nanmean(s) == pytest.approx(1.0, abs=0.03)


def test_lattice_peak_flags_lattices_not_poisson() -> None:
    a = 1.2
    hexa = hex_lattice(a, 50.0)
    jittered = hexa + np.random.default_rng(1).normal(0.0, 0.2 * a, hexa.shape)
    u, v = np.meshgrid(np.arange(0.3, 50, a), np.arange(0.3, 50, a))
    square = np.stack([u.ravel(), v.ravel()], -1)
    square = square + np.random.default_rng(2).normal(0.0, 0.15 * a, square.shape)
    for pts in (jittered, square):
        res = lattice_peak_test(pts, window_origin_mm=(0.0, 0.0), window_mm=50.0)
        assert res.has_peak and res.p_value < 1e-10
        assert np.hypot(*res.k_peak_per_mm) == pytest.approx(
            2 * np.pi / a * (2 / np.sqrt(3) if pts is jittered else 1.0), rel=0.05
        )
    false_alarms = [
        lattice_peak_test(
            np.random.default_rng(s).random((1700, 2)) * 50.0, window_origin_mm=(0.0, 0.0),
            window_mm=50.0,
        ).has_peak
        for s in range(5)
    ]  # fmt: skip
    assert not any(false_alarms)


@pytest.mark.parametrize(
    "points", [np.zeros((1, 2)), np.zeros((5, 3)), np.array([[0.0, 1.0], [np.nan, 2.0]])]
)
def test_bad_points(points: np.ndarray) -> None:
    with pytest.raises(InputError):
        clark_evans_ratio(points, area_mm2=10.0, edge="none")


def test_bad_area_and_missing_boundary() -> None:
    pts = np.random.default_rng(0).random((10, 2))
    with pytest.raises(InputError, match="area_mm2"):
        clark_evans_ratio(pts, area_mm2=0.0, edge="none")
    with pytest.raises(InputError, match="boundary"):
        clark_evans_ratio(pts, area_mm2=1.0)
    with pytest.raises(InputError, match="points_mm"):
        lattice_peak_test(pts, window_origin_mm=(0.0, 0.0), window_mm=1.0)
