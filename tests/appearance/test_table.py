"""The packaged appearance table: provenance, colour weights, calibration, Monte Carlo checks."""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
import pytest

from smpstudio import __version__
from smpstudio.appearance import calibrate
from smpstudio.appearance.build import build_arrays
from smpstudio.appearance.model import (
    AppearanceModel,
    layer_mua_per_cm,
    layer_tissue_mua_per_cm,
    mcml_layers,
    pigment_path_matrix_per_cm,
    reweight,
)
from smpstudio.appearance.table import TABLE_FILE, load_table
from smpstudio.io.appearance_files import WhitePathsFolder
from smpstudio.optics import colour as col
from smpstudio.optics.mcml import run_mcml
from smpstudio.optics.mcml.white import run_white_mcml
from smpstudio.optics.pigment import PigmentParameters
from smpstudio.optics.skin import SkinParameters
from smpstudio.units import mm_to_cm

TABLE = load_table()


def test_file_is_small_and_records_its_provenance():
    path = resources.files("smpstudio.appearance").joinpath("data", TABLE_FILE)
    assert path.stat().st_size < 4_000_000  # type: ignore[attr-defined]
    meta = TABLE.meta
    assert meta["package_version"] == __version__
    assert meta["photons_per_wavelength"] >= 50_000
    assert len(meta["seeds"]) == TABLE.wavelengths_nm.size
    assert max(meta["truncated_weight"]) < 0.05
    # the table was built with the current default parameters
    model = AppearanceModel()
    assert meta["skin"]["melanin_volume_frac"] == list(model.skin.melanin_volume_frac)
    assert meta["pigment"]["fill_frac"] == model.pigment.fill_frac


def test_table_weights_are_colour_science_weights():
    np.testing.assert_allclose(TABLE.xyz_weights, col.xyz_weights(TABLE.wavelengths_nm), atol=1e-12)


def test_grid_and_skin_column():
    assert TABLE.depth_mm[0] == pytest.approx(0.05) and TABLE.depth_mm[-1] == pytest.approx(2.0)
    assert TABLE.pigment_frac[0] == 0.0 and TABLE.pigment_frac[-1] == pytest.approx(2.0)
    assert TABLE.fitzpatrick.tolist() == [1, 2, 3, 4, 5, 6]
    # without pigment every depth gives the skin (same packets, no pigment absorption)
    np.testing.assert_allclose(
        TABLE.dot_reflectance[:, :, 0, :],
        np.broadcast_to(TABLE.skin_reflectance[:, None, :], TABLE.dot_reflectance[:, :, 0].shape),
        rtol=1e-6,
    )
    assert np.all(TABLE.dot_reflectance > 0) and np.all(TABLE.dot_reflectance < 1)


# (Fitzpatrick, wavelength index, depth index, load index): skin, shallow, mid and deep dots.
ENTRIES = [(2, 5, 0, 0), (2, 5, 10, 10), (3, 15, 10, 5), (4, 25, 38, 5), (6, 15, 6, 20)]


@pytest.mark.parametrize(("fitz", "w", "i", "j"), ENTRIES)
def test_table_matches_direct_monte_carlo(fitz, w, i, j):
    """Reweighted white Monte Carlo vs an independent absorbing run_mcml, 3 combined SE."""
    model = AppearanceModel()
    stack = model.stack()
    wl = float(TABLE.wavelengths_nm[w])
    depth, frac = float(TABLE.depth_mm[i]), float(TABLE.pigment_frac[j])
    mua = layer_mua_per_cm(model, stack, wl, fitz, depth, frac)
    direct = run_mcml(mcml_layers(model, stack, wl, mua), n_above=1.0, n_below=1.44,
                      photons=20_000, seed=17 + w, batches=10)  # fmt: skip
    table_r = float(TABLE.dot_reflectance[fitz - 1, i, j, w])
    table_se = float(TABLE.dot_reflectance_stderr[fitz - 1, i, j, w])
    combined = math.hypot(direct.diffuse_reflectance_stderr, table_se)
    assert abs(direct.diffuse_reflectance - table_r) < 3 * combined, (
        direct.diffuse_reflectance, table_r, combined)  # fmt: skip


def _plain_reweight(paths, tissue, path_matrix, tau1, fracs):
    """Obviously correct reference: one absorption set at a time through WhitePaths."""
    out = np.empty((tissue.shape[0], path_matrix.shape[0], fracs.size))
    for a in range(tissue.shape[0]):
        for b in range(path_matrix.shape[0]):
            for c, frac in enumerate(fracs):
                out[a, b, c] = paths.reflectance(tissue[a] + frac * tau1 * path_matrix[b])
    return out


def test_fast_reweight_matches_plain_reweighting():
    model = AppearanceModel(skin=SkinParameters(hypodermis_thickness_mm=1.0), max_depth_mm=0.6)
    stack = model.stack()
    wl = 600.0
    paths = run_white_mcml(mcml_layers(model, stack, wl, np.zeros(stack.n_layers)),
                           n_above=1.0, n_below=1.44, photons=800, seed=3)  # fmt: skip
    tissue = np.array([layer_tissue_mua_per_cm(model, stack, wl, f) for f in (1, 4)])
    path_matrix = pigment_path_matrix_per_cm(model, stack, [0.1, 0.35, 0.6])
    fracs = np.array([0.0, 0.5, 1.0, 1.5])
    tau1 = float(model.pigment.band_optical_depth(np.array([wl]), 1.0)[0])
    fast = reweight(paths.weights, paths.path_cm, paths.batch, paths.batch_photons,
                    tissue, path_matrix, tau1, fracs)  # fmt: skip
    np.testing.assert_allclose(fast.dot, _plain_reweight(paths, tissue, path_matrix, tau1, fracs),
                               rtol=1e-10)  # fmt: skip
    _, se = paths.reflectance_with_stderr(tissue[1] + tau1 * path_matrix[1])
    assert fast.dot_stderr[1, 1, 2] == pytest.approx(float(se), rel=1e-8)
    # the pigment layer absorbs what the band's optical depth says
    mua = layer_mua_per_cm(model, stack, wl, 1, 0.35, 1.0) - tissue[0]
    assert np.sum(mua * mm_to_cm(stack.thickness_mm)) == pytest.approx(tau1)


def test_model_parameters_are_validated():
    with pytest.raises(ValueError):
        PigmentParameters(fill_frac=0.0)


def test_build_is_deterministic_and_matches_its_grid():
    model = AppearanceModel(skin=SkinParameters(hypodermis_thickness_mm=1.0), max_depth_mm=0.3)
    kwargs = {
        "photons": 300,
        "seed": 5,
        "wavelengths_nm": np.arange(420.0, 701.0, 20.0),
        "depths_mm": np.array([0.1, 0.2, 0.3]),
        "pigment_fracs": np.array([0.0, 1.0, 2.0]),
    }
    a = build_arrays(model, **kwargs)
    b = build_arrays(model, **kwargs)
    for key in ("dot_reflectance", "dot_reflectance_stderr", "skin_reflectance"):
        assert a[key].tobytes() == b[key].tobytes()
    assert a["dot_reflectance"].shape == (6, 3, 3, 15)
    assert np.all(np.diff(a["dot_reflectance"], axis=2) < 0)  # more pigment, darker


def test_paths_cache_reuses_white_runs_bit_for_bit(tmp_path):
    """A rebuild from kept white runs equals a fresh build; a new pigment needs no new run."""
    model = AppearanceModel(skin=SkinParameters(hypodermis_thickness_mm=1.0), max_depth_mm=0.2)
    kwargs = {
        "photons": 200,
        "seed": 8,
        "wavelengths_nm": np.arange(400.0, 501.0, 20.0),
        "depths_mm": np.array([0.1, 0.2]),
        "pigment_fracs": np.array([0.0, 1.0]),
    }
    fresh = build_arrays(model, **kwargs)
    cache = WhitePathsFolder(tmp_path)
    first = build_arrays(model, paths_cache=cache, **kwargs)
    files = sorted(tmp_path.iterdir())
    assert len(files) == 6
    again = build_arrays(model, paths_cache=cache, **kwargs)
    darker = AppearanceModel(skin=model.skin, max_depth_mm=0.2,
                             pigment=PigmentParameters(fill_frac=0.8))  # fmt: skip
    recal = build_arrays(darker, paths_cache=cache, **kwargs)
    assert sorted(tmp_path.iterdir()) == files  # same scattering: the runs were reused
    for key in ("dot_reflectance", "dot_reflectance_stderr", "skin_reflectance"):
        assert fresh[key].tobytes() == first[key].tobytes() == again[key].tobytes()
    assert np.all(recal["dot_reflectance"][:, :, 1] < fresh["dot_reflectance"][:, :, 1])
    np.testing.assert_array_equal(recal["skin_reflectance"], fresh["skin_reflectance"])


def test_calibration_reweighting_matches_white_paths():
    """calibrate.skin_spectrum (per-tissue paths) equals WhitePaths.reflectance (per layer)."""
    model = AppearanceModel(skin=SkinParameters(hypodermis_thickness_mm=1.0), max_depth_mm=0.3)
    wl = np.array([500.0, 600.0])
    runs = calibrate.white_tissue_paths(model, photons=400, seed=9, wavelengths_nm=wl)
    stack = model.stack()
    for fitz in (2, 5):
        spectrum = calibrate.skin_spectrum(model.skin, fitz, runs)
        for k, w in enumerate(wl):
            paths = run_white_mcml(mcml_layers(model, stack, float(w), np.zeros(stack.n_layers)),
                                   n_above=1.0, n_below=1.44, photons=400, seed=9 + k)  # fmt: skip
            expected = paths.reflectance(layer_tissue_mua_per_cm(model, stack, float(w), fitz))
            assert spectrum[k] == pytest.approx(float(expected), rel=1e-10)


def test_calibration_on_the_build_cache_sees_the_tables_own_packets(tmp_path):
    """calibrate.tissue_paths_from_build reweights the build's white runs: same skin spectra."""
    model = AppearanceModel(skin=SkinParameters(hypodermis_thickness_mm=1.0), max_depth_mm=0.2)
    wl = np.arange(420.0, 521.0, 20.0)
    built = build_arrays(model, photons=300, seed=4, wavelengths_nm=wl,
                         depths_mm=np.array([0.1]), pigment_fracs=np.array([0.0]),
                         paths_cache=WhitePathsFolder(tmp_path))  # fmt: skip
    runs = calibrate.tissue_paths_from_build(model, 300, 4, WhitePathsFolder(tmp_path),
                                             wavelengths_nm=wl)  # fmt: skip
    for fitz in (1, 6):
        spectrum = calibrate.skin_spectrum(model.skin, fitz, runs)
        np.testing.assert_allclose(spectrum, built["skin_reflectance"][fitz - 1], rtol=1e-6)
