"""MCML engine speed: packets per second, one core and all cores, against the C program.

Run as ``python benchmarks/bench_mcml.py``. The original MCML (C, single-threaded, gcc -O3
-march=native) does about 5.2 million packets per second on the matched slab and 320,000 on its
three-layer sample on a machine of the kind this project runs on (docs/references.md, Wang &
Jacques 1992); the C
program is not shipped here, so those figures stand in for the side-by-side run. Per-core rates
are also given from process CPU time, which shared machines distort less than wall time.
"""

from __future__ import annotations

import math
import time

import numba

from smpstudio.optics.mcml import Layer, run_mcml

MATCHED_SLAB = [Layer(n=1.0, mua_per_cm=10.0, mus_per_cm=90.0, g=0.75, thickness_cm=0.02)]
MCML_SAMPLE = [  # MCML's sample.mci, ambient n = 1 above and below
    Layer(n=1.37, mua_per_cm=1.0, mus_per_cm=100.0, g=0.9, thickness_cm=0.1),
    Layer(n=1.37, mua_per_cm=1.0, mus_per_cm=10.0, g=0.0, thickness_cm=0.1),
    Layer(n=1.37, mua_per_cm=2.0, mus_per_cm=10.0, g=0.7, thickness_cm=0.2),
]
# Five-layer scalp skin at 550 nm, Fitzpatrick III (Jacques 2013), g = 0.9:
#   epidermis   mua = 0.08 * 519 (550/500)^-3.5 + 0.92 * mua_base = 30.17, with
#               mua_base = 0.244 + 85.3 exp(-(550 - 154)/66.2) = 0.459;
#               mus' = 66.7 (0.29 (1.1)^-4 + 0.71 (1.1)^-0.689) = 57.56 -> mus = 575.6
#   dermis      mus' = 42.4 (0.62 (1.1)^-4 + 0.38 (1.1)^-1) = 32.60 -> mus = 326.0; blood
#               B = 0.01 / 0.04 / 0.01 (papillary / upper blood net / reticular), S = 0.75:
#               mua = B (0.75 * 230 + 0.25 * 286) + (1 - B) 0.459 = 2.894 / 10.20 / 2.894
#   hypodermis  mus' = 35 (1.1)^-0.85 = 32.28 -> mus = 322.8; B = 0.005: mua = 1.677
#   thickness   0.066 mm, 0.15 mm, 0.1 mm, 1.4 mm, semi-infinite; n 1.44, 1.39 x 3, 1.44
SKIN_550 = [
    Layer(n=1.44, mua_per_cm=30.17, mus_per_cm=575.6, g=0.9, thickness_cm=0.0066),
    Layer(n=1.39, mua_per_cm=2.894, mus_per_cm=326.0, g=0.9, thickness_cm=0.015),
    Layer(n=1.39, mua_per_cm=10.20, mus_per_cm=326.0, g=0.9, thickness_cm=0.01),
    Layer(n=1.39, mua_per_cm=2.894, mus_per_cm=326.0, g=0.9, thickness_cm=0.14),
    Layer(n=1.44, mua_per_cm=1.677, mus_per_cm=322.8, g=0.9, thickness_cm=math.inf),
]

CASES = (  # name, layers, packets, C MCML packets/s per core (docs/references.md)
    ("matched slab", MATCHED_SLAB, 2_000_000, 5.2e6),
    ("MCML three-layer sample", MCML_SAMPLE, 200_000, 3.2e5),
    ("five-layer skin 550 nm", SKIN_550, 20_000, None),
)


def measure(layers: list[Layer], photons: int, threads: int) -> tuple[float, float]:
    """(wall-clock packets/s, CPU-time packets/s per thread) of one seeded run."""
    numba.set_num_threads(threads)
    cpu0 = time.process_time()
    result = run_mcml(layers, n_above=1.0, n_below=1.0, photons=photons, seed=1)
    cpu = time.process_time() - cpu0
    return result.photons_per_second, photons / cpu


def main() -> None:
    all_threads = numba.config.NUMBA_NUM_THREADS
    run_mcml(MATCHED_SLAB, n_above=1.0, n_below=1.0, photons=100, seed=0)  # compile first
    print(f"MCML engine, packets per second (numba, {all_threads} threads available)")
    header = f"{'case':26s} {'1 core wall':>12s} {'1 core CPU':>12s} {'all cores':>12s}"
    print(header + f" {'C MCML/core':>12s} {'ratio':>6s}")
    for name, layers, photons, c_rate in CASES:
        wall_1, cpu_1 = measure(layers, photons, 1)
        wall_all, _ = measure(layers, photons, all_threads)
        c_text = f"{c_rate:12,.0f}" if c_rate else f"{'-':>12s}"
        ratio = f"{cpu_1 / c_rate:6.2f}" if c_rate else f"{'-':>6s}"
        print(f"{name:26s} {wall_1:12,.0f} {cpu_1:12,.0f} {wall_all:12,.0f} {c_text} {ratio}")
    numba.set_num_threads(all_threads)
    print("ratio: this engine's per-core rate (CPU time) over the C program's; > 1 is faster")


if __name__ == "__main__":
    main()
