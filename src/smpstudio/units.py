"""Unit conversions: the only place with bare factors between units.

Every dimensional name in SMP Studio carries its unit (``depth_mm``,
``mua_per_cm``, ``density_per_cm2``); convert between them only through these.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt

MM_PER_CM = 10.0
MM2_PER_CM2 = 100.0
NM_PER_MM = 1.0e6
SECONDS_PER_MINUTE = 60.0
MINUTES_PER_HOUR = 60.0

ArrayOrFloat = TypeVar("ArrayOrFloat", float, npt.NDArray[np.float64])


def cm_to_mm(length_cm: ArrayOrFloat) -> ArrayOrFloat:
    """Centimetres to millimetres."""
    return length_cm * MM_PER_CM


def mm_to_cm(length_mm: ArrayOrFloat) -> ArrayOrFloat:
    """Millimetres to centimetres."""
    return length_mm / MM_PER_CM


def mm2_to_cm2(area_mm2: ArrayOrFloat) -> ArrayOrFloat:
    """Square millimetres to square centimetres."""
    return area_mm2 / MM2_PER_CM2


def cm2_to_mm2(area_cm2: ArrayOrFloat) -> ArrayOrFloat:
    """Square centimetres to square millimetres."""
    return area_cm2 * MM2_PER_CM2


def per_cm2_to_per_mm2(density_per_cm2: ArrayOrFloat) -> ArrayOrFloat:
    """Areal density per cm2 to per mm2."""
    return density_per_cm2 / MM2_PER_CM2


def per_mm2_to_per_cm2(density_per_mm2: ArrayOrFloat) -> ArrayOrFloat:
    """Areal density per mm2 to per cm2."""
    return density_per_mm2 * MM2_PER_CM2


def per_cm_to_per_mm(coefficient_per_cm: ArrayOrFloat) -> ArrayOrFloat:
    """An optical coefficient (mua, mus) per cm to per mm."""
    return coefficient_per_cm / MM_PER_CM


def per_mm_to_per_cm(coefficient_per_mm: ArrayOrFloat) -> ArrayOrFloat:
    """An optical coefficient per mm to per cm."""
    return coefficient_per_mm * MM_PER_CM


def seconds_to_minutes(duration_s: ArrayOrFloat) -> ArrayOrFloat:
    """Seconds to minutes."""
    return duration_s / SECONDS_PER_MINUTE


def deg_to_rad(angle_deg: ArrayOrFloat) -> ArrayOrFloat:
    """Degrees to radians."""
    return np.deg2rad(angle_deg)


def rad_to_deg(angle_rad: ArrayOrFloat) -> ArrayOrFloat:
    """Radians to degrees."""
    return np.rad2deg(angle_rad)
