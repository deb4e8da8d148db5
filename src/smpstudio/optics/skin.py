"""Optical properties of scalp skin, 400-700 nm, from published formulas.

Four layers: epidermis (with melanin set by the Fitzpatrick type), papillary dermis,
reticular dermis (both with blood), and hypodermis (fat). Every number is a default of
:class:`SkinParameters`, with its source next to it.

Sources
-------
- Jacques SL, "Optical properties of biological tissues: a review", Phys. Med. Biol.
  58:R37-R61 (2013), and S. Jacques' mcxyz tissue list: melanin, baseline tissue and
  reduced-scattering formulas, melanosome volume fractions, blood volume and saturation.
- Prahl S, "Tabulated molar extinction coefficient for hemoglobin in water", OMLC (1999):
  ``data/haemoglobin_prahl.csv``.
- Salomatina E et al., J. Biomed. Opt. 11:064026 (2006): ex-vivo mus' at 500 nm, the check
  on the scattering formulas.
- Scalp thicknesses: epidermis 0.066 +/- 0.014 mm, papillary dermis 0.1-0.2 mm, dermis
  1.1-1.9 mm in total (Jacques 2013).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError

FloatArray = npt.NDArray[np.float64]

FITZPATRICK_TYPES: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
WAVELENGTH_RANGE_NM: tuple[float, float] = (400.0, 700.0)
HAEMOGLOBIN_G_PER_MOL = 64_500.0  # Prahl (1999): gram molecular weight of haemoglobin
LN10 = math.log(10.0)

#: Tissue index of each layer kind, as used in :class:`LayerStack.tissue`.
EPIDERMIS, PAPILLARY_DERMIS, RETICULAR_DERMIS, HYPODERMIS = 0, 1, 2, 3
TISSUE_NAMES: tuple[str, ...] = ("epidermis", "papillary_dermis", "reticular_dermis", "hypodermis")


@dataclass(frozen=True, kw_only=True)
class ScatteringModel:
    """Reduced scattering mus' = a' [f_Ray (L/500)^-4 + (1 - f_Ray) (L/500)^-b_Mie] per cm.

    Jacques (2013), table 2 fits; ``f_rayleigh_frac = 0`` gives a pure power law.
    """

    a_per_cm: float
    f_rayleigh_frac: float
    b_mie: float

    def mus_reduced_per_cm(self, wavelength_nm: FloatArray) -> FloatArray:
        """Reduced scattering coefficient per cm at each wavelength (nm), same shape."""
        x = np.asarray(wavelength_nm, dtype=np.float64) / 500.0
        f = self.f_rayleigh_frac
        return self.a_per_cm * (f * x**-4.0 + (1.0 - f) * x**-self.b_mie)


@dataclass(frozen=True, kw_only=True)
class SkinParameters:
    """Every number of the scalp skin model, with published defaults.

    Melanosome volume fractions are by Fitzpatrick type I-VI. Jacques (2013) gives the
    ranges light 0.013-0.063, moderate 0.11-0.16, dark 0.18-0.43; the defaults are the
    values calibrated against measured skin colour (docs/optics.md, calibration table).
    """

    # Thicknesses (mm): scalp epidermis 0.066 +/- 0.014; papillary dermis 0.1-0.2; dermis
    # 1.1-1.9 in total (Jacques 2013). Fat below is semi-infinite in reality; 6 mm of
    # it with a matched lower boundary loses < 1 % of the light reaching it at 700 nm (fat
    # mu_eff ~ 4.6 per cm: round trip exp(-2 x 0.6 x 4.6) ~ 0.4 %).
    epidermis_thickness_mm: float = 0.066
    papillary_dermis_thickness_mm: float = 0.15
    reticular_dermis_thickness_mm: float = 1.35
    hypodermis_thickness_mm: float = 6.0
    # Calibrated (smp table calibrate --fit, 40,000 packets per
    # wavelength) against Alaluf 2002 for II-V and the ITA categories for I and VI; Jacques'
    # starting values were 0.02, 0.04, 0.08, 0.13, 0.22, 0.35 (docs/optics.md, section 4).
    melanin_volume_frac: tuple[float, float, float, float, float, float] = (
        0.0028, 0.0221, 0.035, 0.0646, 0.0964, 0.2426,
    )  # fmt: skip
    # Dermal blood volume fraction 0.002-0.05, saturation 0.67-0.75 (Jacques 2013); the
    # papillary and reticular values are calibrated with the melanin above.
    papillary_blood_frac: float = 0.0224
    reticular_blood_frac: float = 0.0071
    hypodermis_blood_frac: float = 0.01
    blood_saturation_frac: float = 0.7
    haemoglobin_g_per_l: float = 150.0  # whole blood (Prahl 1999)
    # Refractive indices: epidermis 1.44, dermis 1.38-1.40, fat 1.44; air above.
    n_epidermis: float = 1.44
    n_dermis: float = 1.39
    n_hypodermis: float = 1.44
    n_above: float = 1.0
    # Anisotropy "about 0.9" (Jacques 2013), wavelength-independent here.
    anisotropy_g: float = 0.9
    epidermis_scattering: ScatteringModel = ScatteringModel(
        a_per_cm=66.7, f_rayleigh_frac=0.29, b_mie=0.689
    )
    dermis_scattering: ScatteringModel = ScatteringModel(
        a_per_cm=42.4, f_rayleigh_frac=0.62, b_mie=1.0
    )
    hypodermis_scattering: ScatteringModel = ScatteringModel(
        a_per_cm=35.0, f_rayleigh_frac=0.0, b_mie=0.85
    )

    def __post_init__(self) -> None:
        for name in (
            "epidermis_thickness_mm",
            "papillary_dermis_thickness_mm",
            "reticular_dermis_thickness_mm",
            "hypodermis_thickness_mm",
        ):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0.0):
                raise InputError(f"skin.{name}", value, "a finite length > 0 mm")
        if len(self.melanin_volume_frac) != len(FITZPATRICK_TYPES):
            raise InputError("skin.melanin_volume_frac", self.melanin_volume_frac, "6 values")
        fracs = (
            *self.melanin_volume_frac,
            self.papillary_blood_frac,
            self.reticular_blood_frac,
            self.hypodermis_blood_frac,
            self.blood_saturation_frac,
        )
        if not all(0.0 <= f <= 1.0 for f in fracs):
            raise InputError("skin fractions", fracs, "each in 0..1")
        if not 0.0 <= self.anisotropy_g < 1.0:
            raise InputError("skin.anisotropy_g", self.anisotropy_g, "0..<1")

    def melanin_frac(self, fitzpatrick: int) -> float:
        """Melanosome volume fraction of the epidermis for Fitzpatrick type 1..6."""
        check_fitzpatrick(fitzpatrick)
        return self.melanin_volume_frac[fitzpatrick - 1]


def surface_reflectance_frac(params: SkinParameters) -> float:
    """Reflectance of the skin's surface at normal incidence, ((n1 - n2) / (n1 + n2))^2.

    Fresnel's formula (Born & Wolf, Principles of Optics, section 1.5) for air above the
    epidermis (n 1.44): 0.033, the MCML's specular reflectance Rsp of the skin (Wang et al.
    1995). Anderson & Parrish, J. Invest. Dermatol. 77:13 (1981) measured 4-7 % "regular"
    reflectance for white and black skin alike, flat across the spectrum: the Fresnel value
    is the conservative lower end. The appearance table excludes it (its Lab is specular-excluded);
    instruments that record skin colour with the specular component included (tristimulus
    chromameters with diffuse illumination, as in Chardon 1991 and Alaluf 2002) add it to the
    diffuse reflectance, so :mod:`smpstudio.appearance.calibrate` adds it before comparing.
    """
    n1, n2 = params.n_above, params.n_epidermis
    return ((n1 - n2) / (n1 + n2)) ** 2


def check_fitzpatrick(fitzpatrick: int) -> None:
    """Raise :class:`InputError` unless ``fitzpatrick`` is an integer 1..6."""
    if (
        isinstance(fitzpatrick, bool)
        or int(fitzpatrick) != fitzpatrick
        or not (1 <= fitzpatrick <= 6)
    ):
        raise InputError("skin.fitzpatrick", fitzpatrick, "an integer 1..6")


def _check_wavelengths(wavelength_nm: npt.ArrayLike) -> FloatArray:
    wl = np.asarray(wavelength_nm, dtype=np.float64)
    lo, hi = WAVELENGTH_RANGE_NM
    if wl.size and not (np.all(np.isfinite(wl)) and wl.min() >= lo and wl.max() <= hi):
        raise InputError("wavelength_nm", wl.tolist() if wl.size < 8 else "array", "400..700")
    return wl


def mua_melanin_per_cm(wavelength_nm: npt.ArrayLike) -> FloatArray:
    """Absorption of melanin inside melanosomes, 519 (L/500)^-3.5 per cm (Jacques 2013)."""
    wl = _check_wavelengths(wavelength_nm)
    return 519.0 * (wl / 500.0) ** -3.5


def mua_baseline_per_cm(wavelength_nm: npt.ArrayLike) -> FloatArray:
    """Bloodless, melanin-free tissue: 0.244 + 85.3 exp(-(L - 154)/66.2) per cm (Jacques 2013)."""
    wl = _check_wavelengths(wavelength_nm)
    return 0.244 + 85.3 * np.exp(-(wl - 154.0) / 66.2)


@lru_cache(maxsize=1)
def _prahl_table() -> FloatArray:
    text = resources.files("smpstudio.optics").joinpath("data/haemoglobin_prahl.csv")
    rows = [
        line
        for line in text.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ][1:]
    return np.array([[float(x) for x in r.split(",")] for r in rows], dtype=np.float64)


def haemoglobin_extinction_per_cm_per_molar(
    wavelength_nm: npt.ArrayLike,
) -> tuple[FloatArray, FloatArray]:
    """Prahl's molar extinction coefficients (decadic) of oxy- and deoxyhaemoglobin.

    Parameters
    ----------
    wavelength_nm
        Wavelengths in 400..700 nm, any shape; linear interpolation in the 2 nm table.

    Returns
    -------
    oxy, deoxy
        Extinction in cm^-1 / (mol/L), each of the input's shape.
    """
    wl = _check_wavelengths(wavelength_nm)
    table = _prahl_table()
    oxy = np.interp(wl, table[:, 0], table[:, 1])
    deoxy = np.interp(wl, table[:, 0], table[:, 2])
    return oxy, deoxy


def mua_whole_blood_per_cm(
    wavelength_nm: npt.ArrayLike, saturation_frac: float, haemoglobin_g_per_l: float = 150.0
) -> FloatArray:
    """Absorption of whole blood per cm: ln(10) e c, c = (g/L) / 64,500 g/mol (Prahl 1999)."""
    oxy, deoxy = haemoglobin_extinction_per_cm_per_molar(wavelength_nm)
    molar = haemoglobin_g_per_l / HAEMOGLOBIN_G_PER_MOL
    return LN10 * molar * (saturation_frac * oxy + (1.0 - saturation_frac) * deoxy)


def tissue_mua_per_cm(
    params: SkinParameters, fitzpatrick: int, wavelength_nm: npt.ArrayLike
) -> FloatArray:
    """Absorption of the four tissues, shape ``(n_wavelengths, 4)`` per cm.

    Epidermis: f_mel mua_mel + (1 - f_mel) mua_base; dermis and fat: B mua_blood +
    (1 - B) mua_base (Jacques 2013).
    """
    wl = np.atleast_1d(_check_wavelengths(wavelength_nm))
    base = mua_baseline_per_cm(wl)
    blood = mua_whole_blood_per_cm(wl, params.blood_saturation_frac, params.haemoglobin_g_per_l)
    f_mel = params.melanin_frac(fitzpatrick)
    out = np.empty((wl.size, 4))
    out[:, EPIDERMIS] = f_mel * mua_melanin_per_cm(wl) + (1.0 - f_mel) * base
    for col, b in (
        (PAPILLARY_DERMIS, params.papillary_blood_frac),
        (RETICULAR_DERMIS, params.reticular_blood_frac),
        (HYPODERMIS, params.hypodermis_blood_frac),
    ):
        out[:, col] = b * blood + (1.0 - b) * base
    return out


def tissue_mus_reduced_per_cm(params: SkinParameters, wavelength_nm: npt.ArrayLike) -> FloatArray:
    """Reduced scattering mus' of the four tissues, shape ``(n_wavelengths, 4)`` per cm."""
    wl = np.atleast_1d(_check_wavelengths(wavelength_nm))
    derm = params.dermis_scattering.mus_reduced_per_cm(wl)
    return np.stack(
        [
            params.epidermis_scattering.mus_reduced_per_cm(wl),
            derm,
            derm,
            params.hypodermis_scattering.mus_reduced_per_cm(wl),
        ],
        axis=-1,
    )


@dataclass(frozen=True, kw_only=True)
class LayerStack:
    """The skin cut into thin sublayers for Monte Carlo, top (surface) first.

    Attributes
    ----------
    boundaries_mm
        Shape ``(n_layers + 1,)``: depth of each interface, 0 at the surface.
    tissue
        Shape ``(n_layers,)``: tissue index (``EPIDERMIS`` .. ``HYPODERMIS``) of each sublayer.
    n
        Shape ``(n_layers,)``: refractive index of each sublayer.
    """

    boundaries_mm: FloatArray
    tissue: npt.NDArray[np.int64]
    n: FloatArray

    @property
    def n_layers(self) -> int:
        return int(self.tissue.size)

    @property
    def thickness_mm(self) -> FloatArray:
        """Shape ``(n_layers,)``."""
        return np.diff(self.boundaries_mm)

    def expand(self, per_tissue: FloatArray) -> FloatArray:
        """Map a ``(..., 4)`` per-tissue array to ``(..., n_layers)`` per sublayer."""
        return np.asarray(per_tissue)[..., self.tissue]


def layer_stack(
    params: SkinParameters, *, sublayer_mm: float = 0.025, fine_to_depth_mm: float = 2.05
) -> LayerStack:
    """Cut the skin into sublayers of ``sublayer_mm`` down to ``fine_to_depth_mm``.

    Tissue interfaces are always layer boundaries; below ``fine_to_depth_mm`` each tissue
    is one layer. Sublayers of one tissue share its scattering, so one absorption-free
    Monte Carlo run serves any pigment depth (white Monte Carlo, see docs/optics.md).
    """
    if not (sublayer_mm > 0.0 and fine_to_depth_mm > 0.0):
        raise InputError("sublayer_mm", sublayer_mm, "> 0")
    tops = np.cumsum(
        [
            0.0,
            params.epidermis_thickness_mm,
            params.papillary_dermis_thickness_mm,
            params.reticular_dermis_thickness_mm,
            params.hypodermis_thickness_mm,
        ]
    )
    n_fine = math.floor(min(fine_to_depth_mm, tops[-1]) / sublayer_mm + 1e-9)
    fine = np.arange(n_fine + 1) * sublayer_mm
    merged = np.unique(np.round(np.concatenate([fine, tops]), 9))
    keep = np.concatenate([[True], np.diff(merged) > 1e-6])
    bounds = merged[keep]
    mids = 0.5 * (bounds[:-1] + bounds[1:])
    tissue = np.searchsorted(tops, mids, side="right") - 1
    n_by_tissue = np.array(
        [params.n_epidermis, params.n_dermis, params.n_dermis, params.n_hypodermis]
    )
    return LayerStack(
        boundaries_mm=bounds.astype(np.float64),
        tissue=tissue.astype(np.int64),
        n=n_by_tissue[tissue],
    )
