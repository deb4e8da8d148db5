"""The scalp chart: exact maps, area element, metric, Green's-theorem areas, numba vs NumPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from smpstudio.errors import InputError
from smpstudio.head import Head, build_head
from smpstudio.head.chart import ScalpChart
from smpstudio.head.fit import fit_params
from smpstudio.head.surface import (
    GL_NODES,
    GL_WEIGHTS,
    arc_length,
    derivs_kernel,
    point_reference,
    radius_reference,
)


@settings(max_examples=60, deadline=None)
@given(st.floats(-200.0, 200.0), st.floats(-220.0, 150.0))
def test_round_trip_chart_surface_chart(male_head: Head, u: float, v: float) -> None:
    chart = male_head.chart
    uv = np.array([[u, v]])
    back = chart.surface_to_chart(chart.chart_to_surface(uv))
    assert np.max(np.abs(back - uv)) < 1e-6


_CHARTS: dict[tuple[float, ...], ScalpChart] = {}


@settings(max_examples=6, deadline=None)
@given(st.floats(186.0, 214.0), st.floats(143.0, 165.0), st.floats(118.0, 145.0),
       st.floats(0.1, 0.9))  # fmt: skip
def test_round_trip_over_head_sizes(length: float, breadth: float, height: float, t: float) -> None:
    from smpstudio.head.fit import circumference_range

    lo, hi = circumference_range(length, breadth, height)
    prm, _ = fit_params(length, breadth, lo + t * (hi - lo), height)
    chart = ScalpChart(prm)
    rng = np.random.default_rng(0)
    uv = rng.uniform(-180, 180, (500, 2))
    xyz = chart.chart_to_surface(uv)
    assert np.max(np.abs(chart.surface_to_chart(xyz) - uv)) < 1e-6
    # the points are on the surface: |X - C| = R(direction)
    theta, phi = chart.surface_polar(xyz)
    rho = np.linalg.norm(xyz - chart.centre_mm, axis=1)
    assert np.allclose(rho, radius_reference(theta, phi, prm), rtol=0, atol=1e-9)


def test_arc_length_matches_adaptive_quadrature(male_head: Head) -> None:
    prm = male_head.chart.params

    def speed_fd(t: float, phi: float) -> float:  # plain finite-difference reference
        h = 1e-6
        r = radius_reference(np.array([t - h, t, t + h]), np.full(3, phi), prm)
        return math.hypot(r[1], (r[2] - r[0]) / (2 * h))

    for phi in (-2.5, -0.4, 0.0, 1.2, math.pi):
        for theta in (0.4, 1.3, 2.2):
            ref = quad(speed_fd, 0.0, min(theta, math.pi / 2), args=(phi,), epsabs=1e-10)[0]
            if theta > math.pi / 2:
                ref += quad(speed_fd, math.pi / 2, theta, args=(phi,), epsabs=1e-10)[0]
            assert arc_length(theta, phi, prm, GL_NODES, GL_WEIGHTS) == pytest.approx(ref, abs=1e-5)


def test_kernel_derivatives_match_reference(male_head: Head) -> None:
    prm = male_head.chart.params
    rng = np.random.default_rng(1)
    theta, phi = rng.uniform(0.05, 3.0, 300), rng.uniform(-3.1, 3.1, 300)
    d = derivs_kernel(theta, phi, prm)
    h = 1e-6
    assert np.allclose(d[:, 0], radius_reference(theta, phi, prm), rtol=1e-13)
    rt = (radius_reference(theta + h, phi, prm) - radius_reference(theta - h, phi, prm)) / (2 * h)
    rp = (radius_reference(theta, phi + h, prm) - radius_reference(theta, phi - h, prm)) / (2 * h)
    assert np.allclose(d[:, 1], rt, atol=1e-5)
    assert np.allclose(d[:, 2], rp, atol=1e-5)


def test_chart_radius_is_arc_length(male_head: Head) -> None:
    """hypot(u, v) equals the length of the surface polyline from the vertex (definition)."""
    chart = male_head.chart
    for phi in (0.3, 2.0, -1.0):
        s = np.linspace(0.0, 150.0, 3001)
        pts = chart.chart_to_surface(np.stack([s * math.sin(phi), s * math.cos(phi)], -1))
        length = np.sum(np.linalg.norm(np.diff(pts, axis=0), axis=1))
        assert length == pytest.approx(150.0, rel=1e-6)
        # and the points stay in the vertical half-plane through the vertex
        rel = pts[1:] - chart.centre_mm
        assert np.allclose(np.arctan2(rel[:, 0], rel[:, 1]), phi)


def test_metric_matches_finite_differences(male_head: Head) -> None:
    chart = male_head.chart
    uv = np.array([[10.0, 20.0], [-60.0, 40.0], [80.0, -120.0], [0.0, -150.0], [1e-3, 0.0]])
    g = chart.metric(uv)
    h = 1e-4
    for k, p in enumerate(uv):
        du, dv = np.array([h, 0.0]), np.array([0.0, h])
        xu = (chart.chart_to_surface(p + du) - chart.chart_to_surface(p - du))[0] / (2 * h)
        xv = (chart.chart_to_surface(p + dv) - chart.chart_to_surface(p - dv))[0] / (2 * h)
        ref = np.array([[xu @ xu, xu @ xv], [xu @ xv, xv @ xv]])
        assert np.allclose(g[k], ref, atol=2e-6)
    assert np.allclose(np.sqrt(np.linalg.det(g)), chart.area_element(uv), rtol=1e-9)


def _triangulated_area(chart: ScalpChart, geom: shapely.Geometry, edge_mm: float) -> float:
    """Reference: triangulate the chart shape on a square grid (cells inside the shape split
    in two, boundary cells clipped and triangulated), map the vertices to the surface and add
    up flat 3-D triangle areas. Independent of the area element and of Green's theorem."""
    minx, miny, maxx, maxy = geom.bounds
    xs = np.arange(minx - edge_mm, maxx + edge_mm, edge_mm)
    ys = np.arange(miny - edge_mm, maxy + edge_mm, edge_mm)
    x0, y0 = (a.ravel() for a in np.meshgrid(xs, ys))
    cells = shapely.box(x0, y0, x0 + edge_mm, y0 + edge_mm)
    shapely.prepare(geom)
    inside = shapely.contains(geom, cells)
    edge = shapely.intersects(geom, cells) & ~inside
    a = np.stack([x0[inside], y0[inside]], -1)
    b = a + np.array([edge_mm, 0.0])
    c = a + np.array([edge_mm, edge_mm])
    d = a + np.array([0.0, edge_mm])
    tris = [np.stack([a, b, c], 1), np.stack([a, c, d], 1)]
    pieces = shapely.intersection(cells[edge], geom)
    parts = shapely.get_parts(shapely.constrained_delaunay_triangles(pieces))
    parts = parts[shapely.get_type_id(parts) == 3]
    tris.append(np.array([np.asarray(t.exterior.coords)[:3] for t in parts]).reshape(-1, 3, 2))
    corners = np.concatenate(tris)
    xyz = chart.chart_to_surface(corners.reshape(-1, 2)).reshape(-1, 3, 3)
    cross = np.cross(xyz[:, 1] - xyz[:, 0], xyz[:, 2] - xyz[:, 0])
    return float(0.5 * np.linalg.norm(cross, axis=1).sum())


@pytest.mark.parametrize("name", ["frontal", "vertex", "parietal_right", "occipital"])
def test_region_area_matches_triangulation(male_head: Head, name: str) -> None:
    from smpstudio.regions import build_regions

    regions = build_regions(male_head)
    geom = regions.polygons[name]
    ref = _triangulated_area(male_head.chart, geom, 2.0)
    assert male_head.chart.surface_area_mm2(geom) == pytest.approx(ref, rel=0.005)


def test_area_of_shape_around_vertex_and_with_hole(male_head: Head) -> None:
    chart = male_head.chart
    disc = shapely.Point(0.0, 0.0).buffer(40.0, quad_segs=64)
    ring = disc.difference(shapely.Point(5.0, 5.0).buffer(10.0, quad_segs=64))
    ref_disc = _triangulated_area(chart, disc, 2.0)
    assert chart.surface_area_mm2(disc) == pytest.approx(ref_disc, rel=0.002)
    hole = _triangulated_area(chart, shapely.Point(5.0, 5.0).buffer(10.0, quad_segs=64), 1.0)
    assert chart.surface_area_mm2(ring) == pytest.approx(ref_disc - hole, rel=0.003)
    assert chart.surface_area_mm2(shapely.Polygon()) == 0.0


def test_small_patch_area_is_pi_a_b(male_head: Head) -> None:
    from smpstudio.regions import ellipse

    for centre in ((0.0, 40.0), (30.0, -60.0)):
        patch = ellipse(centre, 6.0, 4.0, 30.0, resolution=128)
        j = male_head.chart.area_element(np.array([centre]))[0]
        assert male_head.chart.surface_area_mm2(patch) == pytest.approx(
            math.pi * 6.0 * 4.0 * j, rel=0.02
        )
    near_vertex = ellipse((2.0, 3.0), 5.0, 3.0, resolution=128)
    assert male_head.chart.surface_area_mm2(near_vertex) == pytest.approx(math.pi * 15, rel=0.02)


def test_chart_rejects_bad_points(male_head: Head) -> None:
    chart = male_head.chart
    with pytest.raises(InputError):
        chart.chart_to_surface(np.zeros((3, 3)))
    with pytest.raises(InputError):
        chart.chart_to_surface([[np.nan, 0.0]])
    with pytest.raises(InputError, match=r"chart_mm"):
        chart.chart_to_surface([[0.0, -1000.0]])
    assert chart.chart_to_surface(np.empty((0, 2))).shape == (0, 3)


def test_reshaped_and_scaled_heads() -> None:
    """A 5 % larger head (all measurements) has areas 1.05^2 larger."""
    from smpstudio.case.model import HeadMeasurements

    base = dict(circumference_mm=574.0, length_mm=200.0, breadth_mm=154.0,
                tragion_to_vertex_mm=131.0)  # fmt: skip
    a = build_head(HeadMeasurements(**base), "male")
    b = build_head(HeadMeasurements(**{k: 1.05 * v for k, v in base.items()}), "male",
                   mid_frontal_height_mm=70.0 * 1.05)  # fmt: skip
    assert b.scalp_area_cm2 == pytest.approx(1.05**2 * a.scalp_area_cm2, rel=2e-3)
    pts = point_reference(np.array([0.5]), np.array([0.2]), a.chart.params)
    assert pts.shape == (1, 3)
