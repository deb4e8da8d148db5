"""Appearance lookup speed against a direct Monte Carlo answer to the same question.

Run as ``python benchmarks/bench_appearance.py``. ``appearance.lookup`` interpolates the
precomputed table; the peer is what the table replaces: direct MCML runs of the skin with
and without pigment at every wavelength of the table (31 x 2 runs), here with only 2,000
packets per run (the table uses 100,000 white packets per wavelength), so the ratio printed
is a lower bound.
"""

from __future__ import annotations

import time

import numpy as np

from smpstudio import appearance
from smpstudio.appearance.model import AppearanceModel, layer_mua_per_cm, mcml_layers
from smpstudio.appearance.table import load_table
from smpstudio.optics.mcml import run_mcml

FITZPATRICK, DEPTH_MM, PIGMENT_FRAC = 3, 0.3, 1.0
DIRECT_PHOTONS = 2_000


def bench_lookup(repeats: int = 5_000) -> float:
    appearance.lookup(FITZPATRICK, DEPTH_MM, PIGMENT_FRAC)  # load the table once
    start = time.perf_counter()
    for _ in range(repeats):
        appearance.lookup(FITZPATRICK, DEPTH_MM, PIGMENT_FRAC)
    return (time.perf_counter() - start) / repeats


def bench_lookup_many(n_dots: int = 100_000, distinct: bool = True) -> float:
    rng = np.random.default_rng(0)
    if distinct:  # every dot its own depth and load (worst case)
        depth = rng.uniform(0.1, 1.0, n_dots)
        frac = rng.uniform(0.2, 1.5, n_dots)
    else:  # a plan: three sessions, each with one depth and dilution
        session = rng.integers(0, 3, n_dots)
        depth = np.array([0.25, 0.3, 0.3])[session]
        frac = np.array([0.6, 0.85, 1.0])[session]
    appearance.lookup_many(FITZPATRICK, depth[:10], frac[:10])
    start = time.perf_counter()
    appearance.lookup_many(FITZPATRICK, depth, frac)
    return (time.perf_counter() - start) / n_dots


def bench_direct() -> float:
    model = AppearanceModel()
    stack = model.stack()
    wavelengths = load_table().wavelengths_nm
    run_mcml(mcml_layers(model, stack, 550.0, layer_mua_per_cm(model, stack, 550.0, 3)),
             n_above=1.0, n_below=1.44, photons=100, seed=0)  # compile  # fmt: skip
    start = time.perf_counter()
    for k, wl in enumerate(wavelengths):
        for depth in (None, DEPTH_MM):
            mua = layer_mua_per_cm(model, stack, float(wl), FITZPATRICK, depth, PIGMENT_FRAC)
            run_mcml(mcml_layers(model, stack, float(wl), mua), n_above=1.0, n_below=1.44,
                     photons=DIRECT_PHOTONS, seed=k)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    lookup_s = bench_lookup()
    many_s = bench_lookup_many()
    plan_s = bench_lookup_many(distinct=False)
    direct_s = bench_direct()
    print(f"appearance.lookup:        {lookup_s * 1e6:9.1f} us per query")
    print(f"appearance.lookup_many:   {many_s * 1e6:9.3f} us per dot (100,000 distinct dots)")
    print(f"appearance.lookup_many:   {plan_s * 1e6:9.3f} us per dot (100,000 dots, 3 sessions)")
    print(f"direct MCML ({DIRECT_PHOTONS} packets x 62 runs): {direct_s:9.2f} s per query")
    print(f"ratio direct / lookup:    {direct_s / lookup_s:9.0f}")


if __name__ == "__main__":
    main()
