"""Numba elimination kernels against the brute-force reference implementation."""

from __future__ import annotations

import numpy as np
import pytest

from smpstudio.design import _bluenoise_kernels as kernels
from smpstudio.design._bluenoise_grid import draw_candidates, validate_inputs
from smpstudio.design._bluenoise_reference import eliminate_reference, pair_weights_reference
from smpstudio.design.bluenoise import (
    CANDIDATE_FACTOR,
    MIN_SPACING_FRAC,
    StageInput,
    eliminate_stage,
    r_max_mm,
    run_stages,
    stage_arrays,
)


def small_candidates(curved: bool, seed: int):
    """~1,000 candidates on 14 x 14 mm: a density step and, optionally, an anisotropic metric."""
    dens = np.full((14, 14), 0.8)
    dens[:, 7:] = 0.35
    dens[:2, :3] = 0.0  # a hole: ghosts inside the grid too
    metric = None
    if curved:
        v = np.arange(14) + 0.5
        metric = np.zeros((14, 14, 3))
        metric[..., 0] = 1.0 + 0.02 * v[:, None]
        metric[..., 1] = 0.15
        metric[..., 2] = 0.8
    inputs = validate_inputs(dens, (0.0, 0.0), 1.0, metric, (0.35, 0.7, 1.0), None)
    reach = 2.0 * float(r_max_mm(np.array(inputs.min_positive_density * 0.35)))
    cands = draw_candidates(inputs, np.random.default_rng(seed), CANDIDATE_FACTOR, reach_mm=reach)
    return inputs, cands


def reference_args(stage: StageInput) -> tuple[np.ndarray, ...]:
    """Leading arguments of ``eliminate_reference`` (those before ``hard``)."""
    return (stage.pos, stage.metric, stage.radius, stage.radius_min, stage.spacing_min)


@pytest.mark.parametrize("curved", [False, True])
def test_neighbour_lists_match_brute_force(curved: bool) -> None:
    """Rows, pair weights and too-close flags equal the dense reference, bit for bit."""
    inputs, cands = small_candidates(curved, 1)
    n_real = int(cands.is_real.sum())
    stage = stage_arrays(cands, np.arange(cands.pos.shape[0]), 0.7, inputs.total, n_real)
    w, close = pair_weights_reference(*reference_args(stage))
    assert np.count_nonzero(close) > 0
    for i in range(stage.pos.shape[0]):
        lo, hi = stage.indptr[i], stage.indptr[i + 1]
        row = stage.indices[lo:hi]
        np.testing.assert_array_equal(row, np.flatnonzero(w[i] > 0.0))
        np.testing.assert_array_equal(stage.weight[lo:hi], w[i, row])
        np.testing.assert_array_equal(stage.near[lo:hi], close[i, row])


def test_neighbour_lists_do_not_depend_on_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny parallel chunks that outgrow their slots again and again give the same lists."""
    inputs, cands = small_candidates(True, 5)
    n_real = int(cands.is_real.sum())
    idx = np.arange(cands.pos.shape[0])
    want = stage_arrays(cands, idx, 1.0, inputs.total, n_real)
    monkeypatch.setattr(kernels, "_CHUNK_ROWS", 7)
    monkeypatch.setattr(kernels, "_INITIAL_NEIGHBOURS", 0)  # one slot per row at first
    got = stage_arrays(cands, idx, 1.0, inputs.total, n_real)
    for field in ("original", "indptr", "indices", "weight", "near"):
        np.testing.assert_array_equal(getattr(got, field), getattr(want, field))


def test_stage_radii_match_the_formulas() -> None:
    """The parallel gather computes Yuksel's radii exactly as the NumPy expressions do."""
    inputs, cands = small_candidates(True, 6)
    n_real = int(cands.is_real.sum())
    stage = stage_arrays(cands, np.arange(cands.pos.shape[0]), 0.7, inputs.total - 9, n_real)
    radius = r_max_mm(cands.density[stage.original] * 0.7)
    np.testing.assert_array_equal(stage.radius, radius)
    np.testing.assert_array_equal(stage.pos, cands.pos[stage.original])
    np.testing.assert_array_equal(stage.metric, cands.metric[stage.original])
    ratio = (inputs.total - 9) / n_real
    np.testing.assert_array_equal(stage.radius_min, radius * (1.0 - ratio**1.5) * 1.0)
    np.testing.assert_array_equal(stage.spacing_min, MIN_SPACING_FRAC * 2.0 * radius)


@pytest.mark.parametrize(("curved", "hard"), [(False, False), (True, False), (True, True)])
def test_elimination_order_matches_reference(curved: bool, hard: bool) -> None:
    inputs, cands = small_candidates(curved, 2)
    n_real = int(cands.is_real.sum())
    stage = stage_arrays(cands, np.arange(cands.pos.shape[0]), 1.0, inputs.total, n_real)
    alive_k = np.ones(stage.pos.shape[0], dtype=np.bool_)
    alive_r = alive_k.copy()
    order_k = eliminate_stage(stage, hard, alive_k, inputs.total)
    order_r = eliminate_reference(
        *reference_args(stage), hard, alive_r, stage.is_real, inputs.total
    )
    assert order_k.shape[0] > 0.6 * stage.pos.shape[0]
    np.testing.assert_array_equal(order_k, order_r)
    np.testing.assert_array_equal(alive_k, alive_r)
    assert np.count_nonzero(alive_k & stage.is_real) == inputs.total


def test_whole_progressive_run_matches_reference() -> None:
    inputs, cands = small_candidates(True, 3)
    counts = [round(f * inputs.total) for f in inputs.stage_fracs]

    def reference(stage: StageInput, hard: bool, alive: np.ndarray, n_keep: int) -> np.ndarray:
        return eliminate_reference(*reference_args(stage), hard, alive, stage.is_real, n_keep)

    got = run_stages(cands, inputs.stage_fracs, counts, eliminate=eliminate_stage)
    want = run_stages(cands, inputs.stage_fracs, counts, eliminate=reference)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert [int(np.count_nonzero(got[1] <= k)) for k in range(3)] == counts


def test_hard_phase_removes_too_close_pairs_first() -> None:
    """With the hard tier on, every pair closer than the minimum spacing is broken first."""
    inputs, cands = small_candidates(False, 4)
    n_real = int(cands.is_real.sum())
    stage = stage_arrays(cands, np.arange(cands.pos.shape[0]), 1.0, inputs.total, n_real)
    _, close = pair_weights_reference(
        stage.pos, stage.metric, stage.radius, stage.radius_min, stage.spacing_min
    )
    alive = np.ones(stage.pos.shape[0], dtype=np.bool_)
    order = eliminate_stage(stage, True, alive, inputs.total)
    assert not np.any(close[np.ix_(alive, alive)])
    # not vacuous: halfway through a run without the tier, too-close pairs remain
    alive_soft = np.ones(stage.pos.shape[0], dtype=np.bool_)
    eliminate_stage(stage, False, alive_soft, n_real // 2)
    assert order.shape[0] > 0
    assert np.count_nonzero(close[np.ix_(alive_soft, alive_soft)]) > 0


def test_bilinear_metric_matches_scipy_map_coordinates() -> None:
    from scipy import ndimage

    rng = np.random.default_rng(0)
    grid = rng.random((7, 9, 3))
    pos = rng.uniform(-3.0, 12.0, (500, 2))  # also beyond the edges: clamped
    got = kernels.bilinear_metric(grid, pos, -1.0, -0.5, 1.3)
    coords = [(pos[:, 1] + 0.5) / 1.3 - 0.5, (pos[:, 0] + 1.0) / 1.3 - 0.5]
    want = np.stack(
        [ndimage.map_coordinates(grid[..., c], coords, order=1, mode="nearest") for c in range(3)],
        axis=-1,
    )
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-14)


def test_candidates_fall_in_their_cells() -> None:
    counts = np.array([0, 3, 1, 0, 2, 5], dtype=np.int64)  # 2 rows x 3 cells
    offsets = np.random.default_rng(1).random((11, 2))
    pos = kernels.candidate_positions(counts, 3, offsets, 10.0, -4.0, 0.5)
    cell = np.floor((pos - (10.0, -4.0)) / 0.5).astype(int)
    np.testing.assert_array_equal(cell[:, 1] * 3 + cell[:, 0], np.repeat(np.arange(6), counts))
