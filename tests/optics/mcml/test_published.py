"""MCML against the published validation cases (Wang & Jacques 1992, tables 6.1 and 6.2).

Acceptance: |mine - reference| < 3 sqrt(SE_mine^2 + SE_ref^2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from smpstudio.optics.mcml import Layer, run_mcml, specular_reflectance


def within_3se(value: float, se: float, ref: float, ref_se: float) -> bool:
    return abs(value - ref) < 3.0 * math.hypot(se, ref_se)


def test_matched_slab_van_de_hulst() -> None:
    # MCML manual table 6.1: Rd 0.09734 +/- 0.00035, Tt 0.66096 +/- 0.00020 (van de Hulst
    # 1980: 0.09739, 0.66096).
    slab = Layer(n=1.0, mua_per_cm=10.0, mus_per_cm=90.0, g=0.75, thickness_cm=0.02)
    res = run_mcml([slab], n_above=1.0, n_below=1.0, photons=600_000, seed=11)
    assert res.specular_reflectance == 0.0
    assert within_3se(res.diffuse_reflectance, res.diffuse_reflectance_stderr, 0.09734, 0.00035)
    assert within_3se(res.transmittance, res.transmittance_stderr, 0.66096, 0.00020)
    # The tests can fail: the stderr is small enough to separate neighbouring values.
    assert res.diffuse_reflectance_stderr < 0.0005 and res.transmittance_stderr < 0.0005


def test_semi_infinite_mismatched_giovanelli() -> None:
    # MCML manual table 6.2: total reflectance 0.25907 +/- 0.00170 (Giovanelli 1955: 0.2600),
    # Rsp = 0.04 included.
    half_space = Layer(n=1.5, mua_per_cm=10.0, mus_per_cm=90.0, g=0.0, thickness_cm=math.inf)
    res = run_mcml([half_space], n_above=1.0, n_below=1.0, photons=150_000, seed=5)
    assert res.specular_reflectance == pytest.approx(0.04, abs=1e-15)
    assert res.transmittance == 0.0
    total_se = res.diffuse_reflectance_stderr
    assert within_3se(res.total_reflectance, total_se, 0.25907, 0.00170)


def test_pure_absorber_beer_lambert_exactly() -> None:
    absorber = Layer(n=1.0, mua_per_cm=1.0, mus_per_cm=0.0, g=0.0, thickness_cm=1.0)
    res = run_mcml([absorber], n_above=1.0, n_below=1.0, photons=100, seed=1)
    assert res.transmittance == pytest.approx(math.exp(-1.0), rel=1e-12)
    assert res.absorbed == pytest.approx(1.0 - math.exp(-1.0), rel=1e-12)
    assert res.diffuse_reflectance == 0.0
    assert res.transmittance_stderr == pytest.approx(0.0, abs=1e-12)


def test_clear_mismatched_slab_multiple_reflections() -> None:
    # Absorbing glass plate n = 1.5 in air at normal incidence, all-or-none reflections
    # inside: T = (1 - r)^2 e^-tau / (1 - r^2 e^-2tau), Rd = (1 - r)^2 r e^-2tau / (same).
    tau = 0.5
    plate = Layer(n=1.5, mua_per_cm=tau / 0.1, mus_per_cm=0.0, g=0.0, thickness_cm=0.1)
    res = run_mcml([plate], n_above=1.0, n_below=1.0, photons=200_000, seed=3)
    r = 0.04
    denom = 1.0 - r * r * math.exp(-2 * tau)
    t_ref = (1 - r) ** 2 * math.exp(-tau) / denom
    rd_ref = (1 - r) ** 2 * r * math.exp(-2 * tau) / denom
    assert abs(res.transmittance - t_ref) < 4 * res.transmittance_stderr + 1e-12
    assert abs(res.diffuse_reflectance - rd_ref) < 4 * res.diffuse_reflectance_stderr + 1e-12
    assert res.specular_reflectance == pytest.approx(r)


def test_glass_top_layer_specular_as_mcml() -> None:
    # MCML Rspecular with a glass top layer: r1 + (1 - r1)^2 r2 / (1 - r1 r2).
    glass = Layer(n=1.5, mua_per_cm=0.0, mus_per_cm=0.0, g=0.0, thickness_cm=0.1)
    tissue = Layer(n=1.33, mua_per_cm=5.0, mus_per_cm=50.0, g=0.8, thickness_cm=0.1)
    r1 = (0.5 / 2.5) ** 2
    r2 = (0.17 / 2.83) ** 2
    expected = r1 + (1 - r1) ** 2 * r2 / (1 - r1 * r2)
    assert specular_reflectance([glass, tissue], 1.0, 1.0) == pytest.approx(expected)
    only_glass = run_mcml([glass], n_above=1.0, n_below=1.0, photons=50, seed=1)
    assert only_glass.transmittance == pytest.approx(1.0 - only_glass.specular_reflectance)


def test_splitting_a_layer_changes_nothing() -> None:
    # The dimensionless step carried across an index-matched internal boundary must make a
    # slab cut in two statistically identical to the whole slab.
    whole = Layer(n=1.4, mua_per_cm=2.0, mus_per_cm=80.0, g=0.8, thickness_cm=0.06)
    half = Layer(n=1.4, mua_per_cm=2.0, mus_per_cm=80.0, g=0.8, thickness_cm=0.03)
    a = run_mcml([whole], n_above=1.0, n_below=1.2, photons=200_000, seed=2)
    b = run_mcml([half, half], n_above=1.0, n_below=1.2, photons=200_000, seed=3)
    for key in ("diffuse_reflectance", "transmittance", "absorbed"):
        va, vb = getattr(a, key), getattr(b, key)
        se = math.hypot(getattr(a, key + "_stderr"), getattr(b, key + "_stderr"))
        assert abs(va - vb) < 3.5 * se, key
    assert b.absorbed_by_layer.sum() == pytest.approx(b.absorbed)
    assert np.all(b.absorbed_by_layer > 0.0)
