"""Skin optics: published formulas, Prahl's haemoglobin table, layer stack."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.errors import InputError
from smpstudio.optics import skin

# Prahl 1999 (Jacques 2013): whole blood (150 g/L) sample values per cm, oxy / deoxy, as printed
# (the last printed digit sets the rounding unit; "576-580" is the 580 nm row).
WHOLE_BLOOD_SAMPLES = [
    (420, "2572", "2182"),
    (450, "336", "553"),
    (500, "112", "112"),
    (550, "230", "286"),
    (560, "175", "288"),
    (580, "268", "198"),
    (600, "17.1", "78.6"),
    (650, "2.0", "20.1"),
    (700, "1.6", "9.6"),
]


def _rounding_unit(printed: str) -> float:
    return 10.0 ** -len(printed.split(".")[1]) if "." in printed else 1.0


@pytest.mark.parametrize(("wavelength_nm", "oxy", "deoxy"), WHOLE_BLOOD_SAMPLES)
def test_whole_blood_matches_optics_md_samples(wavelength_nm: float, oxy: str, deoxy: str):
    for saturation, printed in ((1.0, oxy), (0.0, deoxy)):
        got = skin.mua_whole_blood_per_cm(np.array([wavelength_nm]), saturation)[0]
        # within the printed rounding (plus 0.3 % for the 2 nm table interpolation)
        tol = 0.5 * _rounding_unit(printed) + 0.003 * float(printed)
        assert abs(got - float(printed)) <= tol, (wavelength_nm, saturation, got, printed)


def test_prahl_table_exact_rows():
    # Prahl (1999) table rows, cm-1/M.
    oxy, deoxy = skin.haemoglobin_extinction_per_cm_per_molar(np.array([400.0, 542.0, 700.0]))
    np.testing.assert_allclose(oxy, [266232, 53292, 290])
    np.testing.assert_allclose(deoxy, [223296, 48148, 1794.28])


def test_blood_scales_with_haemoglobin_concentration():
    wl = np.array([410.0, 555.0, 690.0])
    full = skin.mua_whole_blood_per_cm(wl, 0.7, 150.0)
    half = skin.mua_whole_blood_per_cm(wl, 0.7, 75.0)
    np.testing.assert_allclose(half, full / 2)


@pytest.mark.parametrize(
    ("tissue", "expected_per_cm"),
    [(skin.EPIDERMIS, 70.6), (skin.RETICULAR_DERMIS, 46.1), (skin.HYPODERMIS, 35.4)],
)
def test_reduced_scattering_vs_salomatina_2006(tissue: int, expected_per_cm: float):
    # Salomatina 2006 ex-vivo mus' at 500 nm; Jacques' fits reproduce them within ~10 %.
    got = skin.tissue_mus_reduced_per_cm(skin.SkinParameters(), np.array([500.0]))[0, tissue]
    assert got == pytest.approx(expected_per_cm, rel=0.10)


def test_jacques_formulas_reference_values():
    # mua_mel(500) = 519; mua_mel(400) = 519 * 0.8^-3.5; baseline at 500 nm.
    np.testing.assert_allclose(skin.mua_melanin_per_cm(np.array([500.0, 400.0])),
                               [519.0, 519.0 * 0.8**-3.5])  # fmt: skip
    expected = 0.244 + 85.3 * math.exp(-(500 - 154) / 66.2)
    assert skin.mua_baseline_per_cm(np.array([500.0]))[0] == pytest.approx(expected)


def test_melanin_darkens_epidermis_monotonically():
    p = skin.SkinParameters()
    wl = np.arange(400.0, 701.0, 50.0)
    epi = np.array([skin.tissue_mua_per_cm(p, f, wl)[:, skin.EPIDERMIS] for f in range(1, 7)])
    assert np.all(np.diff(epi, axis=0) > 0)
    assert np.all(np.diff(epi, axis=1) < 0)  # melanin absorbs less toward the red


def test_tissue_arrays_shape():
    p = skin.SkinParameters()
    assert skin.tissue_mua_per_cm(p, 3, np.linspace(400, 700, 7)).shape == (7, 4)
    assert skin.tissue_mus_reduced_per_cm(p, 550.0).shape == (1, 4)


@pytest.mark.parametrize("bad", [0, 7, 2.5, True])
def test_bad_fitzpatrick(bad):
    with pytest.raises(InputError, match="fitzpatrick"):
        skin.SkinParameters().melanin_frac(bad)


@pytest.mark.parametrize("bad", [399.0, 701.0, math.nan])
def test_wavelength_out_of_range(bad):
    with pytest.raises(InputError, match="wavelength_nm"):
        skin.mua_melanin_per_cm(np.array([bad]))


def test_bad_parameters():
    with pytest.raises(InputError):
        skin.SkinParameters(epidermis_thickness_mm=0.0)
    with pytest.raises(InputError):
        skin.SkinParameters(reticular_blood_frac=1.5)


@settings(max_examples=30, deadline=None)
@given(
    sub=st.floats(0.01, 0.2),
    fine=st.floats(0.1, 3.0),
    epi=st.floats(0.03, 0.12),
)
def test_layer_stack_invariants(sub: float, fine: float, epi: float):
    p = skin.SkinParameters(epidermis_thickness_mm=epi)
    stack = skin.layer_stack(p, sublayer_mm=sub, fine_to_depth_mm=fine)
    total = epi + 0.15 + 1.35 + 6.0
    assert stack.boundaries_mm[0] == 0.0
    assert stack.boundaries_mm[-1] == pytest.approx(total)
    assert np.all(stack.thickness_mm > 0)
    # tissue interfaces are layer boundaries, tissues run in order
    for depth in (epi, epi + 0.15, epi + 1.5):
        assert np.min(np.abs(stack.boundaries_mm - depth)) < 1e-8
    assert np.all(np.diff(stack.tissue) >= 0)
    assert stack.tissue[0] == skin.EPIDERMIS and stack.tissue[-1] == skin.HYPODERMIS
    fine_layers = stack.boundaries_mm[1:] <= min(fine, total) + 1e-9
    assert np.all(stack.thickness_mm[fine_layers] <= sub + 1e-9)
    assert stack.expand(np.arange(4.0)).shape == (stack.n_layers,)
