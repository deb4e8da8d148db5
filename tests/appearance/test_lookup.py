"""Appearance lookups on the packaged table: contract shape, interpolation, trends, errors."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio import appearance
from smpstudio.appearance.table import load_table
from smpstudio.errors import InputError
from smpstudio.optics import colour as col

TABLE = load_table()


def test_contract_section_6_shape():
    d = appearance.lookup(3, 0.3, 1.0).to_dict()
    assert set(d) == {"skin", "dot", "delta_e2000", "delta_b", "blue_shift_index", "warnings"}
    for part in ("skin", "dot"):
        assert set(d[part]) == {"lab", "srgb_hex"}
        assert len(d[part]["lab"]) == 3
        assert d[part]["srgb_hex"].startswith("#") and len(d[part]["srgb_hex"]) == 7
    assert d["warnings"] == []


def test_grid_point_reproduces_table():
    f, i, j = 3, 10, 10  # Fitzpatrick IV, depth grid 10, load grid 10
    a = appearance.lookup(4, float(TABLE.depth_mm[i]), float(TABLE.pigment_frac[j]))
    r = TABLE.dot_reflectance[f, i, j]
    lab = col.xyz_to_lab(TABLE.xyz_weights @ r, TABLE.white_xyz)
    np.testing.assert_allclose(a.dot_lab, lab, atol=1e-9)
    skin_lab = col.xyz_to_lab(TABLE.xyz_weights @ TABLE.skin_reflectance[f], TABLE.white_xyz)
    np.testing.assert_allclose(a.skin_lab, skin_lab, atol=1e-9)
    assert a.delta_e2000 == pytest.approx(float(col.delta_e_ciede2000(skin_lab, lab)))
    assert a.delta_b == pytest.approx(lab[2] - skin_lab[2])
    wl = TABLE.wavelengths_nm
    assert a.blue_shift_index == pytest.approx(
        float(col.blue_shift_index(r, TABLE.skin_reflectance[f], wl))
    )


def test_no_pigment_is_the_skin():
    a = appearance.lookup(2, 0.7, 0.0)
    np.testing.assert_allclose(a.dot_lab, a.skin_lab, atol=1e-9)
    assert a.delta_e2000 == pytest.approx(0.0, abs=1e-9)
    assert a.blue_shift_index == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    fitz=st.integers(1, 6),
    depth=st.floats(0.05, 2.0),
    frac=st.floats(0.0, 2.0),
)
def test_lookup_many_matches_lookup_and_stays_between_neighbours(fitz, depth, frac):
    a = appearance.lookup(fitz, depth, frac)
    dot_rgb, skin_rgb = appearance.lookup_many(fitz, np.array([depth, 0.3]), np.array([frac, 1.0]))
    assert dot_rgb.shape == (2, 3) and skin_rgb.shape == (3,)
    np.testing.assert_allclose(dot_rgb[0], a.dot_linear_rgb, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(skin_rgb, a.skin_linear_rgb, rtol=1e-12)
    # an interpolated spectrum lies between the spectra of its grid neighbours
    spectrum = TABLE.dot_spectra(fitz, depth, frac)
    i = min(np.searchsorted(TABLE.depth_mm, depth, side="right") - 1, TABLE.depth_mm.size - 2)
    j = min(np.searchsorted(TABLE.pigment_frac, frac, side="right") - 1, 20 - 1)
    block = TABLE.dot_reflectance[fitz - 1, i : i + 2, j : j + 2]
    assert np.all(spectrum >= block.min(axis=(0, 1)) * (1 - 1e-9))
    assert np.all(spectrum <= block.max(axis=(0, 1)) * (1 + 1e-9))


def test_more_pigment_darker_dot():
    fracs = np.linspace(0.0, 2.0, 9)
    dot_rgb, _ = appearance.lookup_many(3, np.full(9, 0.3), fracs)
    assert np.all(np.diff(dot_rgb, axis=0) < 0)


def test_contrast_falls_with_depth():
    depths = [0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0]
    for fitz in range(1, 7):
        de = [appearance.lookup(fitz, d, 1.0).delta_e2000 for d in depths]
        assert np.all(np.diff(de) < 0), (fitz, de)


def test_relative_blue_rises_with_depth():
    """Deeper pigment spares the blue more: ln(r_450) / ln(r_650) falls with depth.

    r = R_dot / R_skin. The blue_shift_index (1 minus that ratio) rises toward 1.
    """
    depths = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0]
    for fitz in range(1, 7):
        for frac in (0.3, 1.0, 2.0):
            index = [appearance.lookup(fitz, d, frac).blue_shift_index for d in depths]
            assert np.all(np.diff(index) > 0), (fitz, frac, index)
            assert 0.0 < index[0] and index[-1] < 1.0 + 1e-3


def test_blue_shift_against_ratio_of_ratios_near_the_surface():
    """The ratio (R_dot/R_skin at 450) / (at 650) rises while the pigment is shallower than
    blue light reaches (to ~0.1 mm), then falls back toward 1 as the dot vanishes with depth
    (docs/optics.md, section 5)."""
    wl = TABLE.wavelengths_nm.tolist()
    b, r = wl.index(450.0), wl.index(650.0)
    for fitz in (1, 2, 3):
        ratio = TABLE.dot_reflectance[fitz - 1, :, 3] / TABLE.skin_reflectance[fitz - 1]
        rel_blue = ratio[:, b] / ratio[:, r]
        shallow = TABLE.depth_mm <= 0.1 + 1e-9
        assert np.all(np.diff(rel_blue[shallow]) > 0)
        assert rel_blue[-1] < rel_blue[shallow][-1] and rel_blue[-1] > 1.0


def test_darker_skin_less_contrast():
    for depth in (0.2, 0.4, 0.8):
        de = [appearance.lookup(f, depth, 1.0).delta_e2000 for f in range(1, 7)]
        assert np.all(np.diff(de) < 0), (depth, de)


def test_depth_warnings():
    assert any("shallow" in w for w in appearance.lookup(3, 0.08, 1.0).warnings)
    assert any("deep" in w for w in appearance.lookup(3, 1.2, 1.0).warnings)
    assert appearance.lookup(3, 0.1, 1.0).warnings == ()
    assert appearance.lookup(3, 1.0, 1.0).warnings == ()


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((0, 0.3, 1.0), "fitzpatrick"),
        ((7, 0.3, 1.0), "fitzpatrick"),
        ((3, 0.01, 1.0), "depth_mm"),
        ((3, 2.5, 1.0), "depth_mm"),
        ((3, math.nan, 1.0), "depth_mm"),
        ((3, 0.3, -0.1), "pigment_frac"),
        ((3, 0.3, 2.5), "pigment_frac"),
        ((3, 0.3, math.inf), "pigment_frac"),
    ],
)
def test_bad_input(args, field):
    with pytest.raises(InputError, match=field):
        appearance.lookup(*args)


def test_lookup_many_bad_input():
    with pytest.raises(InputError):
        appearance.lookup_many(3, np.array([0.3, 3.0]), np.array([1.0, 1.0]))
    with pytest.raises(InputError):
        appearance.lookup_many(3, np.array([0.3]), np.array([np.nan]))
    empty, _ = appearance.lookup_many(3, np.zeros(0), np.zeros(0))
    assert empty.shape == (0, 3)


def test_lookup_is_fast():
    # The benchmark (benchmarks/bench_appearance.py) measures this properly; here a loose
    # bound that still catches an accidental Monte Carlo run or table reload per query.
    appearance.lookup(3, 0.3, 1.0)
    start = time.perf_counter()
    for _ in range(200):
        appearance.lookup(3, 0.31, 0.9)
    assert (time.perf_counter() - start) / 200 < 5e-3


def test_blur_sigma_grows_with_depth():
    sigma = appearance.blur_sigma_mm(np.array([0.05, 0.1, 0.3, 1.0, 2.0]), 3)
    assert np.all(np.diff(sigma) > 0)
    assert 0.5 * 0.05 < sigma[0] < 0.7 * 0.05  # shallow: ~0.65 x depth
    with pytest.raises(InputError):
        appearance.blur_sigma_mm(np.array([3.0]), 3)
