"""Numba kernels of weighted sample elimination (Yuksel 2015) on a metric chart.

Yuksel C. (2015) "Sample Elimination for Generating Poisson Disk Sample Sets",
Computer Graphics Forum 34(2):25-32, doi:10.1111/cgf.12538.

Every candidate ``i`` carries a chart position ``pos[i] = (u_mm, v_mm)``, the metric
``metric[i] = (G_uu, G_uv, G_vv)`` at that position, a surface radius ``radius[i]`` (Yuksel's
``r_max`` at the local target density of the stage), a limiting radius ``radius_min[i]``
(Yuksel's weight limiting) and a hard minimum spacing ``spacing_min[i]``.
The pair weight of ``i`` and ``j`` (:func:`pair_weight`) uses the surface distance under the
averaged metric, reach ``radius[i] + radius[j]`` (symmetric, so a density gradient does not
favour either side) and the minimum spacing of the denser side.

A candidate's weight starts as the plain left-to-right sum of its pair weights over its alive
neighbours in increasing index order and loses the pair weight of each neighbour eliminated.
Weights only fall, so the largest is found with a monotone bucket queue (octave and linear
sub-steps of the weight): an update costs nothing until the entry's bucket comes to the top;
then the bucket is emptied once, stale entries move down to their true bucket and the rest go
into a small heap that is re-checked lazily. Keys only fall, so a stored key bounds the true
one and a checked top is the true maximum. The pick is exact - largest weight, lowest index on
ties - and in the same floating-point arithmetic as the brute-force
``_bluenoise_reference.eliminate_reference``, so both give the same elimination order.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_INITIAL_NEIGHBOURS = 16
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
def pair_weight(rec, i, j):
    """Weight of the pair (i, j), 0.0 when they do not interact, and whether they are closer
    than the minimum spacing. ``rec`` rows: u, v, G_uu, G_uv, G_vv, radius, radius_min,
    spacing_min (one cache line per candidate)."""
    du = rec[i, 0] - rec[j, 0]
    dv = rec[i, 1] - rec[j, 1]
    guu = 0.5 * (rec[i, 2] + rec[j, 2])
    guv = 0.5 * (rec[i, 3] + rec[j, 3])
    gvv = 0.5 * (rec[i, 4] + rec[j, 4])
    dist = math.sqrt(guu * du * du + 2.0 * guv * du * dv + gvv * dv * dv)
    reach = rec[i, 5] + rec[j, 5]
    if dist >= reach:
        return 0.0, False
    limited = max(dist, rec[i, 6] + rec[j, 6])
    t = 1.0 - limited / reach
    t2 = t * t
    t4 = t2 * t2
    return t4 * t4, dist < min(rec[i, 7], rec[j, 7])


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
def build_neighbours(pos, metric, radius, query_mm, cell_start, origin_u, origin_v, cell_mm, ncx):
    """CSR lists of interacting pairs (``dist < radius[i] + radius[j]``), rows in increasing
    index order.

    Points must be sorted by :func:`cell_sort` (cells of side ``cell_mm`` from
    ``(origin_u, origin_v)``, ``ncx`` a multiple of ``TILE``); ``cell_start`` is its second
    result. ``query_mm[i]`` bounds the chart distance at which ``i`` meets a partner of no
    larger radius; each pair is found from its larger-radius side (lower index on ties).
    """
    n = pos.shape[0]
    ncy = (cell_start.shape[0] - 1) // ncx
    ntx = ncx // TILE
    cap = max(n * _INITIAL_NEIGHBOURS // 2, 16)
    first = np.empty(cap, dtype=np.int32)
    second = np.empty(cap, dtype=np.int32)
    n_pairs = 0
    degree = np.zeros(n + 1, dtype=np.int64)
    for i in range(n):
        cx = min(int((pos[i, 0] - origin_u) / cell_mm), ncx - 1)
        cy = min(int((pos[i, 1] - origin_v) / cell_mm), ncy - 1)
        q = query_mm[i]
        q2 = q * q
        k = math.ceil(q / cell_mm)
        for yy in range(max(cy - k, 0), min(cy + k, ncy - 1) + 1):
            x1 = min(cx + k, ncx - 1)
            x = max(cx - k, 0)
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
                    if dist < radius[i] + radius[p]:
                        if n_pairs == cap:
                            cap *= 2
                            grown = np.empty(cap, dtype=np.int32)
                            grown[:n_pairs] = first[:n_pairs]
                            first = grown
                            grown = np.empty(cap, dtype=np.int32)
                            grown[:n_pairs] = second[:n_pairs]
                            second = grown
                        first[n_pairs] = i
                        second[n_pairs] = p
                        n_pairs += 1
                        degree[i + 1] += 1
                        degree[p + 1] += 1
    indptr = np.cumsum(degree)
    cursor = indptr[:-1].copy()
    indices = np.empty(2 * n_pairs, dtype=np.int32)
    for e in range(n_pairs):
        a = first[e]
        b = second[e]
        indices[cursor[a]] = b
        cursor[a] += 1
        indices[cursor[b]] = a
        cursor[b] += 1
    for i in range(n):  # insertion sort of each short row
        for p in range(indptr[i] + 1, indptr[i + 1]):
            v = indices[p]
            q = p - 1
            while q >= indptr[i] and indices[q] > v:
                indices[q + 1] = indices[q]
                q -= 1
            indices[q + 1] = v
    return indptr, indices


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


@njit(cache=True, nogil=True)
def eliminate(
    indptr, indices, pos, metric, radius, radius_min, spacing_min, hard, alive, is_real, n_keep
):
    """Eliminate the most crowded alive candidate until ``n_keep`` real ones remain.

    Priority is ``(tier, weight, -index)``, largest first: ``tier`` is, when ``hard`` is set,
    the number of alive neighbours closer than the minimum spacing (capped at
    ``N_TIERS - 1``), else 0. Weights start as left-to-right sums over each row and lose one
    pair weight per eliminated neighbour. They only fall, so a monotone bucket queue finds the
    top exactly. ``alive`` is updated in place. Returns the eliminated indices in order.
    """
    n = pos.shape[0]
    rec = np.empty((n, 8), dtype=np.float64)
    for i in range(n):
        rec[i, 0] = pos[i, 0]
        rec[i, 1] = pos[i, 1]
        rec[i, 2] = metric[i, 0]
        rec[i, 3] = metric[i, 1]
        rec[i, 4] = metric[i, 2]
        rec[i, 5] = radius[i]
        rec[i, 6] = radius_min[i]
        rec[i, 7] = spacing_min[i]
    # per-candidate state in one row: weight, next in bucket, too-close count, alive
    state = np.zeros((n, 4), dtype=np.float64)
    n_sub = _SUB_SMALL if n < _SUB_SWITCH else _SUB_LARGE
    per_tier = (_EXP_HIGH - _EXP_LOW) * n_sub
    head = np.full(per_tier * (N_TIERS if hard else 1), -1, dtype=np.int64)
    n_real = 0
    n_alive = 0
    top = 0
    for i in range(n):
        state[i, 3] = 1.0 if alive[i] else 0.0
    for i in range(n - 1, -1, -1):
        if not alive[i]:
            continue
        s = 0.0
        close = 0
        for p in range(indptr[i], indptr[i + 1]):
            j = indices[p]
            if alive[j]:
                w, near = pair_weight(rec, i, j)
                s += w
                if hard and near:
                    close += 1
        state[i, 0] = s
        state[i, 2] = close
        b = min(close, N_TIERS - 1) * per_tier + _bucket(s, n_sub)
        state[i, 1] = head[b]
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
                following = int(state[e, 1])
                b = min(int(state[e, 2]), N_TIERS - 1) * per_tier + _bucket(state[e, 0], n_sub)
                if b < top:  # stale: down to its bucket, not visited before this one empties
                    state[e, 1] = head[b]
                    head[b] = e
                else:
                    if n_local == local_key.shape[0]:
                        local_key = np.concatenate((local_key, np.empty_like(local_key)))
                        local_idx = np.concatenate((local_idx, np.empty_like(local_idx)))
                    local_key[n_local] = state[e, 0]
                    local_idx[n_local] = e
                    n_local += 1
                    _sift_up(local_key, local_idx, n_local - 1)
                e = following
            continue
        best = local_idx[0]
        if state[best, 0] != local_key[0]:  # a neighbour went since it was queued
            b = min(int(state[best, 2]), N_TIERS - 1) * per_tier + _bucket(state[best, 0], n_sub)
            if b < top:
                n_local -= 1
                local_key[0] = local_key[n_local]
                local_idx[0] = local_idx[n_local]
                state[best, 1] = head[b]
                head[b] = best
            else:
                local_key[0] = state[best, 0]
            _sift_down(local_key, local_idx, n_local, 0)
            continue
        n_local -= 1
        local_key[0] = local_key[n_local]
        local_idx[0] = local_idx[n_local]
        _sift_down(local_key, local_idx, n_local, 0)
        state[best, 3] = 0.0
        alive[best] = False
        n_alive -= 1
        removed[n_removed] = best
        n_removed += 1
        if is_real[best]:
            n_real -= 1
        for p in range(indptr[best], indptr[best + 1]):
            j = indices[p]
            if state[j, 3] != 0.0:
                w, near = pair_weight(rec, j, best)
                state[j, 0] -= w
                if hard and near:
                    state[j, 2] -= 1.0
    return removed[:n_removed].copy()
