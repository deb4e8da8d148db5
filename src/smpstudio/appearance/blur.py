"""Lateral blur of a pigment dot seen through the skin, from diffusion theory.

Light that returns to the surface over a pigment particle at depth z0 has travelled from
the particle to the surface; by reciprocity the particle's "shadow" on the surface has the
radial profile of the diffuse reflectance from a point source at depth z0. In diffusion
theory with an extrapolated boundary that profile is (Farrell, Patterson & Wilson, Med.
Phys. 19:879-888, 1992, eq. 3, with the source at depth z0)::

    R(r) = 1/(4 pi) [ z0 (mu_eff + 1/r1) exp(-mu_eff r1) / r1^2
                      + (z0 + 2 zb) (mu_eff + 1/r2) exp(-mu_eff r2) / r2^2 ]
    r1^2 = z0^2 + r^2,  r2^2 = (z0 + 2 zb)^2 + r^2,
    mu_eff = sqrt(3 mua (mua + mus')),  zb = 2 A D,  D = 1 / (3 (mua + mus')),
    A = (1 + r_id) / (1 - r_id),  r_id = -1.440 n^-2 + 0.710 n^-1 + 0.668 + 0.0636 n.

The blur is reported as a Gaussian with the profile's full width at half maximum:
sigma = FWHM / (2 sqrt(2 ln 2)). Two limits show the behaviour: shallow (mu_eff z0 << 1)
the profile tends to z0^-2 (1 + r^2/z0^2)^-3/2 with sigma = 0.65 z0; deep, it tends to a
Gaussian with sigma^2 = z0 / mu_eff. Either way the blur grows with depth.

Properties are the dermis's at 550 nm (the peak of the eye's luminous efficiency). The
epidermal melanin lies above the pigment and attenuates every escape path in the same
thin layer, so to this order the Fitzpatrick type does not change the profile's shape,
only its strength (the contrast, which the appearance table carries). Diffusion theory is
rough within one transport mean free path (about 0.3 mm) of the surface; there the
geometric z0-scaling dominates and the estimate is an order-of-magnitude guide.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.optics.skin import (
    RETICULAR_DERMIS,
    SkinParameters,
    check_fitzpatrick,
    tissue_mua_per_cm,
    tissue_mus_reduced_per_cm,
)
from smpstudio.units import cm_to_mm, mm_to_cm

FloatArray = npt.NDArray[np.float64]
FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))
BLUR_WAVELENGTH_NM = 550.0


def _farrell_profile(
    r_cm: FloatArray, z0_cm: FloatArray, mu_eff: float, zb_cm: float
) -> FloatArray:
    """Farrell's R(r) times exp(mu_eff z0), a per-depth scale that keeps deep values finite."""
    r1 = np.sqrt(z0_cm**2 + r_cm**2)
    z2 = z0_cm + 2.0 * zb_cm
    r2 = np.sqrt(z2**2 + r_cm**2)
    term1 = z0_cm * (mu_eff + 1.0 / r1) * np.exp(-mu_eff * (r1 - z0_cm)) / r1**2
    term2 = z2 * (mu_eff + 1.0 / r2) * np.exp(-mu_eff * (r2 - z0_cm)) / r2**2
    return (term1 + term2) / (4.0 * math.pi)


def diffusion_sigma_mm(
    depth_mm: npt.ArrayLike, *, mua_per_cm: float, mus_reduced_per_cm: float, n: float
) -> FloatArray:
    """Gaussian-equivalent blur sigma (mm) of a point absorber at ``depth_mm`` (any shape)."""
    z0 = mm_to_cm(np.asarray(depth_mm, dtype=np.float64))
    if np.any(~np.isfinite(z0)) or np.any(z0 <= 0.0):
        raise InputError("depth_mm", np.asarray(depth_mm).tolist(), "finite and > 0")
    mu_t = mua_per_cm + mus_reduced_per_cm
    mu_eff = math.sqrt(3.0 * mua_per_cm * mu_t)
    r_id = -1.440 / n**2 + 0.710 / n + 0.668 + 0.0636 * n
    zb = 2.0 * (1.0 + r_id) / (1.0 - r_id) / (3.0 * mu_t)
    half = 0.5 * _farrell_profile(np.zeros_like(z0), z0, mu_eff, zb)
    lo = np.zeros_like(z0)
    hi = 10.0 * z0 + 10.0 / mu_t
    for _ in range(60):  # bisection: the profile falls monotonically with r
        mid = 0.5 * (lo + hi)
        above = _farrell_profile(mid, z0, mu_eff, zb) > half
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    return cm_to_mm(0.5 * (lo + hi)) * 2.0 / FWHM_PER_SIGMA


def blur_sigma_mm(
    depth_mm: npt.ArrayLike, fitzpatrick: int = 3, params: SkinParameters | None = None
) -> FloatArray:
    """Blur sigma (mm) of a dot's pigment at ``depth_mm`` (any shape) in the dermis.

    ``fitzpatrick`` is checked but does not change the shape of the blur (module docstring).
    """
    check_fitzpatrick(fitzpatrick)
    p = params or SkinParameters()
    wl = np.array([BLUR_WAVELENGTH_NM])
    mua = float(tissue_mua_per_cm(p, fitzpatrick, wl)[0, RETICULAR_DERMIS])
    mus_r = float(tissue_mus_reduced_per_cm(p, wl)[0, RETICULAR_DERMIS])
    return diffusion_sigma_mm(depth_mm, mua_per_cm=mua, mus_reduced_per_cm=mus_r, n=p.n_dermis)
