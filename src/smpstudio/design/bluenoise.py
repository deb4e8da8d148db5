"""Variable-density, progressive blue-noise dots on the scalp chart.

The dots of an SMP design must look like follicles: evenly but irregularly spaced (lateral
inhibition, Sick et al. 2006, Science 314:1447), never a lattice, rows, clumps or gaps, at a
surface density that varies over the scalp, and split across sessions so that the dots of
sessions 1..k together are again even blue noise at a growing fraction of the final density
(35 / 70 / 100 % for three sessions; SMP practice; protocol study PMC12406178).

Method: progressive weighted sample elimination (Yuksel 2015, Computer Graphics Forum
34(2):25-32). Candidates, ``CANDIDATE_FACTOR`` (4) times the final count (3 times above
``LARGE_TOTAL``), are drawn cell by cell in proportion to density * sqrt(det G) * cell area
(Poisson counts per cell). The most crowded candidate - largest weight
``sum_j (1 - d_ij / (2 r_ij))^8`` with ``d_ij`` the surface distance under the local metric and
``2 r_ij = r_i + r_j``, Yuksel's ``r_max = sqrt(1 / (2 sqrt(3) density))`` at each dot - is
eliminated until the final count remains; elimination then continues, with ``r_max``
recomputed for each smaller stage density, down to each earlier stage's count. Counts are
exact; local density follows the candidate density because the weights are scale-free.

Treatment-area boundaries would otherwise gather dots (a candidate there has fewer
neighbours, so it survives more often, as Yuksel 2015 notes): a band of ghost candidates,
carrying the density of the nearest treated cell, surrounds every boundary; ghosts are
eliminated like real candidates but never counted or returned.

Guarantee on spacing (``MIN_SPACING_FRAC``): in every cumulative stage, no two dots are
closer in surface distance than 0.55 times the local mean spacing ``L = 1.0746 /
sqrt(density)`` (hexagonal spacing at that density, the "mean FU spacing" of
Jimenez & Ruifernandez 1999) of the denser dot; density here is the realised one, the target scaled
by ``total / integral`` (1 +- 0.5 / total for the default total). The last
``HARD_PHASE_FRAC`` of each stage's eliminations ranks candidates by how many neighbours
break it first, then by weight. The stage is then checked; should a pair remain, it is redone
with the rule on throughout, and a ``ModelError`` is raised if even that fails (never seen
at 0.55 in the tests; discs of diameter 0.55 L leave room for 3.3 times the target count).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smpstudio.design import _bluenoise_kernels as kernels
from smpstudio.design._bluenoise_grid import CandidateSet, draw_candidates, validate_inputs
from smpstudio.errors import ModelError

FloatArray = npt.NDArray[np.float64]

CANDIDATE_FACTOR = 4.0
"""Candidates per final dot (Yuksel 2015 uses 5). Measured Clark-Evans R of the full set on a
uniform square (beta 0.65): 1.65 / 1.68 / 1.70 for 3 / 4 / 5 candidates per dot."""
CANDIDATE_FACTOR_LARGE = 3.0
"""Candidates per dot above ``LARGE_TOTAL`` dots: a third less work for 0.03 lower R."""
LARGE_TOTAL = 250_000
WEIGHT_LIMIT_BETA = 0.75
"""Weight limiting (Yuksel 2015): r_min = r_max * (1 - (N/M)^gamma) * beta, for the
candidate stage. Yuksel suggests beta = 0.65, gamma = 1.5. Measured here (uniform square,
3 seeds, Clark-Evans R of the 35 / 70 / 100 % sets): beta 0.65 and 0.65 for the later stages
1.62 / 1.62 / 1.67; 0.75 and 1.0 1.63 / 1.65 / 1.71; 0.85 and 1.0 1.62 / 1.65 / 1.65."""
WEIGHT_LIMIT_GAMMA = 1.5
WEIGHT_LIMIT_BETA_PROGRESSIVE = 1.0
"""beta of the later, progressive stages (N/M = 0.5 and 0.7)."""
MIN_SPACING_FRAC = 0.55
"""Minimum surface distance between dots, as a fraction of the hexagonal spacing."""
HARD_PHASE_FRAC = 0.3
"""Share of a stage's surplus eliminated with the minimum-spacing rule ranked first."""
HEX_SPACING_PER_SQRT_DENSITY = float(np.sqrt(2.0 / np.sqrt(3.0)))
"""Hexagonal lattice spacing times sqrt(density): 1.0746 (Jimenez & Ruifernandez 1999, L = 10.75 /
sqrt(FU per cm2) mm)."""


@dataclass(frozen=True, kw_only=True)
class BlueNoiseResult:
    """Dots on the scalp chart and the session (stage) that places each.

    Attributes
    ----------
    points_mm
        (N, 2) chart coordinates ``(u_mm, v_mm)``, stage 0 first.
    stage
        (N,) int8, 0-based index of the first cumulative stage that contains the dot.
    stage_counts
        Cumulative dot count of each stage; the last equals N.
    """

    points_mm: FloatArray
    stage: npt.NDArray[np.int8]
    stage_counts: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.points_mm.shape != (self.stage.shape[0], 2):
            raise ValueError("points_mm must be (N, 2) with one stage per point")

    def cumulative(self, stage_index: int) -> FloatArray:
        """(M, 2) chart points of stages 0..stage_index together."""
        return self.points_mm[self.stage <= stage_index]


def r_max_mm(density_per_mm2: FloatArray) -> FloatArray:
    """Yuksel's maximal Poisson-disk radius ``sqrt(1 / (2 sqrt(3) density))``, mm.

    Half the hexagonal spacing at that density (Yuksel 2015, r_max in 2-D).
    """
    return np.sqrt(1.0 / (2.0 * np.sqrt(3.0) * density_per_mm2))


def sample_progressive(
    density_per_mm2: npt.ArrayLike,
    *,
    origin_mm: tuple[float, float],
    step_mm: float,
    metric: npt.ArrayLike | None = None,
    stage_fracs: Sequence[float] = (0.35, 0.70, 1.0),
    rng: np.random.Generator,
    total: int | None = None,
) -> BlueNoiseResult:
    """Place blue-noise dots at a target surface density, nested across sessions.

    Parameters
    ----------
    density_per_mm2
        (ny, nx) target surface density, dots per mm2 of scalp surface; 0 outside the
        treatment area. Cell (i, j) covers ``u in [u0 + j*step, u0 + (j+1)*step)`` and
        ``v in [v0 + i*step, v0 + (i+1)*step)``.
    origin_mm
        ``(u0, v0)``, chart mm.
    step_mm
        Grid step, chart mm, > 0.
    metric
        (ny, nx, 3) first fundamental form ``(G_uu, G_uv, G_vv)`` of the chart at cell
        centres (symmetric positive definite), or None for a flat chart (identity).
    stage_fracs
        Cumulative fraction of the final count after each stage, strictly increasing in
        (0, 1], the last 1.0. Default 35/70/100 % (SMP practice).
    rng
        Source of randomness; the same seed gives byte-identical output.
    total
        Final number of dots; default ``round(sum(density * sqrt(det G) * step^2))``, which
        may be 0 (an empty result) for a sliver of density.

    Returns
    -------
    BlueNoiseResult
        ``points_mm`` (N, 2) and ``stage`` (N,) with ``N == total``.

    Raises
    ------
    InputError
        On a non-finite or negative density, an all-zero density, a metric that
        is not positive definite, bad stage fractions or a bad grid.
    """
    inputs = validate_inputs(density_per_mm2, origin_mm, step_mm, metric, stage_fracs, total)
    counts = [round(f * inputs.total) for f in inputs.stage_fracs]
    if inputs.total == 0:
        return BlueNoiseResult(
            points_mm=np.zeros((0, 2)), stage=np.zeros(0, dtype=np.int8), stage_counts=tuple(counts)
        )
    r_biggest = float(r_max_mm(np.array(inputs.min_positive_density * inputs.stage_fracs[0])))
    factor = CANDIDATE_FACTOR if inputs.total <= LARGE_TOTAL else CANDIDATE_FACTOR_LARGE
    cands = draw_candidates(inputs, rng, factor, reach_mm=2.0 * r_biggest)
    order, stage = run_stages(cands, inputs.stage_fracs, counts, eliminate=eliminate_stage)
    return BlueNoiseResult(
        points_mm=np.ascontiguousarray(cands.pos[order]),
        stage=stage,
        stage_counts=tuple(counts),
    )


def run_stages(
    cands: CandidateSet,
    stage_fracs: Sequence[float],
    counts: Sequence[int],
    *,
    eliminate: Callable[[StageInput, bool, npt.NDArray[np.bool_], int], object],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """Eliminate stage by stage, last (largest) first; ``eliminate`` is called as
    ``eliminate(stage_input, hard, alive, n_keep)`` (see :func:`eliminate_stage`).

    Returns the surviving real candidates (indices into ``cands``), stage 0 first, and
    their stage numbers.
    """
    n_stages = len(counts)
    alive_idx = np.arange(cands.pos.shape[0])
    stage_of = np.full(cands.pos.shape[0], -1, dtype=np.int8)
    for k in range(n_stages - 1, -1, -1):
        n_real_now = int(np.count_nonzero(cands.is_real[alive_idx]))
        stage_in = stage_arrays(cands, alive_idx, stage_fracs[k], counts[k], n_real_now)
        surplus = n_real_now - counts[k]
        for hard_frac in (HARD_PHASE_FRAC, 1.0):  # all of it under the rule if need be
            alive = np.ones(alive_idx.shape[0], dtype=np.bool_)
            soft_keep = counts[k] + round(hard_frac * surplus)
            for n_keep, hard in ((soft_keep, False), (counts[k], True)):
                eliminate(stage_in, hard, alive, n_keep)
            if stage_in.too_close(alive) == 0:
                break
        else:
            raise ModelError(
                f"blue noise: stage {k} keeps dots closer than {MIN_SPACING_FRAC} x spacing"
            )
        if k < n_stages - 1:
            gone = stage_in.original[~alive & stage_in.is_real]
            stage_of[gone] = k + 1
        alive_idx = stage_in.original[alive]
    stage_of[alive_idx[cands.is_real[alive_idx]]] = 0
    real = np.flatnonzero(stage_of >= 0)
    order = real[np.argsort(stage_of[real], kind="stable")]
    return order, stage_of[order]


@dataclass(frozen=True, kw_only=True)
class StageInput:
    """The candidates of one stage, sorted by hash cell, with their CSR neighbour lists."""

    original: npt.NDArray[np.int64]
    pos: FloatArray
    metric: FloatArray
    radius: FloatArray
    radius_min: FloatArray
    spacing_min: FloatArray
    is_real: npt.NDArray[np.bool_]
    indptr: npt.NDArray[np.int64]
    indices: npt.NDArray[np.int32]
    weight: FloatArray
    near: npt.NDArray[np.bool_]

    def too_close(self, alive: npt.NDArray[np.bool_]) -> int:
        """Pairs of alive real dots that break the minimum spacing (ghosts do not count)."""
        kept = alive & self.is_real
        return int(
            kernels.count_too_close(
                self.indptr, self.indices, self.pos, self.metric, self.spacing_min, kept
            )
        )


def eliminate_stage(
    stage: StageInput, hard: bool, alive: npt.NDArray[np.bool_], n_keep: int
) -> npt.NDArray[np.int64]:
    """``kernels.eliminate`` on one stage's neighbour lists (``alive`` updated in place)."""
    return kernels.eliminate(
        stage.indptr, stage.indices, stage.weight, stage.near, hard, alive, stage.is_real, n_keep
    )


def stage_arrays(
    cands: CandidateSet, alive_idx: npt.NDArray[np.int64], frac: float, n_keep: int, n_now: int
) -> StageInput:
    """Radii of one stage, candidates sorted into a hash grid, and their neighbour lists."""
    pos = cands.pos[alive_idx]
    sample = alive_idx[:: max(1, alive_idx.shape[0] // 4096)]  # the cell size needs no precision
    # hash cells of half the typical query radius: 5 x 5 of them cover a query disc snugly
    cell_mm = float(np.median(r_max_mm(cands.density[sample] * frac)))
    cell_mm = max(cell_mm / float(np.sqrt(cands.lambda_low[sample].min())), 1e-9)
    lo = pos.min(axis=0)
    span = pos.max(axis=0) - lo
    ncx = int(span[0] / cell_mm) + 1
    ncy = int(span[1] / cell_mm) + 1
    if ncx * ncy > 4 * pos.shape[0] + 16:  # a sparse, wide set: coarser cells, fewer empties
        cell_mm *= float(np.sqrt(ncx * ncy / (4 * pos.shape[0] + 16)))
        ncx = int(span[0] / cell_mm) + 1
        ncy = int(span[1] / cell_mm) + 1
    ncx = -(-ncx // kernels.TILE) * kernels.TILE
    ncy = -(-ncy // kernels.TILE) * kernels.TILE
    perm, cell_start = kernels.cell_sort(pos, float(lo[0]), float(lo[1]), cell_mm, ncx, ncy)
    sel = alive_idx[perm]
    ratio = n_keep / max(n_now, 1)
    beta = WEIGHT_LIMIT_BETA if frac == 1.0 else WEIGHT_LIMIT_BETA_PROGRESSIVE
    # radius_min = radius * (1 - ratio^gamma) * beta, spacing_min = MIN_SPACING_FRAC * 2 radius
    limit_factor = np.array([1.0 - ratio**WEIGHT_LIMIT_GAMMA, beta])
    pos, metric, radius, radius_min, spacing_min, query_mm = kernels.gather_stage(
        sel,
        cands.pos,
        cands.metric,
        cands.density,
        cands.lambda_low,
        frac,
        limit_factor,
        MIN_SPACING_FRAC * 2.0,
    )
    grid = (float(lo[0]), float(lo[1]), cell_mm, ncx, ncy)
    indptr, indices, weight, near = kernels.build_neighbours(
        pos, metric, radius, radius_min, spacing_min, query_mm, cell_start, grid
    )
    return StageInput(
        original=sel,
        pos=pos,
        metric=metric,
        radius=radius,
        radius_min=radius_min,
        spacing_min=spacing_min,
        is_real=cands.is_real[sel],
        indptr=indptr,
        indices=indices,
        weight=weight,
        near=near,
    )
