"""Skin-with-pigment optics for the appearance table: layers, absorption sets, reweighting.

White Monte Carlo (Graaff et al. 1993): pigment only adds absorption, and sublayers of one
tissue share their scattering, so an absorption-free run per wavelength records, for each
packet escaping through the top, its weight and its path length l_i in every sublayer i.
Any absorption is then a reweighting: the diffuse reflectance of the absorbing skin is

    R = (1 / N) sum_k w_k exp(-sum_i mua_i l_ki)

over the N launched packets (Beer-Lambert along each recorded path; exact for the same
random walks, Graaff et al., Appl. Opt. 32:426, 1993). Splitting the exponent,

    sum_i mua_i l_ki = A_k(Fitzpatrick) + pigment_frac tau_1(L) q_k(depth),

with A_k the skin's own absorption along the path and q_k = sum_i (s_i / t_i) l_ki the
packet's path inside the pigment band in units of the band's thickness (s_i: share of the
band in sublayer i, t_i: its thickness), makes the whole table a few matrix products.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.optics.pigment import PigmentParameters, band_overlap_frac
from smpstudio.optics.skin import (
    LayerStack,
    SkinParameters,
    layer_stack,
    tissue_mua_per_cm,
    tissue_mus_reduced_per_cm,
)
from smpstudio.units import mm_to_cm

FloatArray = npt.NDArray[np.float64]

MIN_DEPTH_MM = 0.05
MAX_DEPTH_MM = 2.0
PACKET_CHUNK = 20_000  # packets per block in the reweighting (bounds memory)


@dataclass(frozen=True, kw_only=True)
class AppearanceModel:
    """Skin and pigment parameters plus the sublayer cut used by the Monte Carlo."""

    skin: SkinParameters = field(default_factory=SkinParameters)
    pigment: PigmentParameters = field(default_factory=PigmentParameters)
    sublayer_mm: float = 0.025
    max_depth_mm: float = MAX_DEPTH_MM

    def stack(self) -> LayerStack:
        """The sublayer stack: fine down to the deepest pigment band's bottom."""
        fine_to = self.max_depth_mm + 0.5 * self.pigment.band_thickness_mm + self.sublayer_mm
        return layer_stack(self.skin, sublayer_mm=self.sublayer_mm, fine_to_depth_mm=fine_to)


def check_depth(depth_mm: float) -> None:
    """Raise :class:`InputError` unless ``MIN_DEPTH_MM <= depth_mm <= MAX_DEPTH_MM``."""
    if not (math.isfinite(depth_mm) and MIN_DEPTH_MM <= depth_mm <= MAX_DEPTH_MM):
        raise InputError("depth_mm", depth_mm, f"{MIN_DEPTH_MM}..{MAX_DEPTH_MM}")


def layer_mus_per_cm(model: AppearanceModel, stack: LayerStack, wavelength_nm: float) -> FloatArray:
    """Scattering coefficient mus = mus' / (1 - g) of each sublayer, shape ``(n_layers,)``."""
    mus_r = tissue_mus_reduced_per_cm(model.skin, np.array([wavelength_nm]))[0]
    return stack.expand(mus_r / (1.0 - model.skin.anisotropy_g))


def layer_tissue_mua_per_cm(
    model: AppearanceModel, stack: LayerStack, wavelength_nm: float, fitzpatrick: int
) -> FloatArray:
    """The skin's own absorption in each sublayer, shape ``(n_layers,)`` per cm."""
    return stack.expand(tissue_mua_per_cm(model.skin, fitzpatrick, np.array([wavelength_nm]))[0])


def pigment_path_matrix_per_cm(
    model: AppearanceModel, stack: LayerStack, depths_mm: npt.ArrayLike
) -> FloatArray:
    """P with q = P @ l: s_i / t_i per sublayer for each depth, shape ``(n_depths, n_layers)``.

    ``t_i`` is in cm, so ``P @ l_cm`` is the path inside the band in band thicknesses.
    """
    band = model.pigment.band_thickness_mm
    thickness_cm = mm_to_cm(stack.thickness_mm)
    rows = [
        band_overlap_frac(stack.boundaries_mm, float(d), band) / thickness_cm
        for d in np.atleast_1d(np.asarray(depths_mm, dtype=np.float64))
    ]
    return np.array(rows)


def layer_mua_per_cm(
    model: AppearanceModel,
    stack: LayerStack,
    wavelength_nm: float,
    fitzpatrick: int,
    depth_mm: float | None = None,
    pigment_frac: float = 0.0,
) -> FloatArray:
    """Total absorption of each sublayer (skin plus pigment band), shape ``(n_layers,)``."""
    mua = layer_tissue_mua_per_cm(model, stack, wavelength_nm, fitzpatrick)
    if depth_mm is not None and pigment_frac > 0.0:
        check_depth(depth_mm)
        tau = float(model.pigment.band_optical_depth(np.array([wavelength_nm]), pigment_frac)[0])
        mua = mua + tau * pigment_path_matrix_per_cm(model, stack, [depth_mm])[0]
    return mua


def mcml_layers(
    model: AppearanceModel, stack: LayerStack, wavelength_nm: float, mua_per_cm: FloatArray
) -> list[Any]:
    """The sublayers as :class:`smpstudio.optics.mcml.Layer` objects, top first."""
    from smpstudio.optics.mcml import Layer

    mus = layer_mus_per_cm(model, stack, wavelength_nm)
    thickness_cm = mm_to_cm(stack.thickness_mm)
    return [
        Layer(
            n=float(stack.n[i]),
            mua_per_cm=float(mua_per_cm[i]),
            mus_per_cm=float(mus[i]),
            g=model.skin.anisotropy_g,
            thickness_cm=float(thickness_cm[i]),
        )
        for i in range(stack.n_layers)
    ]


@dataclass(frozen=True, kw_only=True)
class Reweighted:
    """Reflectance from one white run, with standard errors (same shapes).

    ``skin``: ``(n_fitzpatrick,)``; ``dot``: ``(n_fitzpatrick, n_depths, n_fracs)``.
    """

    skin: FloatArray
    skin_stderr: FloatArray
    dot: FloatArray
    dot_stderr: FloatArray


def reweight(
    weights: FloatArray,
    paths_cm: FloatArray,
    batch: npt.NDArray[np.int64],
    batch_photons: npt.NDArray[np.int64],
    tissue_mua_per_cm: FloatArray,
    pigment_path_per_cm: FloatArray,
    tau_per_frac: float,
    pigment_fracs: FloatArray,
) -> Reweighted:
    """Diffuse reflectance of every (skin, depth, load) from one white run.

    Parameters
    ----------
    weights, paths_cm, batch
        Shapes ``(n_packets,)``, ``(n_packets, n_layers)`` and ``(n_packets,)``: weight,
        per-sublayer path and batch of each packet that escaped through the top
        (:class:`smpstudio.optics.mcml.white.WhitePaths`).
    batch_photons
        ``(n_batches,)`` packets launched per batch (the escaping ones are a subset).
    tissue_mua_per_cm
        ``(n_skins, n_layers)``: the skin's own absorption, one row per skin.
    pigment_path_per_cm
        ``(n_depths, n_layers)`` from :func:`pigment_path_matrix_per_cm`.
    tau_per_frac
        Band optical depth at pigment_frac 1 at this wavelength.
    pigment_fracs
        ``(n_fracs,)`` loads, evenly spaced from 0.

    Standard errors are sd / sqrt(batches) over the independent batches.
    """
    fracs = np.asarray(pigment_fracs, dtype=np.float64)
    step = fracs[1] - fracs[0] if fracs.size > 1 else 0.0
    if fracs[0] != 0.0 or (fracs.size > 1 and not np.allclose(np.diff(fracs), step)):
        raise InputError("pigment_fracs", fracs.tolist(), "an even grid starting at 0")
    n_skin, n_depth, n_frac = tissue_mua_per_cm.shape[0], pigment_path_per_cm.shape[0], fracs.size
    n_batch = int(batch_photons.shape[0])
    sums = np.zeros((n_batch, n_skin, n_depth, n_frac))
    for b in range(n_batch):
        rows = np.flatnonzero(batch == b)
        for start in range(0, rows.size, PACKET_CHUNK):
            sel = rows[start : start + PACKET_CHUNK]
            l_cm = paths_cm[sel]
            base = weights[sel, None] * np.exp(-(l_cm @ tissue_mua_per_cm.T))
            q = l_cm @ pigment_path_per_cm.T
            e_step = np.exp(-step * tau_per_frac * q)
            e = np.ones_like(q)
            for j in range(n_frac):
                sums[b, :, :, j] += base.T @ e
                e *= e_step
    per_batch = sums / np.asarray(batch_photons, dtype=np.float64)[:, None, None, None]
    mean = sums.sum(axis=0) / float(np.sum(batch_photons))
    stderr = per_batch.std(axis=0, ddof=1) / math.sqrt(n_batch)
    return Reweighted(
        skin=mean[:, 0, 0].copy(),
        skin_stderr=stderr[:, 0, 0].copy(),
        dot=mean,
        dot_stderr=stderr,
    )
