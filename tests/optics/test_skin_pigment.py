"""Pigment band: load definition, sieve-limited absorption, band placement."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.errors import InputError
from smpstudio.optics import pigment


def test_pigment_frac_definition():
    assert pigment.pigment_frac_for() == 1.0
    assert pigment.pigment_frac_for(dilution_frac=0.25) == pytest.approx(0.75)
    assert pigment.pigment_frac_for(remaining_frac=0.6) == pytest.approx(0.6)
    assert pigment.pigment_frac_for(fresh=True) == pytest.approx(1.5)
    assert pigment.pigment_frac_for(dilution_frac=0.5, remaining_frac=0.5, fresh=True) == (
        pytest.approx(0.375)
    )
    # fresh = healed / (1 - healing loss of a third)
    assert pigment.FRESH_PIGMENT_FRAC == pytest.approx(1.0 / (1.0 - 1.0 / 3.0))


@pytest.mark.parametrize(
    "kwargs",
    [{"dilution_frac": 0.95}, {"dilution_frac": -0.1}, {"remaining_frac": 1.2},
     {"dilution_frac": math.nan}],
)  # fmt: skip
def test_pigment_frac_bad_input(kwargs):
    with pytest.raises(InputError):
        pigment.pigment_frac_for(**kwargs)


def test_homogeneous_depth_is_optics_md_numbers():
    p = pigment.PigmentParameters()
    # 75 cm2/mg (7.5 m2/g) x 2.5 mg/cm2 x 2/3 = 125 at 550 nm, falling as 1/L
    assert float(p.homogeneous_optical_depth(550.0)) == pytest.approx(125.0)
    assert float(p.homogeneous_optical_depth(1100.0)) == pytest.approx(62.5)


def test_sieve_limit_and_linearity():
    p = pigment.PigmentParameters(fill_frac=0.9)
    wl = np.array([400.0, 550.0, 700.0])
    tau1 = p.band_optical_depth(wl, 1.0)
    # opaque clumps: the band passes 1 - fill_frac at pigment_frac 1
    np.testing.assert_allclose(np.exp(-tau1), 0.1, rtol=1e-6)
    np.testing.assert_allclose(p.band_optical_depth(wl, 0.5), tau1 / 2)
    np.testing.assert_allclose(p.band_optical_depth(wl, 0.0), 0.0)
    mua = p.band_mua_per_cm(wl, 1.0)
    np.testing.assert_allclose(mua * 0.005, tau1)  # 0.05 mm band = 0.005 cm


def test_default_calibration_is_opaque_clusters_with_coverage_from_fill_frac():
    """Default: 40 % of the band shaded at load 1 -> c = -ln 0.6 = 0.511, flat in wavelength."""
    p = pigment.PigmentParameters()
    assert p.fill_frac == 0.4
    assert p.coverage_per_frac == pytest.approx(0.5108256, rel=1e-6)
    wl = np.arange(400.0, 701.0, 10.0)
    for load in (0.3, 0.55, 0.85, 1.0, 1.5, 2.0):
        # one cluster's optical depth is 125 (550/L) / (c load) > 80: opaque, so the band
        # passes exactly the unshaded share exp(-c load) at every wavelength
        tau = p.band_optical_depth(wl, load)
        np.testing.assert_allclose(tau, p.coverage_per_frac * load, rtol=1e-12)
    np.testing.assert_allclose(np.exp(-p.band_optical_depth(wl, 1.0)), 1.0 - p.fill_frac)


def _poisson_sieve_transmission(coverage: float, tau_clump: float) -> float:
    """Independent reference: E[exp(-tau_c K)], K ~ Poisson(coverage), summed term by term."""
    from scipy.stats import poisson

    k = np.arange(0, 400)
    return float(np.sum(poisson.pmf(k, coverage) * np.exp(-tau_clump * k)))


@settings(max_examples=60, deadline=None)
@given(
    fill=st.floats(0.05, 0.95),
    deposit=st.floats(1e-3, 5.0),
    load=st.floats(0.05, 2.0),
    wl=st.floats(400.0, 700.0),
)
def test_band_transmission_is_the_poisson_cluster_average(fill, deposit, load, wl):
    p = pigment.PigmentParameters(fill_frac=fill, fresh_deposit_mg_per_cm2=deposit)
    coverage = p.coverage_per_frac * load
    tau_clump = float(p.homogeneous_optical_depth(wl)) * load / coverage  # mass conservation
    expected = _poisson_sieve_transmission(coverage, tau_clump)
    got = math.exp(-float(p.band_optical_depth(np.array([wl]), load)[0]))
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-15)
    # never more absorbing than the same mass spread evenly, nor than full coverage
    tau = -math.log(got)
    assert tau <= float(p.homogeneous_optical_depth(wl)) * load * (1 + 1e-12)
    assert tau <= coverage * (1 + 1e-12)


def test_translucent_clumps_follow_carbon_black_spectrum():
    # With tiny deposits the clumps are translucent and tau_eff -> tau_homogeneous ~ 1/L.
    p = pigment.PigmentParameters(fresh_deposit_mg_per_cm2=1e-6)
    ratio = p.band_optical_depth(np.array([400.0]), 1.0) / p.band_optical_depth(
        np.array([700.0]), 1.0
    )
    assert float(ratio[0]) == pytest.approx(700.0 / 400.0, rel=1e-3)


@settings(max_examples=50, deadline=None)
@given(
    depth=st.floats(0.05, 2.0),
    band=st.floats(0.005, 0.1),
    sub=st.floats(0.01, 0.1),
)
def test_band_overlap_conserves_pigment(depth: float, band: float, sub: float):
    bounds = np.arange(0.0, 3.0 + sub, sub)
    frac = pigment.band_overlap_frac(bounds, depth, band)
    assert frac.shape == (bounds.size - 1,)
    assert np.all(frac >= 0)
    assert frac.sum() == pytest.approx(1.0)
    centres = 0.5 * (bounds[1:] + bounds[:-1])
    assert np.sum(frac * centres) == pytest.approx(depth, abs=sub / 2 + 1e-9)


def test_bad_parameters():
    with pytest.raises(InputError):
        pigment.PigmentParameters(fill_frac=1.0)
    with pytest.raises(InputError, match="pigment_frac"):
        pigment.PigmentParameters().band_optical_depth(550.0, 2.5)
