"""The shadow of a finite pigment dot: Monte Carlo of absorbing discs in layered skin.

The appearance table (:mod:`smpstudio.appearance`) treats the pigment as a laterally infinite
band; a healed SMP dot is a disc 0.12-0.20 mm across, smaller than the dermis's transport mean
free path (about 0.3 mm at 550 nm). This module measures how the finite dot's shadow differs:
under normally incident, laterally uniform light on the scalp skin of the appearance model,
with one pigment disc of radius a, thickness t and absorption mua_d centred at depth z, it
tallies the deficit of diffuse reflectance Delta R(r) against the distance r of the exit point
from the disc's axis, its integral S = int Delta R 2 pi r dr (mm2), the deficit of the
laterally infinite sheet Delta R_sheet, and the enhancement E = S / (pi a^2 Delta R_sheet):
how much larger the dot's integrated shadow is than its face times the sheet's contrast.

Method (details in :mod:`smpstudio.optics._disc_kernel` and docs/optics-disc.md): MCML walks
(Wang, Jacques & Zheng 1995; Fresnel at every boundary with the all-or-none choice, roulette)
in the four tissue layers of :mod:`smpstudio.optics.skin`; the disc only absorbs, so it enters
as the Beer-Lambert factor exp(-mua_d L) on each escaping packet (Graaff et al., Appl. Opt.
32:426, 1993); uniform illumination follows from the pencil beam by lateral translation
invariance, with the disc's position sampled where the packet crossed its depth band.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.optics import _disc_kernel as kern
from smpstudio.optics.mcml.engine import build_stack, run_mcml, specular_reflectance, split_packets
from smpstudio.optics.mcml.model import Layer
from smpstudio.optics.pigment import PigmentParameters
from smpstudio.optics.skin import (
    EPIDERMIS,
    HYPODERMIS,
    SkinParameters,
    check_fitzpatrick,
    tissue_mua_per_cm,
    tissue_mus_reduced_per_cm,
)
from smpstudio.units import cm2_to_mm2, mm_to_cm

FloatArray = npt.NDArray[np.float64]

STREAM_DISC = 0x44495343  # "DISC": the walks
STREAM_DISC_POSITION = 0x44504F53  # "DPOS": the sampled disc positions
SAMPLING_METHODS = {"importance": kern.SAMPLING_IMPORTANCE, "uniform": kern.SAMPLING_UNIFORM}
DEFAULT_WAVELENGTH_NM = 550.0  # the peak of the eye's luminous efficiency (CIE 1924 V)


@dataclass(frozen=True, kw_only=True)
class Disc:
    """An absorbing, non-scattering disc with its axis normal to the skin surface.

    Parameters
    ----------
    radius_mm
        Disc radius, > 0 (a healed SMP dot: 0.06-0.10 mm).
    depth_mm
        Depth of the disc's centre below the surface; the disc must lie below the surface.
    thickness_mm
        Thickness, > 0 (the pigment band of optics/pigment.py: 0.05 mm).
    mua_per_cm
        Extra absorption inside the disc, >= 0 (per cm).
    """

    radius_mm: float
    depth_mm: float
    thickness_mm: float = 0.05
    mua_per_cm: float

    def __post_init__(self) -> None:
        for name in ("radius_mm", "thickness_mm"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0.0):
                raise InputError(f"disc.{name}", value, "a finite number > 0")
        if not (math.isfinite(self.depth_mm) and self.depth_mm - 0.5 * self.thickness_mm >= 0.0):
            raise InputError("disc.depth_mm", self.depth_mm, ">= thickness_mm / 2 (below the skin)")
        if not (math.isfinite(self.mua_per_cm) and self.mua_per_cm >= 0.0):
            raise InputError("disc.mua_per_cm", self.mua_per_cm, "a finite number >= 0")

    @property
    def top_mm(self) -> float:
        return self.depth_mm - 0.5 * self.thickness_mm

    @property
    def bottom_mm(self) -> float:
        return self.depth_mm + 0.5 * self.thickness_mm

    @property
    def area_mm2(self) -> float:
        """The disc's face, pi a^2 (mm2)."""
        return math.pi * self.radius_mm**2


def pigment_disc(
    radius_mm: float,
    depth_mm: float,
    *,
    wavelength_nm: float = DEFAULT_WAVELENGTH_NM,
    pigment_frac: float = 1.0,
    pigment: PigmentParameters | None = None,
) -> Disc:
    """A dot of the appearance model's pigment: its band thickness and band absorption.

    The absorption is :meth:`smpstudio.optics.pigment.PigmentParameters.band_mua_per_cm`, the
    same as the appearance table's laterally infinite band.
    """
    pig = pigment or PigmentParameters()
    mua = float(pig.band_mua_per_cm(np.array([wavelength_nm]), pigment_frac)[0])
    return Disc(
        radius_mm=radius_mm, depth_mm=depth_mm, thickness_mm=pig.band_thickness_mm, mua_per_cm=mua
    )


@dataclass(frozen=True, kw_only=True)
class DiscShadow:
    """The shadow of one disc under uniform light; every stderr is sd / sqrt(batches).

    Attributes
    ----------
    disc
        The disc.
    r_mm
        Shape (nr,): centres of the radial bins (distance from the disc's axis); the last bin
        also holds everything beyond the grid.
    delta_r, delta_r_stderr
        Shape (nr,): reflectance deficit Delta R(r) (fraction of the incident irradiance).
    delta_r_by_batch
        Shape (batches, nr): the profile of each batch (equal batches up to one packet).
    shadow_mm2, shadow_mm2_stderr
        S = int Delta R 2 pi r dr over the whole plane (mm2).
    sheet_delta_r, sheet_delta_r_stderr
        Deficit of the laterally infinite sheet of the same depth, thickness and absorption.
    enhancement, enhancement_stderr
        E = S / (pi a^2 Delta R_sheet) (delta-method stderr of the ratio over batches).
    half_width_mm
        r50: the radius holding half of S (linear interpolation of the cumulative profile).
    """

    disc: Disc
    r_mm: FloatArray
    delta_r: FloatArray
    delta_r_stderr: FloatArray
    delta_r_by_batch: FloatArray
    shadow_mm2: float
    shadow_mm2_stderr: float
    sheet_delta_r: float
    sheet_delta_r_stderr: float
    enhancement: float
    enhancement_stderr: float
    half_width_mm: float


@dataclass(frozen=True, kw_only=True)
class DiscRun:
    """One Monte Carlo run: the skin's own reflectance and the shadow of each disc."""

    wavelength_nm: float
    fitzpatrick: int
    photons: int
    seed: int
    batches: int
    sampling: str
    skin_reflectance: float
    skin_reflectance_stderr: float
    shadows: tuple[DiscShadow, ...]
    seconds: float


def skin_layers(
    skin: SkinParameters,
    wavelength_nm: float,
    fitzpatrick: int,
    *,
    sheet: Disc | None = None,
) -> list[Layer]:
    """The four tissues of :mod:`smpstudio.optics.skin` as MCML layers, top first.

    With ``sheet``, its depth band becomes a laterally infinite layer with the disc's extra
    absorption (the tissue boundaries and the band's edges are layer boundaries; layers of
    one tissue share its index, so the extra boundaries change nothing else). This is the
    appearance table's band model (appearance/model.py) without its 0.025 mm sublayers.
    """
    wl = np.array([wavelength_nm])
    mua_t = tissue_mua_per_cm(skin, fitzpatrick, wl)[0]
    mus_t = tissue_mus_reduced_per_cm(skin, wl)[0] / (1.0 - skin.anisotropy_g)
    n_t = (skin.n_epidermis, skin.n_dermis, skin.n_dermis, skin.n_hypodermis)
    tops = np.cumsum(
        [
            0.0,
            skin.epidermis_thickness_mm,
            skin.papillary_dermis_thickness_mm,
            skin.reticular_dermis_thickness_mm,
            skin.hypodermis_thickness_mm,
        ]
    )
    bounds = list(tops)
    if sheet is not None:
        if sheet.bottom_mm >= tops[-1]:
            raise InputError("sheet.depth_mm", sheet.depth_mm, f"a band above {tops[-1]} mm")
        bounds += [sheet.top_mm, sheet.bottom_mm]
    edges = np.unique(np.round(np.array(bounds), 12))
    layers = []
    for lo, hi in itertools.pairwise(edges):
        mid = 0.5 * (lo + hi)
        tissue = min(max(int(np.searchsorted(tops, mid, side="right")) - 1, EPIDERMIS), HYPODERMIS)
        mua = float(mua_t[tissue])
        if sheet is not None and sheet.top_mm <= mid <= sheet.bottom_mm:
            mua += sheet.mua_per_cm
        layers.append(
            Layer(
                n=n_t[tissue],
                mua_per_cm=mua,
                mus_per_cm=float(mus_t[tissue]),
                g=skin.anisotropy_g,
                thickness_cm=float(mm_to_cm(hi - lo)),
            )
        )
    return layers


def simulate_disc_shadows(
    discs: Sequence[Disc],
    *,
    photons: int,
    seed: int,
    wavelength_nm: float = DEFAULT_WAVELENGTH_NM,
    fitzpatrick: int = 3,
    skin: SkinParameters | None = None,
    batches: int = 10,
    dr_mm: float = 0.02,
    r_max_mm: float = 2.0,
    c_samples: int = 16,
    sampling: str = "importance",
    half_width_mm: float = 3.0,
) -> DiscRun:
    """Shadow of each disc in the appearance model's skin under uniform, normal light.

    All discs are tallied on the same disc-free random walks (each disc alone in the skin),
    so differences between them carry little noise. Same arguments and seed, same numbers, on
    any thread count.

    Parameters
    ----------
    discs
        One or more discs (:func:`pigment_disc` for the appearance model's pigment).
    photons, seed, batches
        Packets (>= batches), non-negative seed, independent batches (>= 2) for the stderrs.
    wavelength_nm, fitzpatrick, skin
        Wavelength (400..700 nm), skin type 1..6 and the skin model (default parameters).
    dr_mm, r_max_mm
        Radial bin width and grid extent of the profile (mm).
    c_samples
        Disc positions sampled per escaping packet, >= 1.
    sampling
        ``"importance"`` (positions where the packet crossed the disc's band; default) or
        ``"uniform"`` (plain uniform illumination of a square of half-width ``half_width_mm``
        around the entry; a check of the former, much noisier).

    Returns
    -------
    DiscRun
    """
    skin = skin or SkinParameters()
    check_fitzpatrick(fitzpatrick)
    discs = tuple(discs)
    if not discs or not all(isinstance(d, Disc) for d in discs):
        raise InputError("discs", discs, "one or more Disc objects")
    if sampling not in SAMPLING_METHODS:
        raise InputError("sampling", sampling, " or ".join(SAMPLING_METHODS))
    if isinstance(c_samples, bool) or not isinstance(c_samples, int) or c_samples < 1:
        raise InputError("c_samples", c_samples, "an integer >= 1")
    for name, value in (("dr_mm", dr_mm), ("r_max_mm", r_max_mm), ("half_width_mm", half_width_mm)):
        if not (math.isfinite(value) and value > 0.0):
            raise InputError(name, value, "a finite number > 0")
    nr = max(1, round(r_max_mm / dr_mm))
    layers = skin_layers(skin, wavelength_nm, fitzpatrick)
    n_above, n_below = skin.n_above, skin.n_hypodermis
    stack = build_stack(layers, n_above, n_below)
    rsp = specular_reflectance(layers, n_above, n_below)
    split = split_packets(photons, batches, seed, STREAM_DISC)
    units = split.unit_photons.shape[0]
    c_states = np.array(
        [
            np.random.SeedSequence([seed, STREAM_DISC_POSITION, u]).generate_state(4, np.uint64)
            for u in range(units)
        ],
        dtype=np.uint64,
    )
    d_lo = mm_to_cm(np.array([d.top_mm for d in discs]))
    d_hi = mm_to_cm(np.array([d.bottom_mm for d in discs]))
    d_radius = mm_to_cm(np.array([d.radius_mm for d in discs]))
    d_mua = np.array([d.mua_per_cm for d in discs], dtype=np.float64)
    scal = np.zeros((units, kern.N_SCAL))
    dtal = np.zeros((units, len(discs), kern.N_DISC_TALLY))
    prof = np.zeros((units, len(discs), nr))
    states = split.states.copy()
    t0 = time.perf_counter()
    kern.simulate_disc_units(
        states, c_states, split.unit_photons, 1.0 - rsp, stack.n, stack.mua, stack.mus, stack.g,
        stack.z0, stack.z1, stack.cos_crit_up, stack.cos_crit_dn, float(d_lo.min()),
        float(d_hi.max()), d_radius, d_lo, d_hi, d_mua, int(c_samples),
        SAMPLING_METHODS[sampling], float(mm_to_cm(half_width_mm)), float(mm_to_cm(dr_mm)),
        int(nr), scal, dtal, prof,
    )  # fmt: skip
    seconds = time.perf_counter() - t0
    per_photon = 1.0 / split.batch_photons.astype(np.float64)

    def by_batch(a: FloatArray) -> FloatArray:
        out = np.zeros((batches, *a.shape[1:]))
        np.add.at(out, split.unit_batch, a)
        return out * per_photon.reshape((batches,) + (1,) * (a.ndim - 1))

    def mean_se(per_batch: FloatArray) -> tuple[FloatArray, FloatArray]:
        w = split.batch_photons / photons
        mean = np.tensordot(w, per_batch, axes=1)
        return mean, per_batch.std(axis=0, ddof=1) / math.sqrt(batches)

    rd_mean, rd_se = mean_se(by_batch(scal[:, kern.S_RD]))
    dtal_b = by_batch(dtal)
    prof_b = cm2_to_mm2(by_batch(prof))
    edges_mm = np.arange(nr + 1, dtype=np.float64) * dr_mm
    ring_mm2 = math.pi * (edges_mm[1:] ** 2 - edges_mm[:-1] ** 2)
    shadows = []
    for k, disc in enumerate(discs):
        sheet_b = dtal_b[:, k, kern.D_SHEET]
        shadow_b = cm2_to_mm2(dtal_b[:, k, kern.D_SHADOW])
        sheet, sheet_se = mean_se(sheet_b)
        shadow, shadow_se = mean_se(shadow_b)
        dr_batches = prof_b[:, k, :] / ring_mm2
        dr_mean, dr_se = mean_se(dr_batches)
        if sheet > 0.0:
            enh = float(shadow / (disc.area_mm2 * sheet))
            resid = (shadow_b - enh * disc.area_mm2 * sheet_b) / (disc.area_mm2 * sheet)
            enh_se = float(resid.std(ddof=1) / math.sqrt(batches))
        else:
            enh, enh_se = math.nan, math.nan
        shadows.append(
            DiscShadow(
                disc=disc,
                r_mm=0.5 * (edges_mm[1:] + edges_mm[:-1]),
                delta_r=dr_mean,
                delta_r_stderr=dr_se,
                delta_r_by_batch=dr_batches,
                shadow_mm2=float(shadow),
                shadow_mm2_stderr=float(shadow_se),
                sheet_delta_r=float(sheet),
                sheet_delta_r_stderr=float(sheet_se),
                enhancement=enh,
                enhancement_stderr=enh_se,
                half_width_mm=fraction_radius_mm(edges_mm, dr_mean * ring_mm2, 0.5),
            )
        )
    return DiscRun(
        wavelength_nm=float(wavelength_nm),
        fitzpatrick=int(fitzpatrick),
        photons=int(photons),
        seed=int(seed),
        batches=int(batches),
        sampling=sampling,
        skin_reflectance=float(rd_mean),
        skin_reflectance_stderr=float(rd_se),
        shadows=tuple(shadows),
        seconds=seconds,
    )


def fraction_radius_mm(edges_mm: FloatArray, per_bin: FloatArray, frac: float) -> float:
    """Radius holding ``frac`` of the total of ``per_bin`` (shape (nr,), on ``edges_mm``,
    shape (nr + 1,)), interpolating the cumulative sum linearly within a bin."""
    total = float(per_bin.sum())
    if not total > 0.0:
        return math.nan
    cum = np.concatenate([[0.0], np.cumsum(per_bin)]) / total
    i = int(np.searchsorted(cum, frac))
    i = min(max(i, 1), cum.size - 1)
    span = cum[i] - cum[i - 1]
    t = (frac - cum[i - 1]) / span if span > 0.0 else 0.0
    return float(edges_mm[i - 1] + t * (edges_mm[i] - edges_mm[i - 1]))


def sheet_delta_r_mcml(
    sheet: Disc,
    *,
    photons: int,
    seed: int,
    wavelength_nm: float = DEFAULT_WAVELENGTH_NM,
    fitzpatrick: int = 3,
    skin: SkinParameters | None = None,
) -> tuple[float, float]:
    """Deficit of the laterally infinite band of ``sheet`` from the validated MCML engine.

    Two :func:`smpstudio.optics.mcml.run_mcml` runs (the band's absorption inside the walk,
    not reweighted), without and with the band (:func:`skin_layers`); ``sheet.radius_mm`` is
    ignored. Returns (Delta R, stderr); the stderr adds the two runs' in quadrature
    (conservative: the runs share their seed, which correlates them positively).
    """
    skin = skin or SkinParameters()
    bare, dot = (
        run_mcml(
            skin_layers(skin, wavelength_nm, fitzpatrick, sheet=band),
            n_above=skin.n_above,
            n_below=skin.n_hypodermis,
            photons=photons,
            seed=seed,
        )
        for band in (None, sheet)
    )
    delta = bare.diffuse_reflectance - dot.diffuse_reflectance
    return delta, math.hypot(bare.diffuse_reflectance_stderr, dot.diffuse_reflectance_stderr)


def mean_delta_r(shadow: DiscShadow, r_max_mm: float) -> tuple[float, float]:
    """Area-weighted mean of Delta R over the bins within ``r_max_mm`` of the axis, and its
    stderr over the batches. Returns (mean, stderr). The last (overflow) bin is never used."""
    dr = 2.0 * float(shadow.r_mm[0])
    n = min(max(1, round(r_max_mm / dr)), shadow.r_mm.size - 1)
    if n < 1:
        raise InputError("shadow.r_mm", shadow.r_mm.size, "at least 2 radial bins")
    ring = math.pi * dr**2 * (2.0 * np.arange(n) + 1.0)
    per_batch = shadow.delta_r_by_batch[:, :n] @ ring / ring.sum()
    batches = per_batch.shape[0]
    return float(per_batch.mean()), float(per_batch.std(ddof=1) / math.sqrt(batches))


__all__ = [
    "DEFAULT_WAVELENGTH_NM",
    "Disc",
    "DiscRun",
    "DiscShadow",
    "fraction_radius_mm",
    "mean_delta_r",
    "pigment_disc",
    "sheet_delta_r_mcml",
    "simulate_disc_shadows",
    "skin_layers",
]
