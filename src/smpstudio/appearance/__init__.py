"""Appearance of SMP dots: the precomputed table of dot and skin colour and its lookups.

``lookup(fitzpatrick, depth_mm, pigment_frac)`` gives one dot's colour against the skin
(docs/interface.md section 6); ``lookup_many`` the colours of many dots for the renderer;
``blur_sigma_mm`` the dot's blur. The table is rebuilt by ``smp table
build`` (see docs/optics.md).
"""

from smpstudio.appearance.lookup import (
    DEEP_WARNING_MM,
    SHALLOW_WARNING_MM,
    Appearance,
    blur_sigma_mm,
    depth_warnings,
    lookup,
    lookup_many,
)
from smpstudio.optics.pigment import FRESH_PIGMENT_FRAC, pigment_frac_for

__all__ = [
    "DEEP_WARNING_MM",
    "FRESH_PIGMENT_FRAC",
    "SHALLOW_WARNING_MM",
    "Appearance",
    "blur_sigma_mm",
    "depth_warnings",
    "lookup",
    "lookup_many",
    "pigment_frac_for",
]
