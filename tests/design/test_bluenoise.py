"""Blue-noise dot sampler: density, spacing, regularity, nesting, determinism, bad input."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.design import bluenoise
from smpstudio.design.bluenoise import (
    HEX_SPACING_PER_SQRT_DENSITY,
    MIN_SPACING_FRAC,
    BlueNoiseResult,
    sample_progressive,
)
from smpstudio.design.spatial_stats import (
    clark_evans_ratio,
    lattice_peak_test,
    nearest_neighbour_distances,
)
from smpstudio.errors import InputError, ModelError

FRACS = (0.35, 0.70, 1.0)
SPHERE_R_MM = 95.0


def sphere_metric(uv: np.ndarray) -> np.ndarray:
    """Azimuthal-equidistant chart of a sphere: G = e_r e_r^T + (R sin(s/R)/s)^2 e_t e_t^T."""
    s = np.hypot(uv[..., 0], uv[..., 1])
    safe = np.where(s > 1e-9, s, 1.0)
    er = np.stack([uv[..., 0] / safe, uv[..., 1] / safe], axis=-1)
    er = np.where((s > 1e-9)[..., None], er, np.array([1.0, 0.0]))
    tang = np.where(s > 1e-9, (SPHERE_R_MM * np.sin(s / SPHERE_R_MM) / safe) ** 2, 1.0)
    g = np.empty((*uv.shape[:-1], 3))
    g[..., 0] = er[..., 0] ** 2 + tang * er[..., 1] ** 2
    g[..., 1] = (1.0 - tang) * er[..., 0] * er[..., 1]
    g[..., 2] = er[..., 1] ** 2 + tang * er[..., 0] ** 2
    return g


def cell_centres(shape: tuple[int, int], origin: tuple[float, float], step: float) -> np.ndarray:
    iy, ix = np.mgrid[0 : shape[0], 0 : shape[1]]
    return np.stack([origin[0] + (ix + 0.5) * step, origin[1] + (iy + 0.5) * step], axis=-1)


def density_at(points: np.ndarray, dens: np.ndarray, origin, step) -> np.ndarray:
    ix = np.floor((points[:, 0] - origin[0]) / step).astype(int)
    iy = np.floor((points[:, 1] - origin[1]) / step).astype(int)
    return dens[iy, ix]


def step_ramp_density() -> np.ndarray:
    """120 x 80 mm: 90 per cm2 for u < 40, a ramp to 30 per cm2 by u = 80, then 30 per cm2."""
    u = np.arange(120) + 0.5
    row = np.where(u < 40, 0.9, np.where(u < 80, 0.9 - 0.6 * (u - 40) / 40, 0.3))
    return np.tile(row, (80, 1))


@pytest.fixture(scope="module")
def flat_result() -> BlueNoiseResult:
    return sample_progressive(
        step_ramp_density(), origin_mm=(0.0, 0.0), step_mm=1.0, rng=np.random.default_rng(11)
    )


@pytest.fixture(scope="module")
def sphere_case() -> tuple[BlueNoiseResult, np.ndarray, np.ndarray]:
    step = 1.0
    origin = (-62.0, -62.0)
    centres = cell_centres((124, 124), origin, step)
    dens = np.where(np.hypot(centres[..., 0], centres[..., 1]) < 60.0, 0.6, 0.0)
    metric = sphere_metric(centres)
    res = sample_progressive(
        dens, origin_mm=origin, step_mm=step, metric=metric, rng=np.random.default_rng(5)
    )
    return res, dens, metric


def test_counts_are_exact_and_nested(flat_result: BlueNoiseResult) -> None:
    expected_total = round(float(step_ramp_density().sum()))
    assert flat_result.points_mm.shape == (expected_total, 2)
    for k, f in enumerate(FRACS):
        assert np.count_nonzero(flat_result.stage <= k) == round(f * expected_total)
    assert np.all(np.diff(flat_result.stage) >= 0)  # stage 0 first


def test_flat_density_within_3_percent(flat_result: BlueNoiseResult) -> None:
    dens = step_ramp_density()
    checked = 0
    for k, f in enumerate(FRACS):
        pts = flat_result.cumulative(k)
        for u0 in range(0, 120, 20):
            for v0 in (0, 40):
                expected = f * dens[v0 : v0 + 40, u0 : u0 + 20].sum()
                if expected < 500:
                    continue
                inside = np.all((pts >= (u0, v0)) & (pts < (u0 + 20, v0 + 40)), axis=1)
                assert abs(np.count_nonzero(inside) / expected - 1.0) < 0.03, (k, u0, v0)
                checked += 1
    assert checked >= 10


def test_sphere_density_within_3_percent(sphere_case) -> None:
    res, _, _ = sphere_case
    # surface area of a geodesic annulus on a sphere: 2 pi R^2 (cos(a/R) - cos(b/R))
    rings = ((0.0, 25.0), (25.0, 38.0), (38.0, 48.0), (48.0, 56.0))
    for k, f in enumerate(FRACS):
        pts = res.cumulative(k)
        s = np.hypot(pts[:, 0], pts[:, 1])
        for a, b in rings:
            area = 2 * np.pi * SPHERE_R_MM**2 * (np.cos(a / SPHERE_R_MM) - np.cos(b / SPHERE_R_MM))
            expected = 0.6 * f * area
            if expected < 500:
                continue
            got = np.count_nonzero((s >= a) & (s < b))
            assert abs(got / expected - 1.0) < 0.03, (k, a, b, got, expected)


def test_sphere_total_matches_cap_area(sphere_case) -> None:
    res, dens, metric = sphere_case
    det = metric[..., 0] * metric[..., 2] - metric[..., 1] ** 2
    assert res.points_mm.shape[0] == round(float(np.sum(dens * np.sqrt(det))))
    cap = 2 * np.pi * SPHERE_R_MM**2 * (1 - np.cos(60.0 / SPHERE_R_MM))
    assert abs(res.points_mm.shape[0] / (0.6 * cap) - 1.0) < 0.02  # staircase edge of the disc


def test_min_spacing_holds_flat(flat_result: BlueNoiseResult) -> None:
    dens = step_ramp_density()
    for k, f in enumerate(FRACS):
        pts = flat_result.cumulative(k)
        dist, nb = nearest_neighbour_distances(pts)
        local = np.maximum(density_at(pts, dens, (0, 0), 1.0), density_at(pts[nb], dens, (0, 0), 1))
        spacing = HEX_SPACING_PER_SQRT_DENSITY / np.sqrt(local * f)
        assert np.all(dist >= MIN_SPACING_FRAC * spacing), k


def test_min_spacing_holds_on_sphere(sphere_case) -> None:
    res, _, _ = sphere_case
    for k, f in enumerate(FRACS):
        dist, _ = nearest_neighbour_distances(res.cumulative(k), metric_fn=sphere_metric)
        assert dist.min() >= MIN_SPACING_FRAC * HEX_SPACING_PER_SQRT_DENSITY / np.sqrt(0.6 * f)


def test_clark_evans_each_stage_flat(flat_result: BlueNoiseResult) -> None:
    box = shapely.box(0, 0, 40, 80)  # the uniform 90 per cm2 block
    for k, f in enumerate(FRACS):
        pts = flat_result.cumulative(k)
        pts = pts[pts[:, 0] < 40]
        r = clark_evans_ratio(pts, area_mm2=40 * 80, boundary=box)
        assert 1.3 <= r <= 1.9, (k, r)
        assert abs(pts.shape[0] / (0.9 * f * 3200) - 1) < 0.03


def test_clark_evans_each_stage_on_sphere(sphere_case) -> None:
    res, dens, metric = sphere_case
    det = metric[..., 0] * metric[..., 2] - metric[..., 1] ** 2
    area = float(np.sum((dens > 0) * np.sqrt(det)))
    disc = shapely.Point(0, 0).buffer(60.0, 256)
    for k in range(3):
        r = clark_evans_ratio(
            res.cumulative(k), area_mm2=area, metric_fn=sphere_metric, boundary=disc
        )
        assert 1.3 <= r <= 1.9, (k, r)


def test_no_lattice_peak_but_lattice_is_flagged(flat_result: BlueNoiseResult) -> None:
    pts = flat_result.points_mm
    ours = lattice_peak_test(pts, window_origin_mm=(0.0, 0.0), window_mm=40.0)
    assert not ours.has_peak, ours
    a = HEX_SPACING_PER_SQRT_DENSITY / np.sqrt(0.9)
    i, j = np.meshgrid(np.arange(-2, 45), np.arange(-2, 50))
    hexa = np.stack([(i + 0.5 * (j % 2)) * a, j * a * np.sqrt(3) / 2], axis=-1).reshape(-1, 2)
    hexa = hexa + np.random.default_rng(2).normal(0.0, 0.15 * a, hexa.shape)
    flagged = lattice_peak_test(hexa, window_origin_mm=(0.0, 0.0), window_mm=40.0)
    assert flagged.has_peak, flagged
    assert flagged.statistic > 10 * ours.statistic


def test_same_seed_same_bytes_other_seed_other_pattern() -> None:
    dens = np.full((30, 40), 0.8)
    run = [
        sample_progressive(dens, origin_mm=(5.0, -3.0), step_mm=1.0, rng=np.random.default_rng(s))
        for s in (42, 42, 43)
    ]
    assert run[0].points_mm.tobytes() == run[1].points_mm.tobytes()
    assert run[0].stage.tobytes() == run[1].stage.tobytes()
    assert run[0].points_mm.shape == run[2].points_mm.shape
    dist, _ = nearest_neighbour_distances(np.vstack([run[0].points_mm, run[2].points_mm]))
    assert np.count_nonzero(dist < 1e-6) < 0.01 * run[0].points_mm.shape[0]


def test_explicit_total_and_other_session_counts() -> None:
    dens = np.full((40, 40), 0.5)
    fracs = (0.25, 0.45, 0.65, 0.85, 1.0)
    res = sample_progressive(
        dens, origin_mm=(0, 0), step_mm=0.5, rng=np.random.default_rng(1), total=333,
        stage_fracs=fracs,
    )  # fmt: skip
    assert res.points_mm.shape == (333, 2)
    assert res.stage_counts == tuple(round(f * 333) for f in fracs)
    assert np.all((res.points_mm >= 0) & (res.points_mm < 20))


def test_spacing_check_redoes_a_stage_or_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stricter spacing (0.65 L) that plain elimination breaks: the stage is redone under the
    rule and then holds; an impossible one (0.8 L) raises ModelError."""
    monkeypatch.setattr(bluenoise, "HARD_PHASE_FRAC", 0.0)
    monkeypatch.setattr(bluenoise, "MIN_SPACING_FRAC", 0.65)
    calls: list[int] = []
    real_check = bluenoise.StageInput.too_close

    def spy(self: bluenoise.StageInput, alive: np.ndarray) -> int:
        calls.append(real_check(self, alive))
        return calls[-1]

    monkeypatch.setattr(bluenoise.StageInput, "too_close", spy)
    dens = np.full((30, 30), 0.9)
    args = {"origin_mm": (0, 0), "step_mm": 1.0, "stage_fracs": (1.0,)}
    res = sample_progressive(dens, rng=np.random.default_rng(8), **args)
    assert calls[0] > 0 and calls[-1] == 0  # broken at first, then redone
    dist, _ = nearest_neighbour_distances(res.points_mm)
    assert dist.min() >= 0.65 * HEX_SPACING_PER_SQRT_DENSITY / np.sqrt(0.9)
    monkeypatch.setattr(bluenoise, "MIN_SPACING_FRAC", 0.8)
    with pytest.raises(ModelError):
        sample_progressive(dens, rng=np.random.default_rng(8), **args)


def test_sliver_of_density_gives_empty_result() -> None:
    dens = np.zeros((10, 10))
    dens[3, 4] = 0.3  # 0.3 expected dots
    res = sample_progressive(dens, origin_mm=(0, 0), step_mm=1.0, rng=np.random.default_rng(0))
    assert res.points_mm.shape == (0, 2)
    assert res.stage_counts == (0, 0, 0)
    one = sample_progressive(
        dens, origin_mm=(0, 0), step_mm=1.0, rng=np.random.default_rng(0), total=1
    )
    assert one.points_mm.shape == (1, 2)
    assert np.all((one.points_mm >= (4, 3)) & (one.points_mm < (5, 4)))


def test_unit_scaling_of_grid_step() -> None:
    """Same surface density on a grid twice as fine (cells a quarter the area): same count."""
    coarse = sample_progressive(
        np.full((20, 20), 0.9), origin_mm=(0, 0), step_mm=2.0, rng=np.random.default_rng(4)
    )
    fine = sample_progressive(
        np.full((40, 40), 0.9), origin_mm=(0, 0), step_mm=1.0, rng=np.random.default_rng(4)
    )
    assert coarse.points_mm.shape == fine.points_mm.shape == (1440, 2)


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    level=st.floats(0.2, 1.2),
    ny=st.integers(8, 24),
    nx=st.integers(8, 24),
)
def test_property_counts_support_and_spacing(seed: int, level: float, ny: int, nx: int) -> None:
    rng = np.random.default_rng(seed)
    dens = level * rng.uniform(0.3, 1.0, (ny, nx)) * (rng.random((ny, nx)) < 0.8)
    if dens.sum() * 4.0 < 10:
        return
    res = sample_progressive(dens, origin_mm=(-3.0, 7.0), step_mm=2.0, rng=rng)
    assert res.points_mm.shape[0] == round(float(dens.sum() * 4.0))
    assert np.all(density_at(res.points_mm, dens, (-3.0, 7.0), 2.0) > 0)  # only treated cells
    pts = res.points_mm
    dist, nb = nearest_neighbour_distances(pts)
    dens = dens * (pts.shape[0] / (dens.sum() * 4.0))  # the realised density: count rounded
    local = np.maximum(density_at(pts, dens, (-3, 7), 2.0), density_at(pts[nb], dens, (-3, 7), 2))
    assert np.all(dist >= MIN_SPACING_FRAC * HEX_SPACING_PER_SQRT_DENSITY / np.sqrt(local))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"density_per_mm2": np.zeros((10, 10))}, "density_per_mm2"),
        ({"density_per_mm2": np.full((10, 10), np.nan)}, "density_per_mm2"),
        ({"density_per_mm2": np.full((10, 10), -0.5)}, "density_per_mm2"),
        ({"density_per_mm2": np.ones(10)}, "density_per_mm2"),
        ({"metric": np.zeros((10, 10, 3))}, "metric"),
        ({"metric": np.ones((10, 10, 3))}, "metric"),
        ({"metric": np.ones((5, 5, 3))}, "metric"),
        ({"step_mm": 0.0}, "step_mm"),
        ({"step_mm": float("nan")}, "step_mm"),
        ({"origin_mm": (0.0, float("inf"))}, "origin_mm"),
        ({"stage_fracs": (0.7, 0.35, 1.0)}, "stage_fracs"),
        ({"stage_fracs": (0.5, 0.9)}, "stage_fracs"),
        ({"stage_fracs": ()}, "stage_fracs"),
        ({"total": 0}, "total"),
        ({"total": 2.5}, "total"),
        ({"total": 10**8}, "total"),
    ],
)
def test_bad_input_raises_input_error(kwargs: dict, field: str) -> None:
    args = {
        "density_per_mm2": np.full((10, 10), 0.5),
        "origin_mm": (0.0, 0.0),
        "step_mm": 1.0,
        "rng": np.random.default_rng(0),
    }
    args.update(kwargs)
    with pytest.raises(InputError) as err:
        sample_progressive(**args)
    assert err.value.field == field
