"""Colour: spectra to XYZ/Lab/sRGB and CIEDE2000 against colour-science and published data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from smpstudio.errors import InputError
from smpstudio.optics import colour as smpcolour

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import colour

WL = np.arange(400.0, 701.0, 10.0)
W = smpcolour.xyz_weights(WL)
WHITE = W @ np.ones(WL.size)


def _reference_xyz(reflectance: np.ndarray) -> np.ndarray:
    sd = colour.SpectralDistribution(dict(zip(WL, reflectance, strict=True)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        xyz = colour.sd_to_XYZ(
            sd,
            colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"],
            colour.SDS_ILLUMINANTS["D65"],
        )
    return xyz / 100.0


spectra = arrays(np.float64, WL.size, elements=st.floats(0.0, 1.0))


@settings(max_examples=25, deadline=None)
@given(r=spectra)
def test_weights_match_colour_science_xyz(r: np.ndarray):
    np.testing.assert_allclose(W @ r, _reference_xyz(r), atol=1e-3)


@settings(max_examples=40, deadline=None)
@given(r=spectra)
def test_lab_and_srgb_match_colour_science(r: np.ndarray):
    xyz = W @ r
    white_xy = colour.XYZ_to_xy(WHITE)
    np.testing.assert_allclose(
        smpcolour.xyz_to_lab(xyz, WHITE), colour.XYZ_to_Lab(xyz, white_xy), atol=1e-6
    )
    np.testing.assert_allclose(
        smpcolour.xyz_to_linear_srgb(xyz),
        colour.XYZ_to_sRGB(xyz, apply_cctf_encoding=False),
        atol=2e-3,  # colour-science derives its matrix from primaries; IEC's is rounded
    )
    lin = np.clip(smpcolour.xyz_to_linear_srgb(xyz), 0, 1)
    np.testing.assert_allclose(
        smpcolour.srgb_encode(lin), colour.cctf_encoding(lin, function="sRGB"), atol=1e-9
    )


def test_flat_white_and_grey():
    np.testing.assert_allclose(smpcolour.xyz_to_lab(WHITE, WHITE), [100.0, 0.0, 0.0], atol=1e-9)
    grey = smpcolour.xyz_to_lab(0.18 * WHITE, WHITE)
    assert round(float(grey[0]), 2) == 49.50
    np.testing.assert_allclose(grey[1:], 0.0, atol=1e-9)
    # D65 white of the 2-degree observer: x, y = 0.3127, 0.3290 (CIE 15:2004)
    np.testing.assert_allclose(WHITE[:2] / WHITE.sum(), [0.3127, 0.3290], atol=2e-4)
    assert smpcolour.linear_srgb_to_hex(smpcolour.xyz_to_linear_srgb(WHITE)) == "#FFFFFF"
    assert smpcolour.linear_srgb_to_hex(np.zeros(3)) == "#000000"
    # 18 % grey encodes to 118 (0x76); out-of-gamut values are clipped
    assert smpcolour.linear_srgb_to_hex_many(np.array([[0.18] * 3, [1.5, -0.2, 0.0]])) == [
        "#767676",
        "#FF0000",
    ]


def test_spectra_to_xyz_broadcasts():
    r = np.random.default_rng(0).uniform(size=(4, 5, WL.size))
    xyz = smpcolour.spectra_to_xyz(r, W)
    assert xyz.shape == (4, 5, 3)
    np.testing.assert_allclose(xyz[2, 3], W @ r[2, 3])


# Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17, 24, 25 and 34.
SHARMA_PAIRS = [
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0000),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
]


@pytest.mark.parametrize(("lab_1", "lab_2", "expected"), SHARMA_PAIRS)
def test_ciede2000_sharma_2005(lab_1, lab_2, expected):
    assert float(smpcolour.delta_e_ciede2000(lab_1, lab_2)) == pytest.approx(expected, abs=1e-4)
    assert float(smpcolour.delta_e_ciede2000(lab_2, lab_1)) == pytest.approx(expected, abs=1e-4)
    assert smpcolour.delta_e_ciede2000_scalar(lab_1, lab_2) == pytest.approx(expected, abs=1e-4)


def test_ciede2000_broadcasts():
    lab_1 = np.array([[50.0, 2.6772, -79.7751], [50.0, 0.0, 0.0]])
    lab_2 = np.array([[50.0, 0.0, -82.7485], [50.0, -1.0, 2.0]])
    np.testing.assert_allclose(
        smpcolour.delta_e_ciede2000(lab_1, lab_2), [2.0425, 2.3669], atol=1e-4
    )


lab_values = st.tuples(st.floats(0, 100), st.floats(-80, 80), st.floats(-80, 80))


@settings(max_examples=200, deadline=None)
@given(lab_1=lab_values, lab_2=lab_values)
def test_ciede2000_matches_colour_science(lab_1, lab_2):
    ref = colour.delta_E(np.array(lab_1), np.array(lab_2), method="CIE 2000")
    assert float(smpcolour.delta_e_ciede2000(lab_1, lab_2)) == pytest.approx(ref, abs=1e-6)
    assert smpcolour.delta_e_ciede2000_scalar(lab_1, lab_2) == pytest.approx(ref, abs=1e-6)


def test_blue_shift_index_definition():
    skin = np.linspace(0.2, 0.6, WL.size)
    # neutral darkening: the same share kept at every wavelength
    assert float(smpcolour.blue_shift_index(0.5 * skin, skin, WL)) == pytest.approx(0.0)
    # no pigment: 0
    assert float(smpcolour.blue_shift_index(skin, skin, WL)) == 0.0
    # blue untouched, red halved: a pure blue cast
    keep = np.interp(WL, [400, 450, 650, 700], [1.0, 1.0, 0.5, 0.5])
    assert float(smpcolour.blue_shift_index(skin * keep, skin, WL)) == pytest.approx(1.0)
    # ln r450 = -1/6, ln r650 = -5/6: 1 - (1/6)/(5/6) = 0.8
    dot = skin * np.exp(np.linspace(0.0, -1.0, WL.size))
    assert float(smpcolour.blue_shift_index(dot, skin, WL)) == pytest.approx(0.8)
    # a warm (brown) dot that darkens blue more than red is negative
    warm = np.interp(WL, [400, 450, 650, 700], [0.5, 0.5, 0.9, 0.9])
    assert float(smpcolour.blue_shift_index(skin * warm, skin, WL)) < 0
    assert smpcolour.blue_shift_index(np.stack([dot, skin]), skin, WL).shape == (2,)


def test_ita_categories():
    # Alaluf 2002 European skin 65.0/7.1/13.3 is "light" (41-55 deg).
    assert 41 < float(smpcolour.ita_deg(np.array([65.0, 7.1, 13.3]))) < 55


def test_bad_inputs():
    with pytest.raises(InputError):
        smpcolour.xyz_weights(np.array([400.0, 390.0, 380.0, 370.0]))
    with pytest.raises(InputError):
        smpcolour.blue_shift_index(np.ones(4), np.ones(4), np.array([500.0, 550, 600, 640]))
    with pytest.raises(InputError):
        smpcolour.linear_srgb_to_hex(np.zeros(4))


def test_lab_to_xyz_inverts_xyz_to_lab() -> None:
    rng = np.random.default_rng(3)
    xyz = rng.uniform(0.0, 1.0, (500, 3))
    white = np.asarray(smpcolour.D65_WHITE_XYZ)
    back = smpcolour.lab_to_xyz(smpcolour.xyz_to_lab(xyz, white), white)
    np.testing.assert_allclose(back, xyz, rtol=1e-10, atol=1e-12)


def test_srgb_decode_inverts_the_encoding_and_matches_colour_science() -> None:
    codes = np.linspace(0.0, 1.0, 1001)
    linear = smpcolour.srgb_decode(codes)
    np.testing.assert_allclose(smpcolour.srgb_encode(linear), codes, atol=1e-12)
    np.testing.assert_allclose(
        linear, colour.cctf_decoding(codes, function="sRGB"), rtol=1e-12, atol=1e-15
    )


def test_hex_colours_and_lab_to_hex() -> None:
    np.testing.assert_allclose(smpcolour.hex_to_linear_srgb("#FFFFFF"), [1.0, 1.0, 1.0])
    np.testing.assert_allclose(smpcolour.hex_to_linear_srgb("#808080"), [0.2158605] * 3, rtol=1e-6)
    assert smpcolour.lab_to_srgb_hex([100.0, 0.0, 0.0]) == "#FFFFFF"
    assert smpcolour.lab_to_srgb_hex([0.0, 0.0, 0.0]) == "#000000"
    # sRGB red (IEC 61966-2-1) is L*a*b* 53.24, 80.09, 67.20 under D65.
    assert smpcolour.lab_to_srgb_hex([53.2408, 80.0925, 67.2032]) == "#FF0000"
    assert smpcolour.is_srgb_hex("#a0B1c2") and not smpcolour.is_srgb_hex("a0b1c2")
    with pytest.raises(InputError, match="hair_colour_hex"):
        smpcolour.hex_to_linear_srgb("brown", field="hair_colour_hex")
