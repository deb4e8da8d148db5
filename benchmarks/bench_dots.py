"""Blue-noise dots: SMP Studio's sampler against scipy.stats.qmc.PoissonDisk, side by side.

Both fill the same flat square at a uniform 90 dots per cm2 with the same number of dots
(default 35,000, a Norwood 7 scalp; ``--dots 1000000`` for the large case). PoissonDisk
(Bridson 2007 dart throwing) gets the radius ``sqrt(0.6 / density)`` - measured, the largest
that still lets ``random(n)`` return all n (at ``sqrt(0.7 / density)`` the square is full at
about 0.86 n) - so both patterns have the same density. Printed: dots
per second of each, the speed ratio, and the Clark-Evans ratio of each (guard-strip edge
correction). Run: ``python benchmarks/bench_dots.py [--dots N] [--seed S] [--skip-scipy]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely
from scipy.stats import qmc

from smpstudio.design.bluenoise import sample_progressive
from smpstudio.design.spatial_stats import clark_evans_ratio
from smpstudio.units import per_cm2_to_per_mm2

DENSITY_PER_CM2 = 90.0
SCIPY_RADIUS_AREA = 0.6
"""PoissonDisk radius^2 times density: the largest that still fills n dots (measured)."""


def run_ours(n_dots: int, side_mm: float, seed: int) -> tuple[np.ndarray, float]:
    """Time one call of the sampler (after a small warm-up call for numba)."""
    density = per_cm2_to_per_mm2(DENSITY_PER_CM2)
    cells = int(np.ceil(side_mm))
    step = side_mm / cells
    grid = np.full((cells, cells), density)
    sample_progressive(grid[:20, :20], origin_mm=(0, 0), step_mm=step, rng=np.random.default_rng(0))
    start = time.perf_counter()
    res = sample_progressive(
        grid, origin_mm=(0.0, 0.0), step_mm=step, rng=np.random.default_rng(seed), total=n_dots
    )
    return res.points_mm, time.perf_counter() - start


def run_scipy(n_dots: int, side_mm: float, seed: int) -> tuple[np.ndarray, float]:
    """Time scipy's PoissonDisk for the same count on the same square."""
    density = per_cm2_to_per_mm2(DENSITY_PER_CM2)
    radius_unit = np.sqrt(SCIPY_RADIUS_AREA / density) / side_mm
    start = time.perf_counter()
    engine = qmc.PoissonDisk(d=2, radius=radius_unit, seed=np.random.default_rng(seed))
    pts = engine.random(n_dots)
    return pts * side_mm, time.perf_counter() - start


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Run both samplers, print the comparison and return the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dots", type=int, default=35_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-scipy", action="store_true")
    args = parser.parse_args(argv)
    side_mm = float(np.sqrt(args.dots / per_cm2_to_per_mm2(DENSITY_PER_CM2)))
    box = shapely.box(0.0, 0.0, side_mm, side_mm)
    area = side_mm * side_mm
    out: dict[str, float] = {}
    pts, secs = run_ours(args.dots, side_mm, args.seed)
    out["ours_dots_per_s"] = pts.shape[0] / secs
    out["ours_clark_evans"] = clark_evans_ratio(pts, area_mm2=area, boundary=box)
    print(f"square {side_mm:.1f} mm, {DENSITY_PER_CM2:.0f} dots/cm2, {args.dots} dots")
    print(
        f"smpstudio  : {pts.shape[0]:9d} dots in {secs:8.3f} s = {out['ours_dots_per_s']:12.0f}"
        f" dots/s, Clark-Evans R = {out['ours_clark_evans']:.3f}"
    )
    if not args.skip_scipy:
        spts, ssecs = run_scipy(args.dots, side_mm, args.seed)
        out["scipy_dots_per_s"] = spts.shape[0] / ssecs
        out["scipy_clark_evans"] = clark_evans_ratio(spts, area_mm2=area, boundary=box)
        out["speed_ratio"] = out["ours_dots_per_s"] / out["scipy_dots_per_s"]
        print(
            f"scipy      : {spts.shape[0]:9d} dots in {ssecs:8.3f} s = "
            f"{out['scipy_dots_per_s']:12.0f} dots/s, Clark-Evans R = "
            f"{out['scipy_clark_evans']:.3f}"
        )
        print(f"speed ratio (smpstudio / scipy, dots per second): {out['speed_ratio']:.1f}x")
    return out


if __name__ == "__main__":
    main()
