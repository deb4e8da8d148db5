"""Head ray casting: the numba kernel against a vectorised NumPy march, side by side.

The peer is the obvious NumPy way (as ``head.fit.ray_hits`` does for rays from inside): march
every ray at once in fixed 1 mm steps through the bounding sphere with the plain
``surface.radius_reference``, then bisect the first sign change. Run with
``python benchmarks/bench_render.py``; prints both times and their ratio, and how far the
two hit points differ.
"""

from __future__ import annotations

import math
import time

import numba
import numpy as np

from smpstudio.head.chart import ScalpChart
from smpstudio.head.fit import fit_params
from smpstudio.head.surface import P_YC, P_ZC, radius_reference
from smpstudio.render import _trace_kernels as tk
from smpstudio.render.camera import view_camera
from smpstudio.render.headmodel import HeadModel

SIZE_PX = 192


def numpy_hits(prm: np.ndarray, o: np.ndarray, d: np.ndarray, r_bound: float) -> np.ndarray:
    c = np.array([0.0, prm[P_YC], prm[P_ZC]])

    def f(t: np.ndarray, idx: np.ndarray) -> np.ndarray:
        rel = o + t[:, None] * d[idx] - c
        rho = np.linalg.norm(rel, axis=1)
        theta = np.arccos(np.clip(rel[:, 2] / rho, -1.0, 1.0))
        return rho - radius_reference(theta, np.arctan2(rel[:, 0], rel[:, 1]), prm)

    dist = np.linalg.norm(o - c)
    t0, t1 = dist - r_bound, dist + r_bound
    n = d.shape[0]
    hit = np.full(n, -1.0)
    lo = np.full(n, np.nan)
    prev = np.full(n, True)
    for t in np.arange(t0, t1, 1.0):
        open_ = np.isnan(lo)
        idx = np.flatnonzero(open_)
        inside = f(np.full(idx.size, t), idx) <= 0.0
        lo[idx[inside & prev[idx]]] = t - 1.0
        if not np.isnan(lo).any():
            break
    idx = np.flatnonzero(~np.isnan(lo))
    a, b = lo[idx], lo[idx] + 1.0
    for _ in range(30):
        m = 0.5 * (a + b)
        out = f(m, idx) > 0.0
        a, b = np.where(out, m, a), np.where(out, b, m)
    hit[idx] = 0.5 * (a + b)
    return hit


@numba.njit
def numba_hits(o, dirs, prm, tab, r_bound, width):  # type: ignore[no-untyped-def]
    out = np.empty(dirs.shape[0])
    guess = -1.0
    for k in range(dirs.shape[0]):
        if k % width == 0:
            guess = -1.0
        guess = tk.hit_head(o, dirs[k], prm, tab, r_bound, guess)
        out[k] = guess
    return out


def main() -> None:
    prm, _ = fit_params(200.0, 154.0, 574.0, 131.0)
    head = HeadModel(ScalpChart(prm))
    cam = view_camera("front", head.centre_mm, size_px=SIZE_PX)
    params = cam.params()
    o = np.empty(3)
    dirs = np.empty((SIZE_PX * SIZE_PX, 3))
    for k in range(dirs.shape[0]):
        tk._ray(params, k % SIZE_PX + 0.5, k // SIZE_PX + 0.5, o, dirs[k])
    numba_hits(o, dirs[:4], head.prm, head.table, head.r_bound_mm, SIZE_PX)  # compile
    start = time.perf_counter()
    ours = numba_hits(o, dirs, head.prm, head.table, head.r_bound_mm, SIZE_PX)
    t_ours = time.perf_counter() - start
    start = time.perf_counter()
    peer = numpy_hits(head.prm, o, dirs, head.r_bound_mm)
    t_peer = time.perf_counter() - start
    both = (ours >= 0) & (peer >= 0)
    print(f"{dirs.shape[0]} rays, {both.sum()} hits")
    print(f"numba kernel (Newton from the neighbour):  {t_ours:.3f} s")
    print(f"NumPy march + bisection:                  {t_peer:.3f} s")
    print(f"ratio NumPy / numba: {t_peer / t_ours:.1f}")
    print(f"largest difference of hit distance: {np.abs(ours - peer)[both].max():.2e} mm")
    print(f"hit/miss disagreements: {int(((ours >= 0) != (peer >= 0)).sum())} (silhouette)")
    assert math.isfinite(t_ours)


if __name__ == "__main__":
    main()
