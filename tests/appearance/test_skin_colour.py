"""Bare skin colour per Fitzpatrick type against measured skin (tests/data, skin_colour_measured).

The packaged table's skin spectra (specular excluded, as `smp appearance` reports) plus the skin's
surface reflectance, as an instrument records skin colour, within 6 CIEDE2000 of every
measured group of its type; types I and VI inside their ITA categories (Chardon 1991).
docs/optics.md section 4 has the numbers.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import colour
import numpy as np
import pytest

from smpstudio.appearance import calibrate
from smpstudio.appearance.model import AppearanceModel
from smpstudio.appearance.table import load_table
from smpstudio.optics import colour as col
from smpstudio.optics.skin import SkinParameters, surface_reflectance_frac

DATA = Path(__file__).parent.parent / "data" / "skin_colour_measured.csv"
TABLE = load_table()
MAX_DELTA_E2000 = 6.0


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


ROWS = _rows()


def model_lab(fitzpatrick: int, *, with_surface: bool = True) -> np.ndarray:
    spectrum = TABLE.skin_reflectance[fitzpatrick - 1].astype(np.float64)
    if with_surface:
        spectrum = spectrum + surface_reflectance_frac(AppearanceModel().skin)
    return col.xyz_to_lab(TABLE.xyz_weights @ spectrum, TABLE.white_xyz)


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['source']}-{r['group']}" for r in ROWS])
def test_every_type_within_6_ciede2000_of_measured_skin(row):
    fitz = int(row["fitzpatrick"])
    measured = (float(row["L"]), float(row["a"]), float(row["b"]))
    lab = model_lab(fitz)
    assert float(col.delta_e_ciede2000(lab, measured)) <= MAX_DELTA_E2000, (row, lab)


def test_every_type_has_a_measured_reference_or_its_ita_category():
    types = {int(r["fitzpatrick"]) for r in ROWS}
    assert types == {2, 3, 4, 5, 6}
    labs = np.array([model_lab(f) for f in range(1, 7)])
    ita = col.ita_deg(labs)
    lo, hi = calibrate.ITA_RANGE_DEG[1]
    assert lo < ita[0] < hi  # very light, and within 6 of the lightest measured group
    assert float(col.delta_e_ciede2000(labs[0], calibrate.ALALUF_2002[0].lab)) <= MAX_DELTA_E2000
    lo, hi = calibrate.ITA_RANGE_DEG[6]
    assert lo < ita[5] < hi  # dark
    assert 34.0 < labs[5, 0] < 49.0  # measured dark skin, not the L* 25 of the old model
    # lighter to darker, I to VI, with and without the surface reflection
    assert np.all(np.diff(ita) < 0) and np.all(np.diff(labs[:, 0]) < 0)
    diffuse = np.array([model_lab(f, with_surface=False) for f in range(1, 7)])
    assert np.all(np.diff(diffuse[:, 0]) < 0)


def test_skin_hue_is_skin_not_grey_or_orange():
    """Hue angle 40-75 deg (red-yellow) and chroma 8-30 for every type, as measured skin."""
    for fitz in range(1, 7):
        lab = model_lab(fitz)
        hue = np.degrees(np.arctan2(lab[2], lab[1]))
        chroma = float(np.hypot(lab[1], lab[2]))
        assert 40.0 < hue < 75.0 and 8.0 < chroma < 30.0, (fitz, lab)
    for row in ROWS:  # the measured groups themselves satisfy the same bounds
        a, b = float(row["a"]), float(row["b"])
        assert 40.0 < np.degrees(np.arctan2(b, a)) < 75.0 and 8.0 < np.hypot(a, b) < 30.0


def test_data_file_matches_the_calibration_targets():
    targets = {(t.source, t.group): t for t in calibrate.MEASURED_SKIN}
    assert len(targets) == len(ROWS)
    for row in ROWS:
        t = targets[(row["source"], row["group"])]
        assert t.fitzpatrick == int(row["fitzpatrick"]) and t.site == row["site"]
        assert t.lab == (float(row["L"]), float(row["a"]), float(row["b"]))


def test_colorchecker_dark_skin_from_its_measured_spectrum():
    """The dark skin chip's Lab is colour-science's D65 colour of its average spectrum."""
    sd = colour.SDS_COLOURCHECKERS["BabelColor Average"]["dark skin"]
    with warnings.catch_warnings():  # colour-science aligns D65 to the observer's 1 nm grid
        warnings.simplefilter("ignore", colour.utilities.ColourRuntimeWarning)
        xyz = colour.sd_to_XYZ(sd, illuminant=colour.SDS_ILLUMINANTS["D65"]) / 100.0
    white = colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["D65"]
    lab = colour.XYZ_to_Lab(xyz, white)
    (row,) = [r for r in ROWS if r["group"] == "dark skin chip"]
    np.testing.assert_allclose(lab, [float(row[k]) for k in "Lab"], atol=0.01)


def test_surface_reflectance_is_fresnel_at_the_epidermis():
    assert surface_reflectance_frac(SkinParameters()) == pytest.approx(0.0326, abs=1e-4)
    matched = SkinParameters(n_above=1.44)
    assert surface_reflectance_frac(matched) == 0.0
