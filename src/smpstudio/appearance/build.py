"""Build the appearance table's arrays (``smp table build`` writes them; see docs/optics.md).

One absorption-free ("white") Monte Carlo run per wavelength (400-700 nm, 10 nm steps) on the
sublayered scalp (:mod:`smpstudio.appearance.model`), reweighted for every Fitzpatrick type,
pigment depth and pigment load. The file records photons, seeds, the package version and
every skin and pigment parameter. About 5 minutes on 2 cores with the default photons.

The white runs depend only on the skin's scattering, the layer cut, photons and seeds, not
on any absorption: a :class:`WhitePathsCache` (``smp table build --paths-cache DIR`` keeps one
compressed file per wavelength, named by a fingerprint of everything they depend on) makes a
rebuild after a change of the pigment calibration or of the skin's absorbers a reweighting
only (about a minute). This module reads and writes no files: the cache is handed in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import time
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

import smpstudio
from smpstudio.appearance.blur import blur_sigma_mm
from smpstudio.appearance.model import (
    MAX_DEPTH_MM,
    MIN_DEPTH_MM,
    AppearanceModel,
    layer_tissue_mua_per_cm,
    mcml_layers,
    pigment_path_matrix_per_cm,
    reweight,
)
from smpstudio.optics.colour import xyz_weights
from smpstudio.optics.pigment import MAX_PIGMENT_FRAC
from smpstudio.optics.skin import FITZPATRICK_TYPES

FloatArray = npt.NDArray[np.float64]

WAVELENGTHS_NM = np.arange(400.0, 701.0, 10.0)
DEPTHS_MM = np.round(np.arange(MIN_DEPTH_MM, MAX_DEPTH_MM + 1e-9, 0.025), 6)
PIGMENT_FRACS = np.round(np.arange(0.0, MAX_PIGMENT_FRAC + 1e-9, 0.1), 6)
DEFAULT_PHOTONS = 100_000
DEFAULT_SEED = 20_250_101
MAX_PATH_CM = 30.0
BATCHES = 10


class WhitePathsCache(Protocol):
    """Where white runs are kept between builds, by :func:`white_paths_key`.

    ``load`` gives the arrays stored under a key (None when there are none); ``save`` stores
    them. The arrays are those of :func:`white_paths_arrays`.
    """

    def load(self, key: str) -> dict[str, npt.NDArray[Any]] | None: ...

    def save(self, key: str, arrays: dict[str, npt.NDArray[Any]]) -> None: ...


def white_paths_key(layers: list[Any], *, n_above: float, n_below: float, photons: int,
                    seed: int) -> str:  # fmt: skip
    """Fingerprint of a white run: everything its packets' paths depend on.

    The layers' absorption is left out (a white run ignores it); the package version stands
    for the engine's code.
    """
    record = {
        "layers": [[ly.n, ly.mus_per_cm, ly.g, ly.thickness_cm] for ly in layers],
        "n_above": n_above,
        "n_below": n_below,
        "photons": photons,
        "seed": seed,
        "batches": BATCHES,
        "max_path_cm": MAX_PATH_CM,
        "package_version": smpstudio.__version__,
    }
    return hashlib.sha256(json.dumps(record).encode()).hexdigest()[:20]


def white_paths_arrays(paths: Any) -> dict[str, npt.NDArray[Any]]:
    """The arrays a :class:`WhitePathsCache` keeps of a white run (its packets' records)."""
    return {
        "weights": paths.weights, "path_cm": paths.path_cm, "batch": paths.batch,
        "batch_photons": paths.batch_photons,
        "specular_reflectance": np.float64(paths.specular_reflectance),
        "truncated_weight": np.float64(paths.truncated_weight),
        "seconds": np.float64(paths.seconds),
    }  # fmt: skip


def white_paths(
    layers: list[Any], *, n_above: float, n_below: float, photons: int, seed: int,
    cache: WhitePathsCache | None = None,
) -> Any:  # fmt: skip
    """The white run of ``layers`` (:class:`smpstudio.optics.mcml.white.WhitePaths`).

    With ``cache``, a run with the same :func:`white_paths_key` is taken from there instead of
    simulated again, and a new run is stored there (bit-identical either way).
    """
    from smpstudio.optics.mcml.white import WhitePaths, run_white_mcml

    def run() -> WhitePaths:
        return run_white_mcml(layers, n_above=n_above, n_below=n_below, photons=photons,
                              seed=seed, batches=BATCHES, max_path_cm=MAX_PATH_CM)  # fmt: skip

    if cache is None:
        return run()
    key = white_paths_key(layers, n_above=n_above, n_below=n_below, photons=photons, seed=seed)
    kept = cache.load(key)
    if kept is not None:
        return WhitePaths(
            weights=kept["weights"], path_cm=kept["path_cm"], batch=kept["batch"],
            batch_photons=kept["batch_photons"], photons=photons, seed=seed,
            specular_reflectance=float(kept["specular_reflectance"]),
            truncated_weight=float(kept["truncated_weight"]), max_path_cm=MAX_PATH_CM,
            seconds=float(kept["seconds"]), layers=tuple(layers),
        )  # fmt: skip
    paths = run()
    cache.save(key, white_paths_arrays(paths))
    return paths


def build_arrays(
    model: AppearanceModel,
    *,
    photons: int,
    seed: int,
    wavelengths_nm: FloatArray = WAVELENGTHS_NM,
    depths_mm: FloatArray = DEPTHS_MM,
    pigment_fracs: FloatArray = PIGMENT_FRACS,
    fitzpatrick: tuple[int, ...] = FITZPATRICK_TYPES,
    log: bool = False,
    paths_cache: WhitePathsCache | None = None,
) -> dict[str, Any]:
    """All arrays of a table file (see :class:`smpstudio.appearance.table.AppearanceTable`).

    Wavelength i uses seed ``seed + i``; same arguments, same bytes (with or without
    ``paths_cache``, where the white runs are kept; see :func:`white_paths`).
    """
    stack = model.stack()
    path_matrix = pigment_path_matrix_per_cm(model, stack, depths_mm)
    shape = (len(fitzpatrick), depths_mm.size, pigment_fracs.size, wavelengths_nm.size)
    dot = np.empty(shape)
    dot_se = np.empty(shape)
    truncated, seconds = [], []
    for i, wl in enumerate(wavelengths_nm):
        layers = mcml_layers(model, stack, float(wl), np.zeros(stack.n_layers))
        paths = white_paths(
            layers, n_above=model.skin.n_above, n_below=model.skin.n_hypodermis,
            photons=photons, seed=seed + i, cache=paths_cache,
        )  # fmt: skip
        tissue = np.array(
            [layer_tissue_mua_per_cm(model, stack, float(wl), f) for f in fitzpatrick]
        )
        tau1 = float(model.pigment.band_optical_depth(np.array([wl]), 1.0)[0])
        rw = reweight(paths.weights, paths.path_cm, paths.batch, paths.batch_photons,
                      tissue, path_matrix, tau1, pigment_fracs)  # fmt: skip
        dot[..., i] = rw.dot
        dot_se[..., i] = rw.dot_stderr
        truncated.append(paths.truncated_weight)
        seconds.append(paths.seconds)
        if log:
            print(f"{wl:.0f} nm: {paths.seconds:.1f} s, skin R = {np.round(rw.skin, 3).tolist()}")
    meta = {
        "package_version": smpstudio.__version__,
        "built_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "photons_per_wavelength": photons,
        "seeds": [seed + i for i in range(wavelengths_nm.size)],
        "max_path_cm": MAX_PATH_CM,
        "truncated_weight": truncated,
        "monte_carlo_seconds": seconds,
        "sublayer_mm": model.sublayer_mm,
        "n_layers": stack.n_layers,
        "skin": dataclasses.asdict(model.skin),
        "pigment": dataclasses.asdict(model.pigment),
        "interpolation": "linear in depth, linear in ln(R) along pigment_frac",
        "colour": "D65, CIE 1931 2-degree, colour-science weights; specular excluded",
    }
    return {
        "wavelengths_nm": wavelengths_nm,
        "fitzpatrick": np.array(fitzpatrick, dtype=np.int64),
        "depth_mm": depths_mm,
        "pigment_frac": pigment_fracs,
        "skin_reflectance": dot[:, 0, 0, :].astype(np.float32),  # same rounding as the dots
        "dot_reflectance": dot.astype(np.float32),
        "dot_reflectance_stderr": dot_se.astype(np.float16),
        "xyz_weights": xyz_weights(wavelengths_nm),
        "blur_sigma_mm": blur_sigma_mm(depths_mm, 3, model.skin),
        "meta_json": np.array(json.dumps(meta)),
    }


def npz_bytes(arrays: dict[str, Any]) -> bytes:
    """Arrays as the bytes of a compressed ``.npz`` file (the table's format)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()
