"""A synthetic Norwood-V scene for the render tests, built from the real geometry and sampler.

The plan (render.plan_scene.scene_for_plan) fills a RenderScene from a case; these tests must not
depend on it, so this builds one the same way from the fitted ANSUR II mean male head: a
scalp outline at fixed heights, a designed hairline, a bald area, existing follicles at 85
FU/cm2 thinning over 12 mm toward the bald edge, and blue-noise dots at 60 per cm2 over the
bald area in three sessions (35/70/100 %), with the design's dot attributes.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import shapely

from smpstudio.design.attributes import dot_attributes
from smpstudio.design.bluenoise import sample_progressive
from smpstudio.head.chart import ScalpChart
from smpstudio.head.fit import fit_params
from smpstudio.render.scene import DotColumns, RenderScene
from smpstudio.units import per_cm2_to_per_mm2

FloatArray = np.ndarray


@cache
def mean_male_chart() -> ScalpChart:
    """Chart of the ANSUR II mean male head (Gordon et al. 2014)."""
    prm, _ = fit_params(200.0, 154.0, 574.0, 131.0)
    return ScalpChart(prm)


def _arc_at_height(chart: ScalpChart, phi: FloatArray, z_mm: FloatArray) -> FloatArray:
    """Chart radius where the meridian at ``phi`` comes down to height ``z_mm``."""
    theta = np.linspace(0.0, 0.95 * math.pi, 400)
    out = np.empty(phi.size)
    for i, (p, z) in enumerate(zip(phi, z_mm, strict=True)):
        pts = chart.polar_point(theta, np.full(theta.size, p))
        t = float(np.interp(-z, -pts[:, 2], theta))
        out[i] = float(chart.arc_mm(np.array([t]), np.array([p]))[0])
    return out


def _polar_curve(phi: FloatArray, s: FloatArray) -> FloatArray:
    return np.stack([s * np.sin(phi), s * np.cos(phi)], axis=-1)


@cache
def outlines() -> dict[str, FloatArray]:
    """Scalp outline, designed hairline and bald outline (chart mm)."""
    chart = mean_male_chart()
    phi = np.linspace(-math.pi, math.pi, 181)[:-1]
    z_scalp = 21.25 + 77.5 * np.cos(phi) + 1.25 * np.cos(2 * phi)  # 100 front, 20 sides, -55 back
    s_scalp = _arc_at_height(chart, phi, z_scalp)
    phi_h = np.linspace(-math.radians(72), math.radians(72), 49)
    s_h = np.interp(phi_h, phi, s_scalp) - 4.0 - 6.0 * np.sin(np.abs(phi_h)) ** 2
    # Bald: everything in front (to beyond the scalp outline), narrowing to a crown at the back.
    front = s_scalp + 15.0
    back = 78.0 + 6.0 * np.cos(phi)
    w = np.clip((np.abs(phi) - math.radians(55)) / math.radians(35), 0.0, 1.0)
    s_bald = (1 - w) * front + w * back
    return {
        "scalp": _polar_curve(phi, s_scalp),
        "hairline": _polar_curve(phi_h, s_h),
        "bald": _polar_curve(phi, s_bald),
    }


def _grid(step_mm: float, half_mm: float) -> tuple[FloatArray, FloatArray, FloatArray]:
    c = np.arange(-half_mm, half_mm, step_mm) + 0.5 * step_mm
    uu, vv = np.meshgrid(c, c)
    return uu, vv, np.stack([uu.ravel(), vv.ravel()], axis=-1)


def _metric_grid(chart: ScalpChart, pts: FloatArray, mask: np.ndarray, shape: tuple[int, int]):
    g = np.zeros((pts.shape[0], 3))
    g[:, 0] = g[:, 2] = 1.0
    m = chart.metric(pts[mask])
    g[mask, 0], g[mask, 1], g[mask, 2] = m[:, 0, 0], m[:, 0, 1], m[:, 1, 1]
    return g.reshape(*shape, 3)


@cache
def norwood5_scene(
    dot_density_per_cm2: float = 60.0, fu_per_cm2: float = 85.0, seed: int = 7
) -> RenderScene:
    """The synthetic scene (cached: building it takes a few seconds)."""
    chart = mean_male_chart()
    lines = outlines()
    scalp = shapely.Polygon(lines["scalp"])
    bald = shapely.Polygon(lines["bald"])
    step, half = 2.0, 200.0
    uu, _, pts = _grid(step, half)
    in_scalp = shapely.contains_xy(scalp, pts[:, 0], pts[:, 1])
    dist_bald = shapely.distance(bald.exterior, shapely.points(pts))
    in_bald = shapely.contains_xy(bald, pts[:, 0], pts[:, 1])
    outside = in_scalp & ~in_bald
    metric = _metric_grid(chart, pts, in_scalp, uu.shape)
    rng = np.random.default_rng([seed, 1])
    hair_frac = np.where(outside, np.clip(dist_bald / 12.0, 0.08, 1.0), 0.0)
    fol = sample_progressive(
        (per_cm2_to_per_mm2(fu_per_cm2) * hair_frac).reshape(uu.shape),
        origin_mm=(-half, -half),
        step_mm=step,
        metric=metric,
        stage_fracs=(1.0,),
        rng=rng,
    ).points_mm
    # Dots: the bald area, plus the thinning fringe (topping up what the hair lacks).
    front = np.abs(np.arctan2(pts[:, 0], pts[:, 1])) < math.radians(60)
    fringe = np.where(outside & ~front, np.clip(1.0 - hair_frac, 0.0, 1.0), 0.0)
    hl = shapely.Polygon(np.vstack([lines["hairline"], [[0.0, 0.0]]]))
    in_front = shapely.contains_xy(hl, pts[:, 0], pts[:, 1])
    ahead = front & ~in_front & (np.hypot(pts[:, 0], pts[:, 1]) > 40.0)
    dot_frac = np.where(in_bald & ~ahead, 1.0, fringe)
    res = sample_progressive(
        (per_cm2_to_per_mm2(dot_density_per_cm2) * dot_frac).reshape(uu.shape),
        origin_mm=(-half, -half),
        step_mm=step,
        metric=metric,
        rng=np.random.default_rng([seed, 2]),
    )
    uv = res.points_mm
    session = res.stage.astype(np.int64) + 1
    hairline = shapely.LineString(lines["hairline"])
    behind = shapely.distance(hairline, shapely.points(uv))
    attrs = dot_attributes(
        hairline_distance_mm=np.where(np.abs(uv[:, 0]) < 75, behind, 99.0),
        session=session,
        on_scar=np.zeros(uv.shape[0], dtype=bool),
        sessions=3,
        depth_mm=0.3,
        rng=np.random.default_rng([seed, 3]),
    )
    dots = DotColumns(
        uv_mm=uv,
        xyz_mm=chart.chart_to_surface(uv),
        diameter_mm=attrs["diameter_mm"],
        depth_mm=attrs["depth_mm"],
        dilution_frac=attrs["dilution_frac"],
        session=session,
        on_scar=np.zeros(uv.shape[0], dtype=bool),
    )
    return RenderScene(
        chart=chart,
        skin_fitzpatrick=3,
        hair_colour_hex="#3B2A20",
        follicles_uv_mm=fol,
        dots=dots,
        faded_remaining_frac=0.70,
        bald_outline_uv_mm=[lines["bald"]],
        hairline_uv_mm=lines["hairline"],
        scalp_outline_uv_mm=lines["scalp"],
    )


@cache
def small_scene(seed: int = 3) -> RenderScene:
    """A quick scene: dots on a 25 mm crown disc, follicles on a ring around it."""
    chart = mean_male_chart()
    rng = np.random.default_rng([seed, 1])
    ring = rng.uniform(-60.0, 60.0, (6000, 2))
    r = np.hypot(ring[:, 0], ring[:, 1])
    follicles = ring[(r > 32.0) & (r < 60.0)][:2500]
    step, half = 1.0, 26.0
    c = np.arange(-half, half, step) + 0.5 * step
    uu, vv = np.meshgrid(c, c)
    density = np.where(np.hypot(uu, vv) < 25.0, per_cm2_to_per_mm2(60.0), 0.0)
    res = sample_progressive(
        density, origin_mm=(-half, -half), step_mm=step, rng=np.random.default_rng([seed, 2])
    )
    uv = res.points_mm
    session = res.stage.astype(np.int64) + 1
    n = uv.shape[0]
    attrs = dot_attributes(
        hairline_distance_mm=np.full(n, 99.0),
        session=session,
        on_scar=np.zeros(n, dtype=bool),
        sessions=3,
        depth_mm=0.3,
        rng=np.random.default_rng([seed, 3]),
    )
    dots = DotColumns(
        uv_mm=uv,
        xyz_mm=chart.chart_to_surface(uv),
        diameter_mm=attrs["diameter_mm"],
        depth_mm=attrs["depth_mm"],
        dilution_frac=attrs["dilution_frac"],
        session=session,
        on_scar=np.zeros(n, dtype=bool),
    )
    theta = np.linspace(-math.pi, math.pi, 60)
    return RenderScene(
        chart=chart,
        skin_fitzpatrick=2,
        hair_colour_hex="#2B1E16",
        follicles_uv_mm=follicles,
        dots=dots,
        faded_remaining_frac=0.7,
        bald_outline_uv_mm=[np.stack([25 * np.sin(theta), 25 * np.cos(theta)], -1)],
        hairline_uv_mm=np.array([[-20.0, 24.0], [0.0, 25.0], [20.0, 24.0]]),
        scalp_outline_uv_mm=np.stack([150 * np.sin(theta), 150 * np.cos(theta)], -1),
    )
