"""Finite-disc shadow Monte Carlo: speed against the MCML engine, and the validation study.

``python benchmarks/bench_disc.py`` times the disc kernel (optics/_disc_kernel.py) against the
validated MCML engine (optics/mcml) on the same four-layer scalp skin at 550 nm and prints the
per-core ratio: the disc kernel runs the same walk plus the in-band path record and the disc
tallies, so the ratio is the price of the shadow tally.

``python benchmarks/bench_disc.py --study`` runs the study of docs/optics-disc.md: the checks
(large disc against the engine's infinite sheet, zero absorption, uniform against importance
sampling), the table of E_mc against render.states.capture_enhancement, the profile widths
against appearance.blur_sigma_mm, and the fit of E over radius and depth. A few minutes on
two cores.
"""

from __future__ import annotations

import math
import sys
import time

import numba
import numpy as np
from scipy import optimize, stats

from smpstudio.appearance import blur_sigma_mm
from smpstudio.optics.disc import (
    Disc,
    mean_delta_r,
    pigment_disc,
    sheet_delta_r_mcml,
    simulate_disc_shadows,
    skin_layers,
)
from smpstudio.optics.mcml import run_mcml
from smpstudio.optics.pigment import PigmentParameters
from smpstudio.optics.skin import SkinParameters
from smpstudio.render.states import TRANSPORT_MFP_MM, capture_enhancement

RADII_MM = (0.06, 0.10)
DEPTHS_MM = (0.1, 0.3, 0.6)
FIT_RADII_MM = (0.03, 0.045, 0.06, 0.08, 0.10, 0.15, 0.20, 0.30)
FIT_DEPTHS_MM = (0.1, 0.2, 0.3, 0.45, 0.6, 0.8)
SEED = 20_260_401


def speed() -> None:
    skin = SkinParameters()
    layers = skin_layers(skin, 550.0, 3)
    discs = [pigment_disc(a, z) for a in RADII_MM for z in DEPTHS_MM]
    photons = 60_000
    run_mcml(layers, n_above=1.0, n_below=1.44, photons=100, seed=0)  # compile / load cache
    simulate_disc_shadows(discs, photons=100, seed=0)
    numba.set_num_threads(1)
    cpu0 = time.process_time()
    run_mcml(layers, n_above=1.0, n_below=1.44, photons=photons, seed=1)
    engine = photons / (time.process_time() - cpu0)
    cpu0 = time.process_time()
    simulate_disc_shadows(discs, photons=photons, seed=1)
    disc = photons / (time.process_time() - cpu0)
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    print("packets per second, one core (CPU time), four-layer scalp at 550 nm")
    print(f"{'MCML engine (no tally)':34s} {engine:10,.0f}")
    print(f"{'disc kernel (6 discs, 16 samples)':34s} {disc:10,.0f}")
    print(f"ratio disc / engine: {disc / engine:.2f} (< 1: the price of the shadow tally)")


def equivalent_sigma_mm(radius_mm: float, r50_mm: float) -> float:
    """sigma of the Gaussian that, convolved with a uniform disc of ``radius_mm``, puts half
    of the disc's weight within ``r50_mm`` (Rice distribution of the blurred radius)."""
    nodes, weights = np.polynomial.legendre.leggauss(64)
    rho = 0.5 * radius_mm * (nodes + 1.0)
    w = 0.5 * radius_mm * weights * 2.0 * rho / radius_mm**2

    def half(sigma: float) -> float:
        return float(np.sum(w * stats.rice.cdf(r50_mm / sigma, rho / sigma))) - 0.5

    if r50_mm <= radius_mm / math.sqrt(2.0):
        return 0.0
    return float(optimize.brentq(half, 1e-6, 10.0 * r50_mm + 1.0))


def study() -> None:
    t_start = time.perf_counter()
    print("== 1. checks at 550 nm, Fitzpatrick III")
    big = [pigment_disc(3.0, z) for z in DEPTHS_MM]
    zero = Disc(radius_mm=0.1, depth_mm=0.3, thickness_mm=0.05, mua_per_cm=0.0)
    main = [pigment_disc(a, z) for a in RADII_MM for z in DEPTHS_MM]
    run = simulate_disc_shadows(
        [*main, *big, zero], photons=400_000, seed=SEED, r_max_mm=4.0, c_samples=16
    )
    print(f"   {run.photons} packets, {run.seconds:.0f} s; skin Rd = {run.skin_reflectance:.4f} "
          f"+/- {run.skin_reflectance_stderr:.4f}")  # fmt: skip
    shadows = {(s.disc.radius_mm, s.disc.depth_mm): s for s in run.shadows[: len(main)]}
    sheet_ref = {}
    for k, z in enumerate(DEPTHS_MM):
        ref, ref_se = sheet_delta_r_mcml(big[k], photons=150_000, seed=SEED + 1)
        sheet_ref[z] = (ref, ref_se)
        s = run.shadows[len(main) + k]
        centre, centre_se = mean_delta_r(s, 1.0)
        print(f"   z {z:.1f}: sheet (reweighted) {s.sheet_delta_r:.4f} +/- "
              f"{s.sheet_delta_r_stderr:.4f}; sheet (run_mcml) {ref:.4f} +/- {ref_se:.4f}; "
              f"3 mm disc, mean Delta R over r < 1 mm {centre:.4f} +/- "
              f"{centre_se:.4f}")  # fmt: skip
    z_s = run.shadows[-1]
    print(f"   zero absorption: S = {z_s.shadow_mm2:.2e}, max |Delta R| = "
          f"{np.abs(z_s.delta_r).max():.2e}")  # fmt: skip
    check = simulate_disc_shadows(
        [pigment_disc(0.1, 0.3)], photons=60_000, seed=SEED + 2, c_samples=128,
        sampling="uniform", half_width_mm=3.0,
    )  # fmt: skip
    s_u = check.shadows[0]
    s_i = simulate_disc_shadows([pigment_disc(0.1, 0.3)], photons=60_000, seed=SEED + 2).shadows[0]
    print(f"   a 0.1 z 0.3: S importance {s_i.shadow_mm2:.5f} +/- {s_i.shadow_mm2_stderr:.5f}, "
          f"uniform {s_u.shadow_mm2:.5f} +/- {s_u.shadow_mm2_stderr:.5f}")  # fmt: skip

    print(flush=True)
    print("== 2. E_mc against capture_enhancement (550 nm, Fitzpatrick III, neat pigment)")
    print(" a_mm  z_mm   DR_sheet   S_mm2      E_mc +/- SE       E_mc(run_mcml sheet)  E_diff  "
          "r50_mm  sigma_eq_mm  blur_sigma_mm")  # fmt: skip
    for a in RADII_MM:
        for z in DEPTHS_MM:
            s = shadows[(a, z)]
            ref, ref_se = sheet_ref[z]
            e_ref = s.shadow_mm2 / (s.disc.area_mm2 * ref)
            e_ref_se = e_ref * math.hypot(s.shadow_mm2_stderr / s.shadow_mm2, ref_se / ref)
            e_diff = float(capture_enhancement(np.array([a]), np.array([z]))[0])
            sig = equivalent_sigma_mm(a, s.half_width_mm)
            blur = float(np.asarray(blur_sigma_mm(z, 3))) if z >= 0.05 else math.nan
            print(f" {a:.2f}  {z:.1f}   {s.sheet_delta_r:.4f}   {s.shadow_mm2:.5f}   "
                  f"{s.enhancement:6.3f} +/- {s.enhancement_stderr:.3f}   "
                  f"{e_ref:6.3f} +/- {e_ref_se:.3f}      {e_diff:6.3f}  {s.half_width_mm:.3f}   "
                  f"{sig:.3f}        {blur:.3f}")  # fmt: skip

    print("\n== 3. other wavelengths and loads (E_mc +/- SE)")
    for wl in (450.0, 650.0):
        discs = [pigment_disc(a, z, wavelength_nm=wl) for a in RADII_MM for z in DEPTHS_MM]
        r = simulate_disc_shadows(discs, photons=150_000, seed=SEED + 3, wavelength_nm=wl)
        text = ", ".join(
            f"a {s.disc.radius_mm:.2f} z {s.disc.depth_mm:.1f}: {s.enhancement:.2f}"
            f" +/- {s.enhancement_stderr:.2f}"
            for s in r.shadows
        )
        print(f"   {wl:.0f} nm: {text}")
    for frac in (0.5, 1.5, 2.0):
        discs = [pigment_disc(a, z, pigment_frac=frac) for a in RADII_MM for z in DEPTHS_MM]
        r = simulate_disc_shadows(discs, photons=150_000, seed=SEED + 4)
        text = ", ".join(
            f"a {s.disc.radius_mm:.2f} z {s.disc.depth_mm:.1f}: {s.enhancement:.2f}"
            f" +/- {s.enhancement_stderr:.2f}"
            for s in r.shadows
        )
        print(f"   pigment_frac {frac}: {text}")

    tau = float(PigmentParameters().band_optical_depth(np.array([550.0]), 1.0)[0])
    print(f"   band optical depth at 550 nm: {tau:.3f} x pigment_frac")
    print("\n== 4. fit of E over radius and depth (550 nm, neat)")
    grid = [pigment_disc(a, z) for a in FIT_RADII_MM for z in FIT_DEPTHS_MM]
    fit_run = simulate_disc_shadows(grid, photons=200_000, seed=SEED + 5, c_samples=4)
    a_mm = np.array([s.disc.radius_mm for s in fit_run.shadows])
    z_mm = np.array([s.disc.depth_mm for s in fit_run.shadows])
    e_mc = np.array([s.enhancement for s in fit_run.shadows])
    e_se = np.array([s.enhancement_stderr for s in fit_run.shadows])
    r50 = np.array([s.half_width_mm for s in fit_run.shadows])
    for a, z, e, se, h in zip(a_mm, z_mm, e_mc, e_se, r50, strict=True):
        print(f"   a {a:.3f} z {z:.2f}: E {e:.3f} +/- {se:.3f}  r50 {h:.3f}")
    fit_forms(a_mm, z_mm, e_mc, e_se)
    print(f"\n(study: {time.perf_counter() - t_start:.0f} s)")


def fit_forms(a_mm: np.ndarray, z_mm: np.ndarray, e_mc: np.ndarray, e_se: np.ndarray) -> None:
    """Least-squares fits of simple forms in a and z; prints coefficients and residuals."""
    lstar = TRANSPORT_MFP_MM

    def form_diffusion(p: np.ndarray) -> np.ndarray:  # the states.py form, free coefficients
        c, zeta = p
        return 1.0 + c * (lstar / a_mm) * -np.expm1(-z_mm / zeta)

    def form_power(p: np.ndarray) -> np.ndarray:
        c, q, zeta = p
        return 1.0 + c * (lstar / a_mm) ** q * -np.expm1(-z_mm / zeta)

    for name, form, p0 in (
        ("1 + c (l*/a) (1 - exp(-z/zeta))", form_diffusion, [1.0, 0.3]),
        ("1 + c (l*/a)^q (1 - exp(-z/zeta))", form_power, [1.0, 1.0, 0.3]),
    ):
        res = optimize.least_squares(lambda p, f=form: (f(p) - e_mc) / e_se, p0)
        pred = form(res.x)
        rel = np.abs(pred / e_mc - 1.0)
        chi2 = float(np.sum(((pred - e_mc) / e_se) ** 2) / max(1, e_mc.size - res.x.size))
        coef = ", ".join(f"{v:.4f}" for v in res.x)
        print(f"   {name}: params [{coef}]; max rel. error {rel.max():.3f}, "
              f"rms {np.sqrt(np.mean(rel**2)):.3f}, chi2/dof {chi2:.1f}")  # fmt: skip


def main() -> None:
    if "--study" in sys.argv[1:]:
        study()
    else:
        speed()


if __name__ == "__main__":
    main()
