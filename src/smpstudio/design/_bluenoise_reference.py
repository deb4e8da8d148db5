"""Plain, obviously correct weighted sample elimination, to cross-check the numba kernels.

Brute force, O(n^2) memory: every pair weight of every candidate against every other goes in
one dense matrix built with NumPy (elementwise IEEE operations in the same order as
``_bluenoise_kernels.pair_weight``). Then, one at a time, the alive candidate of highest
priority ``(tier, weight)`` - lowest index on ties, as ``numpy.lexsort`` puts it last - is
eliminated and each alive neighbour loses that pair's weight (and, in a hard phase, one
too-close neighbour). Initial weights are left-to-right sums in index order. Yuksel C. (2015),
Computer Graphics Forum 34(2):25-32 (the algorithm and its weight limiting).

Use it for a few thousand candidates only.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from smpstudio.design._bluenoise_kernels import N_TIERS

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def pair_weights_reference(
    pos: FloatArray,
    metric: FloatArray,
    radius: FloatArray,
    radius_min: FloatArray,
    spacing_min: FloatArray,
) -> tuple[FloatArray, BoolArray]:
    """Dense (n, n) pair weights (zero diagonal) and the (n, n) too-close mask."""
    du = pos[:, None, 0] - pos[None, :, 0]
    dv = pos[:, None, 1] - pos[None, :, 1]
    guu = 0.5 * (metric[:, None, 0] + metric[None, :, 0])
    guv = 0.5 * (metric[:, None, 1] + metric[None, :, 1])
    gvv = 0.5 * (metric[:, None, 2] + metric[None, :, 2])
    dist = np.sqrt(guu * du * du + 2.0 * guv * du * dv + gvv * dv * dv)
    reach = radius[:, None] + radius[None, :]
    limited = np.maximum(dist, radius_min[:, None] + radius_min[None, :])
    t = 1.0 - limited / reach
    t2 = t * t
    t4 = t2 * t2
    interacting = dist < reach
    np.fill_diagonal(interacting, False)
    w = np.where(interacting, t4 * t4, 0.0)
    close = interacting & (dist < np.minimum(spacing_min[:, None], spacing_min[None, :]))
    return w, close


def eliminate_reference(
    pos: FloatArray,
    metric: FloatArray,
    radius: FloatArray,
    radius_min: FloatArray,
    spacing_min: FloatArray,
    hard: bool,
    alive: BoolArray,
    is_real: BoolArray,
    n_keep: int,
) -> npt.NDArray[np.int64]:
    """Eliminate the most crowded alive candidate until ``n_keep`` real ones remain.

    Same arguments and result as ``_bluenoise_kernels.eliminate`` (``alive`` is updated in
    place; returns the eliminated indices in order).
    """
    n = len(pos)
    w, close_pair = pair_weights_reference(pos, metric, radius, radius_min, spacing_min)
    rows = [np.flatnonzero(w[i] > 0.0) for i in range(n)]
    weight = np.zeros(n)
    close = np.zeros(n, dtype=np.int64)
    for i in range(n):
        s = 0.0
        for j in rows[i]:
            if alive[j]:
                s += float(w[i, j])
                close[i] += int(hard and close_pair[i, j])
        weight[i] = s
    removed: list[int] = []
    n_real = int(np.count_nonzero(alive & is_real))
    index = np.arange(n)
    while n_real > n_keep and np.any(alive):
        tier = np.minimum(close, N_TIERS - 1)
        cand = np.flatnonzero(alive)
        # lexsort: last key is primary; the best sorts last (largest tier, weight; lowest index)
        best = int(cand[np.lexsort((-index[cand], weight[cand], tier[cand]))[-1]])
        alive[best] = False
        removed.append(best)
        n_real -= int(is_real[best])
        for j in rows[best]:
            if alive[j]:
                weight[j] = weight[j] - w[j, best]
                close[j] -= int(hard and close_pair[j, best])
    return np.asarray(removed, dtype=np.int64)
