"""The precomputed appearance table (``data/appearance_table.npz``) and its interpolation.

The file holds diffuse reflectance spectra (specular reflection excluded) of skin with a
pigment band, on a grid of Fitzpatrick type x depth x pigment_frac x wavelength, built by
:mod:`smpstudio.appearance.build` (``smp table build``). Interpolation is linear in depth
and linear in ln(reflectance) along pigment_frac (exact for a single path length, where R falls as
exp(-pigment_frac tau q)); a spectrum is then turned into colour by a fixed weight matrix.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError, ModelError

FloatArray = npt.NDArray[np.float64]
TABLE_FILE = "appearance_table.npz"


@dataclass(frozen=True, kw_only=True, eq=False)
class AppearanceTable:
    """Arrays of the table file.

    Attributes
    ----------
    wavelengths_nm
        ``(n_wl,)``.
    fitzpatrick
        ``(n_fitz,)`` types, 1..6.
    depth_mm, pigment_frac
        Grid axes ``(n_depth,)`` and ``(n_frac,)``; pigment_frac evenly spaced from 0.
    skin_reflectance
        ``(n_fitz, n_wl)`` diffuse reflectance of skin without pigment.
    dot_reflectance, dot_reflectance_stderr, dot_log_reflectance
        ``(n_fitz, n_depth, n_frac, n_wl)``; the last is ln(dot_reflectance).
    xyz_weights
        ``(3, n_wl)``: XYZ = W @ R (D65, CIE 1931 2-degree; white Y = 1).
    blur_sigma_mm
        ``(n_depth,)`` Gaussian blur of the dot (see :mod:`smpstudio.appearance.blur`).
    meta
        Build record: photons, seeds, package version, parameters.
    """

    wavelengths_nm: FloatArray
    fitzpatrick: npt.NDArray[np.int64]
    depth_mm: FloatArray
    pigment_frac: FloatArray
    skin_reflectance: FloatArray
    dot_reflectance: FloatArray
    dot_reflectance_stderr: FloatArray
    xyz_weights: FloatArray
    blur_sigma_mm: FloatArray
    meta: dict[str, Any]
    dot_log_reflectance: FloatArray

    @property
    def white_xyz(self) -> FloatArray:
        """XYZ of a perfect white under the table's weights, ``(3,)``."""
        return self.xyz_weights.sum(axis=1)

    @cached_property
    def depth_list(self) -> list[float]:
        return [float(v) for v in self.depth_mm]

    @cached_property
    def frac_list(self) -> list[float]:
        return [float(v) for v in self.pigment_frac]

    def fitzpatrick_index(self, fitzpatrick: int) -> int:
        """Row of a Fitzpatrick type; :class:`InputError` when it is not 1..6."""
        if isinstance(fitzpatrick, bool) or fitzpatrick not in self.fitzpatrick.tolist():
            raise InputError("fitzpatrick", fitzpatrick, "an integer 1..6")
        return int(np.flatnonzero(self.fitzpatrick == fitzpatrick)[0])

    def dot_spectrum(self, f_index: int, depth_mm: float, pigment_frac: float) -> FloatArray:
        """One interpolated dot spectrum ``(n_wl,)`` (fast scalar path of :meth:`dot_spectra`).

        ``f_index`` is a row from :meth:`fitzpatrick_index`; depth and load must be checked
        to lie on the grid by the caller.
        """
        d_axis, p_axis = self.depth_mm, self.pigment_frac
        i = min(max(bisect.bisect_right(self.depth_list, depth_mm) - 1, 0), d_axis.size - 2)
        j = min(max(bisect.bisect_right(self.frac_list, pigment_frac) - 1, 0), p_axis.size - 2)
        wd = (depth_mm - self.depth_list[i]) / (self.depth_list[i + 1] - self.depth_list[i])
        wp = (pigment_frac - self.frac_list[j]) / (self.frac_list[j + 1] - self.frac_list[j])
        block = self.dot_log_reflectance[f_index, i : i + 2, j : j + 2]  # (2, 2, n_wl)
        w = np.array([(1 - wd) * (1 - wp), (1 - wd) * wp, wd * (1 - wp), wd * wp])
        return np.exp(w @ block.reshape(4, -1))

    def dot_spectra(
        self, fitzpatrick: int, depth_mm: npt.ArrayLike, pigment_frac: npt.ArrayLike
    ) -> FloatArray:
        """Interpolated dot spectra, shape ``broadcast(depth_mm, pigment_frac) + (n_wl,)``.

        Raises :class:`InputError` outside the grid (depth and pigment_frac ranges).
        """
        f = self.fitzpatrick_index(fitzpatrick)
        depth, frac = np.broadcast_arrays(
            np.asarray(depth_mm, dtype=np.float64), np.asarray(pigment_frac, dtype=np.float64)
        )
        d_axis, p_axis = self.depth_mm, self.pigment_frac
        if not np.all((depth >= d_axis[0]) & (depth <= d_axis[-1])):
            raise InputError("depth_mm", _show(depth), f"{d_axis[0]:g}..{d_axis[-1]:g}")
        if not np.all((frac >= p_axis[0]) & (frac <= p_axis[-1])):
            raise InputError("pigment_frac", _show(frac), f"{p_axis[0]:g}..{p_axis[-1]:g}")
        i = np.clip(np.searchsorted(d_axis, depth, side="right") - 1, 0, d_axis.size - 2)
        wd = ((depth - d_axis[i]) / (d_axis[i + 1] - d_axis[i]))[..., None]
        j = np.clip(np.searchsorted(p_axis, frac, side="right") - 1, 0, p_axis.size - 2)
        wp = ((frac - p_axis[j]) / (p_axis[j + 1] - p_axis[j]))[..., None]
        log_r = self.dot_log_reflectance[f]
        lower = (1.0 - wp) * log_r[i, j] + wp * log_r[i, j + 1]
        upper = (1.0 - wp) * log_r[i + 1, j] + wp * log_r[i + 1, j + 1]
        return np.exp((1.0 - wd) * lower + wd * upper)


def _show(values: FloatArray) -> object:
    return (
        float(values)
        if values.ndim == 0
        else f"array with values {values.min():g}..{values.max():g}"
    )


@lru_cache(maxsize=1)
def load_table() -> AppearanceTable:
    """The packaged table (package data, ``appearance/data/``), cached after the first call.

    A table of one's own is passed to the lookups as ``table=`` (:func:`table_from_npz`).
    """
    source = resources.files("smpstudio.appearance").joinpath("data", TABLE_FILE)
    if not source.is_file():
        raise ModelError(f"appearance table {TABLE_FILE} is missing: run smp table build")
    with source.open("rb") as fh:
        return _parse(np.load(fh, allow_pickle=False))


def table_from_npz(npz: Any) -> AppearanceTable:
    """A table from an opened table file (``np.load(...)`` of an ``.npz`` the edge read)."""
    return _parse(npz)


def _parse(npz: Any) -> AppearanceTable:
    f64 = {k: np.asarray(npz[k], dtype=np.float64) for k in npz.files if k not in ("meta_json",)}
    return AppearanceTable(
        wavelengths_nm=f64["wavelengths_nm"],
        fitzpatrick=np.asarray(npz["fitzpatrick"], dtype=np.int64),
        depth_mm=f64["depth_mm"],
        pigment_frac=f64["pigment_frac"],
        skin_reflectance=f64["skin_reflectance"],
        dot_reflectance=f64["dot_reflectance"],
        dot_reflectance_stderr=f64["dot_reflectance_stderr"],
        xyz_weights=f64["xyz_weights"],
        blur_sigma_mm=f64["blur_sigma_mm"],
        meta=json.loads(str(npz["meta_json"])),
        dot_log_reflectance=np.log(f64["dot_reflectance"]),
    )
