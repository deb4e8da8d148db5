"""Numba kernels of weighted sample elimination (Yuksel 2015) on a metric chart.

Yuksel C. (2015) "Sample Elimination for Generating Poisson Disk Sample Sets",
Computer Graphics Forum 34(2):25-32, doi:10.1111/cgf.12538.

Every candidate ``i`` carries a chart position ``pos[i] = (u_mm, v_mm)``, the metric
``metric[i] = (G_uu, G_uv, G_vv)`` at that position, a surface radius ``radius[i]`` (Yuksel's
``r_max`` at the local target density of the stage), a limiting radius ``radius_min[i]``
(Yuksel's weight limiting) and a hard minimum spacing ``spacing_min[i]``.
The pair weight of ``i`` and ``j`` (:func:`pair_weight`) uses the surface distance under the
averaged metric, reach ``radius[i] + radius[j]`` (symmetric, so a density gradient does not
favour either side) and the minimum spacing of the denser side. Each pair is computed once
per stage, when the neighbour lists are built (:func:`build_neighbours`, rows searched in
parallel chunks), and stored in both rows, so both sides see the same bits.

A candidate's weight starts as the plain left-to-right sum of its pair weights over its alive
neighbours in increasing index order and loses the pair weight of each neighbour eliminated.
Weights only fall, so the largest is found with a monotone bucket queue (octave and linear
sub-steps of the weight): an update costs nothing until the entry's bucket comes to the top;
then the bucket is emptied once, stale entries move down to their true bucket and the rest go
into a small heap that is re-checked lazily. Keys only fall, so a stored key bounds the true
one and a checked top is the true maximum. The pick is exact - largest weight, lowest index on
ties - and in the same floating-point arithmetic as the brute-force
``_bluenoise_reference.eliminate_reference``, so both give the same elimination order.
Parallel loops (``prange``) only fill disjoint rows or elements, so results do not depend on
the number of threads.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

_INITIAL_NEIGHBOURS = 16
_CHUNK_ROWS = 4096  # rows per parallel chunk of the neighbour search
_WINDOW_MARGIN = 1.0 + 1e-6  # relative; far above the rounding of the distance test
TILE = 16  # hash cells per tile side in the memory order of candidates
_EXP_LOW = -40  # weights below 2**-40 share bucket 0
_EXP_HIGH = 8  # weights of 2**8 and more share the top bucket (typical sums are below 30)
N_TIERS = 4  # priority tiers by count of too-close neighbours: 0, 1, 2, 3 or more
_W_LOW = 2.0**_EXP_LOW
_W_HIGH = 2.0**_EXP_HIGH
_SUB_SMALL = 1 << 12  # buckets per octave below _SUB_SWITCH candidates
_SUB_LARGE = 1 << 15
_SUB_SWITCH = 1 << 18


@njit(cache=True, nogil=True)
def candidate_positions(counts, nx, offsets, u0, v0, step):
    """(n, 2) chart positions: ``counts[c]`` points in row-major cell ``c`` of a grid ``nx``
    cells wide, each at ``corner + offset * step`` with ``offsets`` (n, 2) uniform in [0, 1)."""
    pos = np.empty((offsets.shape[0], 2), dtype=np.float64)
    p = 0
    for c in range(counts.shape[0]):
        iy, ix = divmod(c, nx)
        for _ in range(counts[c]):
            pos[p, 0] = u0 + (ix + offsets[p, 0]) * step
            pos[p, 1] = v0 + (iy + offsets[p, 1]) * step
            p += 1
    return pos


@njit(cache=True, nogil=True)
def _cell_key(cx, cy, ntx):
    """Order of hash cell (cx, cy): tiles of TILE x TILE cells row by row, cells row by row
    within a tile, so that candidates near each other in the plane sit near in memory."""
    return ((cy // TILE) * ntx + cx // TILE) * (TILE * TILE) + (cy % TILE) * TILE + cx % TILE


@njit(cache=True, nogil=True)
def cell_sort(pos, lo_u, lo_v, cell_mm, ncx, ncy):
    """Stable counting sort of points into hash cells in ``_cell_key`` order.

    ``ncx`` and ``ncy`` must be multiples of ``TILE``. Returns the order and the start of each
    cell key in it (``ncx * ncy + 1`` entries).
    """
    n = pos.shape[0]
    ntx = ncx // TILE
    cell = np.empty(n, dtype=np.int64)
    start = np.zeros(ncx * ncy + 1, dtype=np.int64)
    for i in range(n):
        cx = min(int((pos[i, 0] - lo_u) / cell_mm), ncx - 1)
        cy = min(int((pos[i, 1] - lo_v) / cell_mm), ncy - 1)
        cell[i] = _cell_key(cx, cy, ntx)
        start[cell[i] + 1] += 1
    for c in range(ncx * ncy):
        start[c + 1] += start[c]
    cursor = start[:-1].copy()
    order = np.empty(n, dtype=np.int64)
    for i in range(n):
        order[cursor[cell[i]]] = i
        cursor[cell[i]] += 1
    return order, start


@njit(cache=True, parallel=True, nogil=True)
def gather_stage(
    sel, cand_pos, cand_metric, cand_density, cand_lambda, frac, limit_factor, spacing_factor
):
    """Per-candidate arrays of one stage for candidates ``sel``, in parallel (elementwise).

    Returns (n, 2) ``pos`` and (n, 3) ``metric`` of ``sel``; ``radius`` Yuksel's
    ``r_max = sqrt(1 / (2 sqrt(3) density * frac))`` (as ``bluenoise.r_max_mm``, operation
    for operation); ``radius_min = radius * limit_factor``; ``spacing_min = spacing_factor *
    radius``; ``query_mm = 2 radius / sqrt(lambda_low) * (1 + 1e-9)``.
    """
    n = sel.shape[0]
    pos = np.empty((n, 2), dtype=np.float64)
    metric = np.empty((n, 3), dtype=np.float64)
    radius = np.empty(n, dtype=np.float64)
    radius_min = np.empty(n, dtype=np.float64)
    spacing_min = np.empty(n, dtype=np.float64)
    query_mm = np.empty(n, dtype=np.float64)
    two_sqrt3 = 2.0 * math.sqrt(3.0)
    for k in prange(n):
        c = sel[k]
        pos[k, 0] = cand_pos[c, 0]
        pos[k, 1] = cand_pos[c, 1]
        metric[k, 0] = cand_metric[c, 0]
        metric[k, 1] = cand_metric[c, 1]
        metric[k, 2] = cand_metric[c, 2]
        r = math.sqrt(1.0 / (two_sqrt3 * (cand_density[c] * frac)))
        radius[k] = r
        radius_min[k] = r * limit_factor[0] * limit_factor[1]
        spacing_min[k] = spacing_factor * r
        query_mm[k] = 2.0 * r / math.sqrt(cand_lambda[c]) * (1.0 + 1e-9)
    return pos, metric, radius, radius_min, spacing_min, query_mm


@njit(cache=True, nogil=True)
def bilinear_metric(grid, pos, u0, v0, step):
    """(n, 3) metric at chart points, bilinear between cell centres, clamped at the edges.

    ``grid`` is (ny, nx, 3) at the centres of cells of side ``step`` from ``(u0, v0)``.
    """
    ny, nx = grid.shape[0], grid.shape[1]
    out = np.empty((pos.shape[0], 3), dtype=np.float64)
    for p in range(pos.shape[0]):
        x = min(max((pos[p, 0] - u0) / step - 0.5, 0.0), nx - 1.0)
        y = min(max((pos[p, 1] - v0) / step - 0.5, 0.0), ny - 1.0)
        ix = min(int(x), nx - 2) if nx > 1 else 0
        iy = min(int(y), ny - 2) if ny > 1 else 0
        fx = x - ix
        fy = y - iy
        ix1 = min(ix + 1, nx - 1)
        iy1 = min(iy + 1, ny - 1)
        for c in range(3):
            top = (1.0 - fx) * grid[iy, ix, c] + fx * grid[iy, ix1, c]
            bottom = (1.0 - fx) * grid[iy1, ix, c] + fx * grid[iy1, ix1, c]
            out[p, c] = (1.0 - fy) * top + fy * bottom
    return out


@njit(cache=True, nogil=True)
def pair_weight(dist, reach, limit_mm, spacing_mm):
    """Weight of a pair at surface distance ``dist`` closer than ``reach`` (the sum of the
    radii): Yuksel's ``(1 - max(dist, r_min_i + r_min_j) / reach)^8`` with weight limiting
    ``limit_mm = r_min_i + r_min_j``, and whether the pair is closer than ``spacing_mm``."""
    limited = max(dist, limit_mm)
    t = 1.0 - limited / reach
    t2 = t * t
    t4 = t2 * t2
    return t4 * t4, dist < spacing_mm


@njit(cache=True, nogil=True)
def _cell_of(offset_mm, cell_mm, n_cells):
    """Hash cell column (or row) of a chart offset from the grid origin, clamped to the grid;
    monotone in ``offset_mm`` and, for points in the grid, the cell :func:`cell_sort` uses."""
    return min(max(math.floor(offset_mm / cell_mm), 0), n_cells - 1)


@njit(cache=True, nogil=True)
def _chunk_pairs(
    rows, pos, metric, radius, radius_min, spacing_min, query_mm, cell_start, grid, out
):
    """Pairs found from rows ``rows[0] <= i < rows[1]``, row by row: partner ``out[0]``,
    pair weight ``out[1]`` and too-close flag ``out[2]`` from slot ``rows[2]`` up to
    ``rows[3]`` (exclusive); ``out_count[i]`` per row in ``out[3]``. Returns the number of
    pairs, or -1 when they do not fit."""
    partner, weight, near, out_count = out
    origin_u, origin_v, cell_mm, ncx, ncy = grid
    ntx = ncx // TILE
    slot = rows[2]
    for i in range(rows[0], rows[1]):
        q = query_mm[i]
        q2 = q * q
        reach_mm = q * _WINDOW_MARGIN  # cells that may hold a point within q, with a margin
        x0 = _cell_of(pos[i, 0] - reach_mm - origin_u, cell_mm, ncx)
        x1 = _cell_of(pos[i, 0] + reach_mm - origin_u, cell_mm, ncx)
        found = 0
        for yy in range(
            _cell_of(pos[i, 1] - reach_mm - origin_v, cell_mm, ncy),
            _cell_of(pos[i, 1] + reach_mm - origin_v, cell_mm, ncy) + 1,
        ):
            x = x0
            while x <= x1:  # runs of cells that are contiguous in memory (one tile row)
                run_end = min(x1, (x // TILE) * TILE + TILE - 1)
                lo_p = cell_start[_cell_key(x, yy, ntx)]
                hi_p = cell_start[_cell_key(run_end, yy, ntx) + 1]
                x = run_end + 1
                for p in range(lo_p, hi_p):
                    if radius[p] > radius[i] or (radius[p] == radius[i] and p <= i):
                        continue
                    du = pos[i, 0] - pos[p, 0]
                    dv = pos[i, 1] - pos[p, 1]
                    if du * du + dv * dv > q2:
                        continue
                    guu = 0.5 * (metric[i, 0] + metric[p, 0])
                    guv = 0.5 * (metric[i, 1] + metric[p, 1])
                    gvv = 0.5 * (metric[i, 2] + metric[p, 2])
                    dist = math.sqrt(guu * du * du + 2.0 * guv * du * dv + gvv * dv * dv)
                    reach = radius[i] + radius[p]
                    if dist < reach:
                        if slot == rows[3]:
                            return -1
                        w, close = pair_weight(
                            dist,
                            reach,
                            radius_min[i] + radius_min[p],
                            min(spacing_min[i], spacing_min[p]),
                        )
                        partner[slot] = p
                        weight[slot] = w
                        near[slot] = close
                        slot += 1
                        found += 1
        out_count[i] = found
    return slot - rows[2]


@njit(cache=True, parallel=True, nogil=True)
def _all_chunk_pairs(chunks, pos, metric, radius, radius_min, spacing_min, query_mm, cs, grid, out):
    """:func:`_chunk_pairs` of every row of ``chunks`` (lo, hi, first slot, end slot), in
    parallel: chunks write disjoint slots and rows, so the result does not depend on threads."""
    used = np.empty(chunks.shape[0], dtype=np.int64)
    for c in prange(chunks.shape[0]):
        used[c] = _chunk_pairs(
            chunks[c], pos, metric, radius, radius_min, spacing_min, query_mm, cs, grid, out
        )
    return used


@njit(cache=True, nogil=True)
def _scatter_pairs(n, chunks, partner, weight, near, out_count):
    """CSR rows (unsorted) of the pairs of every chunk, each pair in both rows."""
    degree = np.zeros(n + 1, dtype=np.int64)
    for c in range(chunks.shape[0]):
        slot = chunks[c, 2]
        for i in range(chunks[c, 0], chunks[c, 1]):
            degree[i + 1] += out_count[i]
            for e in range(slot, slot + out_count[i]):
                degree[partner[e] + 1] += 1
            slot += out_count[i]
    indptr = np.cumsum(degree)
    cursor = indptr[:-1].copy()
    indices = np.empty(indptr[n], dtype=np.int32)
    row_weight = np.empty(indptr[n], dtype=np.float64)
    row_near = np.empty(indptr[n], dtype=np.bool_)
    for c in range(chunks.shape[0]):
        slot = chunks[c, 2]
        for i in range(chunks[c, 0], chunks[c, 1]):
            for e in range(slot, slot + out_count[i]):
                b = partner[e]
                indices[cursor[i]] = b
                row_weight[cursor[i]] = weight[e]
                row_near[cursor[i]] = near[e]
                cursor[i] += 1
                indices[cursor[b]] = i
                row_weight[cursor[b]] = weight[e]
                row_near[cursor[b]] = near[e]
                cursor[b] += 1
            slot += out_count[i]
    return indptr, indices, row_weight, row_near


@njit(cache=True, parallel=True, nogil=True)
def _sort_rows(indptr, indices, weight, near):
    """Insertion sort of each (short) row by partner index, weights and flags alongside."""
    for i in prange(indptr.shape[0] - 1):
        for p in range(indptr[i] + 1, indptr[i + 1]):
            v = indices[p]
            w = weight[p]
            f = near[p]
            q = p - 1
            while q >= indptr[i] and indices[q] > v:
                indices[q + 1] = indices[q]
                weight[q + 1] = weight[q]
                near[q + 1] = near[q]
                q -= 1
            indices[q + 1] = v
            weight[q + 1] = w
            near[q + 1] = f


def build_neighbours(pos, metric, radius, radius_min, spacing_min, query_mm, cell_start, grid):
    """CSR lists of interacting pairs (``dist < radius[i] + radius[j]``), rows in increasing
    index order, with the pair weight and too-close flag of every entry.

    Points must be sorted by :func:`cell_sort`; ``cell_start`` is its second result and
    ``grid`` is ``(origin_u, origin_v, cell_mm, ncx, ncy)`` of its cells (``ncx`` and ``ncy``
    multiples of ``TILE``). ``query_mm[i]`` bounds the chart distance at which ``i`` meets a
    partner of no larger radius; each pair is found from its larger-radius side (lower index
    on ties). Rows are searched in parallel chunks, each into its own slots; a chunk that
    outgrows its slots is searched again with twice as many.

    Returns
    -------
    indptr, indices, weight, near
        (n + 1,) int64 row starts, int32 partners, float64 pair weights (as
        :func:`pair_weight`, the same from either side) and bool too-close flags.
    """
    n = pos.shape[0]
    bounds = np.minimum(np.arange(0, n + _CHUNK_ROWS, _CHUNK_ROWS), n)
    todo = np.arange(bounds.shape[0] - 1)
    chunks = np.empty((todo.shape[0], 4), dtype=np.int64)
    chunks[:, 0] = bounds[:-1]
    chunks[:, 1] = bounds[1:]
    out_count = np.zeros(n, dtype=np.int64)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    base = 0
    per_row = max(_INITIAL_NEIGHBOURS // 2, 1)
    while todo.shape[0] > 0:
        sizes = (chunks[todo, 1] - chunks[todo, 0]) * per_row
        ends = np.cumsum(sizes)
        job = chunks[todo].copy()
        job[:, 2] = ends - sizes
        job[:, 3] = ends
        out = (
            np.empty(ends[-1], dtype=np.int32),
            np.empty(ends[-1], dtype=np.float64),
            np.empty(ends[-1], dtype=np.bool_),
            out_count,
        )
        used = _all_chunk_pairs(
            job, pos, metric, radius, radius_min, spacing_min, query_mm, cell_start, grid, out
        )
        done = used >= 0
        chunks[todo[done], 2] = base + job[done, 2]
        parts.append(out[:3])
        base += int(ends[-1])
        todo = todo[~done]
        per_row *= 2
    if len(parts) == 1:
        partner, weight, near = parts[0]
    else:
        partner, weight, near = (np.concatenate([p[f] for p in parts]) for f in range(3))
    indptr, indices, row_weight, row_near = _scatter_pairs(
        n, chunks, partner, weight, near, out_count
    )
    _sort_rows(indptr, indices, row_weight, row_near)
    return indptr, indices, row_weight, row_near


@njit(cache=True, nogil=True)
def count_too_close(indptr, indices, pos, metric, spacing_min, alive):
    """Number of alive pairs closer than the smaller of their two minimum spacings
    (``alive`` false for candidates that do not count, e.g. ghosts)."""
    count = 0
    for i in range(pos.shape[0]):
        if not alive[i]:
            continue
        for p in range(indptr[i], indptr[i + 1]):
            j = indices[p]
            if j <= i or not alive[j]:
                continue
            du = pos[i, 0] - pos[j, 0]
            dv = pos[i, 1] - pos[j, 1]
            guu = 0.5 * (metric[i, 0] + metric[j, 0])
            guv = 0.5 * (metric[i, 1] + metric[j, 1])
            gvv = 0.5 * (metric[i, 2] + metric[j, 2])
            dist = math.sqrt(guu * du * du + 2.0 * guv * du * dv + gvv * dv * dv)
            if dist < min(spacing_min[i], spacing_min[j]):
                count += 1
    return count


@njit(cache=True, nogil=True)
def _bucket(w, n_sub):
    """Monotone bucket of a weight: octave and ``n_sub`` linear steps within it."""
    if w < _W_LOW:
        return 0
    if w >= _W_HIGH:
        return (_EXP_HIGH - _EXP_LOW) * n_sub - 1
    mant, expo = math.frexp(w)
    return (expo - 1 - _EXP_LOW) * n_sub + int((mant - 0.5) * 2.0 * n_sub)


@njit(cache=True, nogil=True)
def _higher(key, idx, a, b):
    """Heap order of slots a and b: larger key first, lower candidate index on ties."""
    return key[a] > key[b] or (key[a] == key[b] and idx[a] < idx[b])


@njit(cache=True, nogil=True)
def _swap(key, idx, a, b):
    key[a], key[b] = key[b], key[a]
    idx[a], idx[b] = idx[b], idx[a]


@njit(cache=True, nogil=True)
def _sift_up(key, idx, slot):
    while slot > 0:
        parent = (slot - 1) // 2
        if not _higher(key, idx, slot, parent):
            break
        _swap(key, idx, slot, parent)
        slot = parent


@njit(cache=True, nogil=True)
def _sift_down(key, idx, size, slot):
    while True:
        child = 2 * slot + 1
        if child >= size:
            break
        if child + 1 < size and _higher(key, idx, child + 1, child):
            child += 1
        if not _higher(key, idx, child, slot):
            break
        _swap(key, idx, slot, child)
        slot = child


@njit(cache=True, parallel=True, nogil=True)
def _initial_state(indptr, indices, weight, near, hard, alive, n_sub, per_tier, wt, n_close):
    """Fill each alive candidate's weight ``wt`` and too-close count and return its bucket;
    rows are independent, so the parallel loop is deterministic."""
    bucket = np.zeros(alive.shape[0], dtype=np.int64)
    for i in prange(alive.shape[0]):
        if not alive[i]:
            continue
        s = 0.0
        close = 0
        for p in range(indptr[i], indptr[i + 1]):
            if alive[indices[p]]:
                s += weight[p]
                if hard and near[p]:
                    close += 1
        wt[i] = s
        n_close[i] = close
        bucket[i] = min(close, N_TIERS - 1) * per_tier + _bucket(s, n_sub)
    return bucket


@njit(cache=True, nogil=True)
def eliminate(indptr, indices, weight, near, hard, alive, is_real, n_keep):
    """Eliminate the most crowded alive candidate until ``n_keep`` real ones remain.

    ``indptr``, ``indices``, ``weight`` and ``near`` are the CSR lists of
    :func:`build_neighbours`. Priority is ``(tier, weight, -index)``, largest first: ``tier``
    is, when ``hard`` is set, the number of alive neighbours closer than the minimum spacing
    (capped at ``N_TIERS - 1``), else 0. Weights start as left-to-right sums over each row and
    lose one pair weight per eliminated neighbour. They only fall, so a monotone bucket queue
    finds the top exactly. ``alive`` is updated in place. Returns the eliminated indices in
    order.
    """
    n = alive.shape[0]
    # per-candidate weight, next in its bucket's list and too-close count (and ``alive``), in
    # separate arrays: the weights that every update touches stay dense in the cache
    wt = np.zeros(n, dtype=np.float64)
    nxt = np.empty(n, dtype=np.int32)
    n_close = np.zeros(n, dtype=np.int32)
    n_sub = _SUB_SMALL if n < _SUB_SWITCH else _SUB_LARGE
    per_tier = (_EXP_HIGH - _EXP_LOW) * n_sub
    head = np.full(per_tier * (N_TIERS if hard else 1), -1, dtype=np.int32)
    n_real = 0
    n_alive = 0
    top = 0
    bucket = _initial_state(
        indptr, indices, weight, near, hard, alive, n_sub, per_tier, wt, n_close
    )
    for i in range(n - 1, -1, -1):
        if not alive[i]:
            continue
        b = bucket[i]
        nxt[i] = head[b]
        head[b] = i
        top = max(top, b)
        n_alive += 1
        if is_real[i]:
            n_real += 1
    removed = np.empty(n_alive, dtype=np.int64)
    n_removed = 0
    # the top bucket's entries sit in a small max-heap ``(key, -index)``; keys are upper bounds
    local_key = np.empty(64, dtype=np.float64)
    local_idx = np.empty(64, dtype=np.int64)
    n_local = 0
    while n_real > n_keep and n_alive > 0:
        if n_local == 0:
            while head[top] < 0:
                top -= 1
            e = head[top]
            head[top] = -1
            while e >= 0:
                following = nxt[e]
                b = min(n_close[e], N_TIERS - 1) * per_tier + _bucket(wt[e], n_sub)
                if b < top:  # stale: down to its bucket, not visited before this one empties
                    nxt[e] = head[b]
                    head[b] = e
                else:
                    if n_local == local_key.shape[0]:
                        local_key = np.concatenate((local_key, np.empty_like(local_key)))
                        local_idx = np.concatenate((local_idx, np.empty_like(local_idx)))
                    local_key[n_local] = wt[e]
                    local_idx[n_local] = e
                    n_local += 1
                    _sift_up(local_key, local_idx, n_local - 1)
                e = following
            continue
        best = local_idx[0]
        if wt[best] != local_key[0]:  # a neighbour went since it was queued
            b = min(n_close[best], N_TIERS - 1) * per_tier + _bucket(wt[best], n_sub)
            if b < top:
                n_local -= 1
                local_key[0] = local_key[n_local]
                local_idx[0] = local_idx[n_local]
                nxt[best] = head[b]
                head[b] = best
            else:
                local_key[0] = wt[best]
            _sift_down(local_key, local_idx, n_local, 0)
            continue
        n_local -= 1
        local_key[0] = local_key[n_local]
        local_idx[0] = local_idx[n_local]
        _sift_down(local_key, local_idx, n_local, 0)
        alive[best] = False
        n_alive -= 1
        removed[n_removed] = best
        n_removed += 1
        if is_real[best]:
            n_real -= 1
        for p in range(indptr[best], indptr[best + 1]):
            j = indices[p]
            if alive[j]:
                wt[j] -= weight[p]
                if hard and near[p]:
                    n_close[j] -= 1
    return removed[:n_removed].copy()
