"""Fading of SMP pigment over the years, and the touch-ups it calls for.

Model: a stretched exponential (Kohlrausch-Williams-Watts) loss of visual dot density,

    remaining(t) = exp(-((m * t) / lambda_yr) ** beta),

with ``t`` in years since the result healed (4 weeks after the last session) and ``m`` a
dimensionless rate multiplier, the product of the factors below. A stretched exponential
(beta < 1) loses fastest at first and slows down, as tattoo pigment does: loose pigment is
cleared by macrophages in the first months, while pigment held in dermal macrophages and
fibroblasts stays for years (Lea & Pawlowski 1987, Int J Dermatol 26:453; Baranska et al. 2018,
J Exp Med 215:1115). Its two constants come from two published anchors for SMP at moderate sun,
Fitzpatrick III, outside scars (SMP practice and J Cosmet Dermatol 2025; docs/references.md):

1. visual density -10 % at 6 months: remaining(0.5) = 0.90 (J Cosmet Dermatol 2025);
2. touch-up due at about 4 years (published 3-6, mostly 4-6): remaining(4.0) = the touch-up
   threshold, 0.70. The threshold is this model's choice, not a measured number: a 30 % loss of
   visual density is where the pattern visibly thins; any threshold reproduces anchor 2,
   it only changes beta.

Rate multipliers ``m`` (time to touch-up = 4 years / m):

- technique: SMP 1; tricopigmentation 2 (semi-permanent, placed in the upper papillary dermis:
  about 2 years, published 0.5-3).
- sun exposure: low 0.8, moderate 1, high 4/3 (5, 4 and 3 years for SMP): sun is the main
  accelerator, and the spread spans the published 3-6 years.
- Fitzpatrick type: 1 + 0.05 (3 - type), from 1.10 (I) to 0.85 (VI): epidermal melanin absorbs
  ultraviolet light before it reaches the pigment (melanosome fraction 0.02-0.35, Jacques 2013;
  Jacques 2013). The size of this factor is an assumption, kept small.
- scar tissue: from the published -15 to -20 % at 6 months (midpoint -17.5 %) over scars,
  solved for ``m`` with the same beta: about 2.8.
- zone: hairline 1.25. Hairline dots are finer (1RL, 0.12 mm healed vs 0.20 mm), shallower and
  face the sun most, so they fade visibly sooner; the factor is an assumption that puts the
  hairline refresh about 10 months before the full top-up at moderate sun (3.2 vs 4.0 years).
"""

from __future__ import annotations

import math
from typing import Literal, overload

import numpy as np
import numpy.typing as npt

from smpstudio.case.model import SUN_EXPOSURES, TECHNIQUES
from smpstudio.errors import InputError

Zone = Literal["body", "hairline"]
ZONES: tuple[Zone, ...] = ("body", "hairline")

# Anchors (J Cosmet Dermatol 2025: fading; SMP practice: longevity before touch-up).
ANCHOR_EARLY_YEARS = 0.5
ANCHOR_EARLY_REMAINING_FRAC = 0.90  # -10 % visual density at 6 months (J Cosmet Dermatol 2025)
ANCHOR_SCAR_REMAINING_FRAC = 0.825  # -15 to -20 % over scars at 6 months, midpoint
SMP_TOUCH_UP_YEARS = 4.0  # SMP touch-up at about 4 years (3-6)
TOUCH_UP_REMAINING_FRAC = 0.70  # model choice: touch-up due at 30 % loss of visual density

# Solve the two anchors for the stretched exponential's constants.
_LOSS_EARLY = -math.log(ANCHOR_EARLY_REMAINING_FRAC)
_LOSS_TOUCH_UP = -math.log(TOUCH_UP_REMAINING_FRAC)
BETA = math.log(_LOSS_TOUCH_UP / _LOSS_EARLY) / math.log(SMP_TOUCH_UP_YEARS / ANCHOR_EARLY_YEARS)
LAMBDA_YEARS = ANCHOR_EARLY_YEARS / _LOSS_EARLY ** (1.0 / BETA)

TECHNIQUE_RATE: dict[str, float] = {"smp": 1.0, "tricopigmentation": 2.0}
SUN_RATE: dict[str, float] = {"low": 0.8, "moderate": 1.0, "high": 4.0 / 3.0}
FITZPATRICK_RATE_PER_TYPE = 0.05
SCAR_RATE = (-math.log(ANCHOR_SCAR_REMAINING_FRAC) / _LOSS_EARLY) ** (1.0 / BETA)
ZONE_RATE: dict[str, float] = {"body": 1.0, "hairline": 1.25}


def fade_rate_multiplier(
    *,
    technique: str,
    sun_exposure: str = "moderate",
    fitzpatrick: int = 3,
    scar: bool = False,
    zone: Zone = "body",
) -> float:
    """The dimensionless rate multiplier ``m`` of the fading model (1 for the anchor case).

    Raises :class:`InputError` naming the argument for a value outside the allowed set.
    """
    if technique not in TECHNIQUE_RATE:
        raise InputError("technique", technique, " | ".join(TECHNIQUES))
    if sun_exposure not in SUN_RATE:
        raise InputError("sun_exposure", sun_exposure, " | ".join(SUN_EXPOSURES))
    if isinstance(fitzpatrick, bool) or fitzpatrick not in range(1, 7):
        raise InputError("fitzpatrick", fitzpatrick, "1..6")
    if zone not in ZONE_RATE:
        raise InputError("zone", zone, " | ".join(ZONES))
    rate = TECHNIQUE_RATE[technique] * SUN_RATE[sun_exposure] * ZONE_RATE[zone]
    rate *= 1.0 + FITZPATRICK_RATE_PER_TYPE * (3 - fitzpatrick)
    return rate * SCAR_RATE if scar else rate


@overload
def pigment_remaining_frac(
    years: float,
    *,
    technique: str,
    sun_exposure: str = ...,
    fitzpatrick: int = ...,
    scar: bool = ...,
    zone: Zone = ...,
) -> float: ...
@overload
def pigment_remaining_frac(
    years: npt.ArrayLike,
    *,
    technique: str,
    sun_exposure: str = ...,
    fitzpatrick: int = ...,
    scar: bool = ...,
    zone: Zone = ...,
) -> float | npt.NDArray[np.float64]: ...
def pigment_remaining_frac(
    years: npt.ArrayLike,
    *,
    technique: str,
    sun_exposure: str = "moderate",
    fitzpatrick: int = 3,
    scar: bool = False,
    zone: Zone = "body",
) -> float | npt.NDArray[np.float64]:
    """Fraction of the healed visual dot density left after ``years``.

    Parameters
    ----------
    years
        Years since the result healed (4 weeks after the last session), >= 0; a float or an
        array of any shape.
    technique
        ``"smp"`` or ``"tricopigmentation"``.
    sun_exposure
        ``"low"``, ``"moderate"`` or ``"high"``.
    fitzpatrick
        Skin type 1..6.
    scar
        True for pigment over scar tissue.
    zone
        ``"body"`` or ``"hairline"`` (finer, shallower dots that fade sooner).

    Returns
    -------
    float or ndarray
        In (0, 1]; 1.0 at ``years == 0``; strictly decreasing in ``years``. Same shape as
        ``years`` (a float for a scalar input).

    Raises
    ------
    InputError
        ``years`` negative or not finite, or an argument outside its set.
    """
    rate = fade_rate_multiplier(
        technique=technique,
        sun_exposure=sun_exposure,
        fitzpatrick=fitzpatrick,
        scar=scar,
        zone=zone,
    )
    t_years = np.asarray(years, dtype=np.float64)
    if t_years.size and not (np.all(np.isfinite(t_years)) and np.all(t_years >= 0.0)):
        bad = t_years[~(np.isfinite(t_years) & (t_years >= 0.0))].flat[0]
        raise InputError("years", float(bad), "finite and >= 0 (years since healed)")
    remaining = np.exp(-(((rate * t_years) / LAMBDA_YEARS) ** BETA))
    if remaining.ndim == 0:
        return float(remaining)
    return remaining


def touch_up_years(
    *,
    technique: str,
    sun_exposure: str = "moderate",
    fitzpatrick: int = 3,
    scar: bool = False,
    zone: Zone = "body",
) -> float:
    """Years from healed until the visual density falls to the touch-up threshold (0.70).

    The exact inverse of :func:`pigment_remaining_frac` at ``TOUCH_UP_REMAINING_FRAC``:
    ``4 years / m`` for the rate multiplier ``m`` (:func:`fade_rate_multiplier`).
    Arguments as for :func:`pigment_remaining_frac`.
    """
    rate = fade_rate_multiplier(
        technique=technique,
        sun_exposure=sun_exposure,
        fitzpatrick=fitzpatrick,
        scar=scar,
        zone=zone,
    )
    return LAMBDA_YEARS * _LOSS_TOUCH_UP ** (1.0 / BETA) / rate
