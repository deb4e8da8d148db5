"""Carbon-black SMP pigment as an absorbing band in the skin.

``pigment_frac`` is the relative pigment load of a dot: 1.0 is neat pigment as healed;
dilution with water (fraction d of the mix) scales it by (1 - d); fading scales it by
the fraction that remains; a fresh dot, before the healing loss, is
:data:`FRESH_PIGMENT_FRAC` = 1.5 (about a third of the deposit is lost within weeks,
Engel et al. 2008, so healed = 2/3 fresh).

Model (every number in :class:`PigmentParameters`, the one place the calibration lives):

- The pigment sits in a band ``band_thickness_mm`` thick centred on the dot's depth.
- Carbon black absorbs and adds negligible scattering next to the dermis (its particles
  are ~30-100 nm aggregates, held inside cells), so the band only adds absorption. This is
  what lets one absorption-free ("white") Monte Carlo run serve every load and depth.
- A healed dot's pigment is not a continuous sheet but a sparse cloud of granule clusters
  held by dermal macrophages and fibroblasts (tattoo histology: Lea & Pawlowski, Int. J.
  Dermatol. 26:453, 1987; Baranska et al., J. Exp. Med. 215:1115, 2018). A cluster packs
  carbon black densely enough to be opaque, and a cloud of clusters absorbs far less than
  the same mass spread evenly (the sieve or "flattening" effect, Duysens, Biochim. Biophys.
  Acta 19:1-12, 1956).
- Clusters placed at random (Poisson) with mean coverage multiplicity m (mean number of
  clusters over a point of the band) pass T = exp(-m (1 - exp(-tau_c))) of the light,
  tau_c being one cluster's optical depth (the mean of exp(-tau_c K) over K ~ Poisson(m)).
  The effective optical depth of the band is therefore tau_eff = m (1 - exp(-tau_c)).
  For clusters spread through the band's volume the same holds along any oblique path
  (Beer-Lambert with absorption tau_eff / thickness), which is how the Monte Carlo uses it.
- The number of clusters scales with the deposited amount: m = c x pigment_frac, with the
  coverage coefficient c = -ln(1 - ``fill_frac``), ``fill_frac`` being the share of the
  band's area that healed neat pigment shades. Mass conservation gives m tau_c =
  tau_homogeneous, the optical depth of the same mass spread evenly (125 at 550 nm, from
  the deposit and mass absorption below), so tau_c is in the hundreds and the clusters are
  opaque: tau_eff = c x pigment_frac, the same at every wavelength.
- ``fill_frac`` = 0.4 (c = 0.51) is a calibration, not a measurement (Engel et al. 2008
  says to treat it so); mass-based estimates span two orders of magnitude (cluster size
  1-20 um, deposit 0.6-9.4 mg/cm2). It is chosen so that dilution and fading change the
  dot's colour as practitioners see it (SMP practice, docs/references.md): for Fitzpatrick
  III at 0.3 mm, neat healed pigment drops L* by about 14 and takes about 0.38 of the skin's
  550 nm reflectance (the laterally infinite band's limit is 0.46), session-1 ink (load
  0.55) is clearly lighter, and the contrast still rises up to fresh neat pigment (load
  1.5). docs/optics.md section 3 has the argument and the table of colour against load.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.units import mm_to_cm

FloatArray = npt.NDArray[np.float64]

FRESH_PIGMENT_FRAC = 1.5  # 1 / (1 - 1/3): a third of the deposit is lost while healing
MAX_PIGMENT_FRAC = 2.0  # the appearance table covers 0..2
# Water fraction of the ink beyond which a dot barely shows: SMP practitioners mix water:pigment
# from 0 to 20+:1 for the lighter early layers (clinic and trainer practice); 0.9 is 9:1.
MAX_DILUTION_FRAC = 0.9


@dataclass(frozen=True, kw_only=True)
class PigmentParameters:
    """The calibration of the pigment band, kept in this one place.

    Attributes
    ----------
    band_thickness_mm
        Thickness of the pigment band centred on the dot depth. 0.05 mm: a healed dot's
        pigment lies in a thin sheet of the upper dermis about the needle tip's depth.
    fill_frac
        Share of the band's area shaded by healed neat pigment (pigment_frac 1), so the
        mean cluster coverage is ``-ln(1 - fill_frac) x pigment_frac``. Calibration
        parameter, 0.4: see the module docstring and docs/optics.md section 3.
    mass_absorption_550_cm2_per_mg
        Carbon black mass absorption at 550 nm: 7.5 m2/g = 75 cm2/mg (Bond & Bergstrom 2006).
    spectral_exponent
        Mass absorption falls as (L/550)^-exponent; carbon black ~1 (Bond & Bergstrom 2006).
    fresh_deposit_mg_per_cm2
        Pigment deposited by a tattoo: 2.5 mg/cm2 (0.6-9.4; Engel et al. 2008).
    healing_loss_frac
        Share of the deposit lost within weeks of healing: about a third.
    """

    band_thickness_mm: float = 0.05
    fill_frac: float = 0.4
    mass_absorption_550_cm2_per_mg: float = 75.0
    spectral_exponent: float = 1.0
    fresh_deposit_mg_per_cm2: float = 2.5
    healing_loss_frac: float = 1.0 / 3.0

    def __post_init__(self) -> None:
        if not (0.0 < self.band_thickness_mm <= 0.5):
            raise InputError("pigment.band_thickness_mm", self.band_thickness_mm, "0..0.5 mm")
        if not (0.0 < self.fill_frac < 1.0):
            raise InputError("pigment.fill_frac", self.fill_frac, "strictly between 0 and 1")
        if not (0.0 <= self.healing_loss_frac < 1.0):
            raise InputError("pigment.healing_loss_frac", self.healing_loss_frac, "0..<1")
        if self.mass_absorption_550_cm2_per_mg <= 0 or self.fresh_deposit_mg_per_cm2 <= 0:
            raise InputError("pigment absorption", self.mass_absorption_550_cm2_per_mg, "> 0")

    @property
    def coverage_per_frac(self) -> float:
        """Coverage coefficient c: mean clusters over a point of the band at pigment_frac 1."""
        return -math.log1p(-self.fill_frac)

    @property
    def healed_deposit_mg_per_cm2(self) -> float:
        """Deposit of neat healed pigment, the load of pigment_frac 1."""
        return self.fresh_deposit_mg_per_cm2 * (1.0 - self.healing_loss_frac)

    def homogeneous_optical_depth(self, wavelength_nm: npt.ArrayLike) -> FloatArray:
        """Optical depth of the healed neat deposit if it were spread evenly (about 125)."""
        wl = np.asarray(wavelength_nm, dtype=np.float64)
        mass_abs = self.mass_absorption_550_cm2_per_mg * (wl / 550.0) ** -self.spectral_exponent
        return mass_abs * self.healed_deposit_mg_per_cm2

    def band_optical_depth(self, wavelength_nm: npt.ArrayLike, pigment_frac: float) -> FloatArray:
        """Effective (sieve-limited) optical depth of the band, shape of ``wavelength_nm``.

        tau_eff = m (1 - exp(-tau_c)), m = -ln(1 - fill_frac) pigment_frac and
        tau_c = tau_homogeneous / m (Poisson clusters; see the module docstring). With the
        default parameters the clusters are opaque and tau_eff = 0.51 pigment_frac.
        """
        check_pigment_frac(pigment_frac)
        coverage_per_frac = self.coverage_per_frac
        tau_clump = self.homogeneous_optical_depth(wavelength_nm) / coverage_per_frac
        return pigment_frac * coverage_per_frac * -np.expm1(-tau_clump)

    def band_mua_per_cm(self, wavelength_nm: npt.ArrayLike, pigment_frac: float) -> FloatArray:
        """Absorption coefficient inside the band (per cm) that gives the effective depth."""
        return self.band_optical_depth(wavelength_nm, pigment_frac) / mm_to_cm(
            self.band_thickness_mm
        )


def check_pigment_frac(pigment_frac: float) -> None:
    """Raise :class:`InputError` unless 0 <= pigment_frac <= :data:`MAX_PIGMENT_FRAC`."""
    if not (math.isfinite(pigment_frac) and 0.0 <= pigment_frac <= MAX_PIGMENT_FRAC):
        raise InputError("pigment_frac", pigment_frac, f"0..{MAX_PIGMENT_FRAC}")


def pigment_frac_for(
    *, dilution_frac: float = 0.0, remaining_frac: float = 1.0, fresh: bool = False
) -> float:
    """Relative pigment load of a dot.

    Parameters
    ----------
    dilution_frac
        Water fraction of the ink mix, 0..0.9; the load scales by (1 - dilution_frac).
    remaining_frac
        Fraction of the healed pigment still present after fading, 0..1.
    fresh
        True for a dot before the healing loss (load x :data:`FRESH_PIGMENT_FRAC`).
    """
    if not (math.isfinite(dilution_frac) and 0.0 <= dilution_frac <= MAX_DILUTION_FRAC):
        raise InputError("dilution_frac", dilution_frac, f"0..{MAX_DILUTION_FRAC}")
    if not (math.isfinite(remaining_frac) and 0.0 <= remaining_frac <= 1.0):
        raise InputError("remaining_frac", remaining_frac, "0..1")
    load = (1.0 - dilution_frac) * remaining_frac
    return load * FRESH_PIGMENT_FRAC if fresh else load


def band_overlap_frac(
    boundaries_mm: FloatArray, depth_mm: float, band_thickness_mm: float
) -> FloatArray:
    """Share of the pigment band that falls in each layer.

    Parameters
    ----------
    boundaries_mm
        Shape ``(n_layers + 1,)`` layer interfaces (mm, increasing from 0).
    depth_mm
        Depth of the band's centre.
    band_thickness_mm
        Band thickness.

    Returns
    -------
    ndarray, shape ``(n_layers,)``
        Fractions summing to 1 when the band lies inside the stack. A layer of
        thickness t holding share s of the band gets absorption tau_eff s / t.
    """
    b = np.asarray(boundaries_mm, dtype=np.float64)
    lo = depth_mm - 0.5 * band_thickness_mm
    hi = depth_mm + 0.5 * band_thickness_mm
    overlap = np.clip(np.minimum(b[1:], hi) - np.maximum(b[:-1], lo), 0.0, None)
    return overlap / band_thickness_mm
