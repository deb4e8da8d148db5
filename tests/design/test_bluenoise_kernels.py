"""Numba elimination kernels against the brute-force reference implementation."""

from __future__ import annotations

import numpy as np
import pytest

from smpstudio.design import _bluenoise_kernels as kernels
from smpstudio.design._bluenoise_grid import draw_candidates, validate_inputs
from smpstudio.design._bluenoise_reference import eliminate_reference, pair_weights_reference
from smpstudio.design.bluenoise import CANDIDATE_FACTOR, r_max_mm, run_stages, stage_arrays


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


@pytest.mark.parametrize("curved", [False, True])
def test_neighbour_lists_match_brute_force(curved: bool) -> None:
    inputs, cands = small_candidates(curved, 1)
    n_real = int(cands.is_real.sum())
    stage = stage_arrays(cands, np.arange(cands.pos.shape[0]), 0.7, inputs.total, n_real)
    w, _ = pair_weights_reference(
        stage.pos, stage.metric, stage.radius, stage.radius_min, stage.spacing_min
    )
    for i in range(stage.pos.shape[0]):
        row = stage.indices[stage.indptr[i] : stage.indptr[i + 1]]
        np.testing.assert_array_equal(row, np.flatnonzero(w[i] > 0.0))


@pytest.mark.parametrize(("curved", "hard"), [(False, False), (True, False), (True, True)])
def test_elimination_order_matches_reference(curved: bool, hard: bool) -> None:
    inputs, cands = small_candidates(curved, 2)
    n_real = int(cands.is_real.sum())
    stage = stage_arrays(cands, np.arange(cands.pos.shape[0]), 1.0, inputs.total, n_real)
    alive_k = np.ones(stage.pos.shape[0], dtype=np.bool_)
    alive_r = alive_k.copy()
    order_k = kernels.eliminate(*stage.kernel_args(hard), alive_k, stage.is_real, inputs.total)
    args = stage.kernel_args(hard)[2:]
    order_r = eliminate_reference(*args, alive_r, stage.is_real, inputs.total)
    assert order_k.shape[0] > 0.6 * stage.pos.shape[0]
    np.testing.assert_array_equal(order_k, order_r)
    np.testing.assert_array_equal(alive_k, alive_r)
    assert np.count_nonzero(alive_k & stage.is_real) == inputs.total


def test_whole_progressive_run_matches_reference() -> None:
    inputs, cands = small_candidates(True, 3)
    counts = [round(f * inputs.total) for f in inputs.stage_fracs]

    def reference(indptr, indices, *rest):  # same call as the kernel; lists unused
        return eliminate_reference(*rest)

    got = run_stages(cands, inputs.stage_fracs, counts, eliminate=kernels.eliminate)
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
    order = kernels.eliminate(*stage.kernel_args(True), alive, stage.is_real, inputs.total)
    assert not np.any(close[np.ix_(alive, alive)])
    # not vacuous: halfway through a run without the tier, too-close pairs remain
    alive_soft = np.ones(stage.pos.shape[0], dtype=np.bool_)
    kernels.eliminate(*stage.kernel_args(False), alive_soft, stage.is_real, n_real // 2)
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
