"""Predicted colour of a pigment dot against the surrounding skin, from the appearance table.

:func:`lookup` answers one question (one Fitzpatrick type, depth and load) with everything
docs/interface.md section 6 reports; :func:`lookup_many` answers many dots at once for the
renderer. Both interpolate the packaged table (:mod:`smpstudio.appearance.table`) and take
well under a millisecond per query.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from smpstudio.appearance.table import AppearanceTable, load_table
from smpstudio.errors import InputError
from smpstudio.optics import colour as col
from smpstudio.optics.pigment import MAX_PIGMENT_FRAC

FloatArray = npt.NDArray[np.float64]

#: Pigment shallower than this sloughs off with the renewing epidermis (scalp epidermis
#: 0.06-0.10 mm; SMP practice, docs/references.md).
SHALLOW_WARNING_MM = 0.1
#: Deeper than this the dot blurs, takes a blue cast and may spread ("blowout").
DEEP_WARNING_MM = 1.0


@dataclass(frozen=True, kw_only=True)
class Appearance:
    """Colour of a dot and of the skin around it (CIELAB D65/2-degree, specular excluded).

    ``delta_b`` is b*(dot) - b*(skin): negative when the dot is bluer (less yellow).
    ``blue_shift_index`` is defined in :func:`smpstudio.optics.colour.blue_shift_index`
    and docs/optics.md: larger means bluer against the skin, 0 a neutral darkening.
    ``blur_sigma_mm`` is the Gaussian blur of the dot's edge (appearance.blur).
    """

    fitzpatrick: int
    depth_mm: float
    pigment_frac: float
    skin_lab: tuple[float, float, float]
    dot_lab: tuple[float, float, float]
    skin_srgb_hex: str
    dot_srgb_hex: str
    skin_linear_rgb: tuple[float, float, float]
    dot_linear_rgb: tuple[float, float, float]
    delta_e2000: float
    delta_b: float
    blue_shift_index: float
    blur_sigma_mm: float
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """docs/interface.md section 6, JSON-ready."""
        return {
            "skin": {"lab": list(self.skin_lab), "srgb_hex": self.skin_srgb_hex},
            "dot": {"lab": list(self.dot_lab), "srgb_hex": self.dot_srgb_hex},
            "delta_e2000": self.delta_e2000,
            "delta_b": self.delta_b,
            "blue_shift_index": self.blue_shift_index,
            "warnings": list(self.warnings),
        }


def depth_warnings(depth_mm: float) -> tuple[str, ...]:
    """Risks of a pigment depth, as sentences (empty when 0.1 <= depth_mm <= 1.0)."""
    if depth_mm < SHALLOW_WARNING_MM:
        return (
            f"pigment at {depth_mm:.2f} mm is too shallow to last: above "
            f"{SHALLOW_WARNING_MM} mm it sits in or just under the epidermis (about 0.07 mm "
            "on the scalp) and sloughs off as the skin renews",
        )
    if depth_mm > DEEP_WARNING_MM:
        return (
            f"pigment at {depth_mm:.2f} mm is too deep: below {DEEP_WARNING_MM} mm the dot "
            "blurs, takes a blue cast and may spread (blowout)",
        )
    return ()


def _check_scalar(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.floating | np.integer):
        raise InputError(name, value, "a number")
    v = float(value)
    if not math.isfinite(v):
        raise InputError(name, value, "a finite number")
    return v


def lookup(
    fitzpatrick: int, depth_mm: float, pigment_frac: float, *, table: AppearanceTable | None = None
) -> Appearance:
    """Colour of a dot and of the skin around it.

    Parameters
    ----------
    fitzpatrick
        Skin type 1..6.
    depth_mm
        Depth of the pigment band's centre below the skin surface, 0.05..2.0 mm.
    pigment_frac
        Relative pigment load, 0..2 (1 = neat healed; see :mod:`smpstudio.optics.pigment`).
    table
        A table other than the packaged one (tests, rebuilt tables).

    Raises
    ------
    InputError
        Any argument outside its range.
    """
    t = table or load_table()
    depth = _check_scalar("depth_mm", depth_mm)
    frac = _check_scalar("pigment_frac", pigment_frac)
    if not 0.0 <= frac <= MAX_PIGMENT_FRAC:
        raise InputError("pigment_frac", pigment_frac, f"0..{MAX_PIGMENT_FRAC}")
    if not t.depth_list[0] <= depth <= t.depth_list[-1]:
        raise InputError("depth_mm", depth_mm, f"{t.depth_list[0]:g}..{t.depth_list[-1]:g}")
    f = t.fitzpatrick_index(fitzpatrick)
    spectra = np.stack([t.skin_reflectance[f], t.dot_spectrum(f, depth, frac)])
    xyz = spectra @ t.xyz_weights.T
    lab = col.xyz_to_lab(xyz, t.white_xyz).tolist()
    rgb = col.xyz_to_linear_srgb(xyz)
    skin_lab, dot_lab = tuple(lab[0]), tuple(lab[1])
    skin_hex, dot_hex = col.linear_srgb_to_hex_many(rgb)
    blue, red = _blue_red_index(t)
    ratio = spectra[1] / spectra[0]
    return Appearance(
        fitzpatrick=int(fitzpatrick),
        depth_mm=depth,
        pigment_frac=frac,
        skin_lab=skin_lab,
        dot_lab=dot_lab,
        skin_srgb_hex=skin_hex,
        dot_srgb_hex=dot_hex,
        skin_linear_rgb=_triple(rgb[0]),
        dot_linear_rgb=_triple(rgb[1]),
        delta_e2000=col.delta_e_ciede2000_scalar(skin_lab, dot_lab),
        delta_b=dot_lab[2] - skin_lab[2],
        blue_shift_index=float(
            col.blue_shift_from_log_ratios(math.log(ratio[blue]), math.log(ratio[red]))
        ),
        blur_sigma_mm=_interp_blur(t, depth),
        warnings=depth_warnings(depth),
    )


def _interp_blur(table: AppearanceTable, depth_mm: float) -> float:
    d = table.depth_list
    i = min(max(bisect.bisect_right(d, depth_mm) - 1, 0), len(d) - 2)
    w = (depth_mm - d[i]) / (d[i + 1] - d[i])
    sigma = table.blur_sigma_mm
    return float((1.0 - w) * sigma[i] + w * sigma[i + 1])


def _blue_red_index(table: AppearanceTable) -> tuple[int, int]:
    """Indices of 450 and 650 nm (the blue_shift_index wavelengths) in the table's grid."""
    wl = table.wavelengths_nm.tolist()
    blue, red = col.BLUE_SHIFT_WAVELENGTHS_NM
    if blue not in wl or red not in wl:
        raise InputError("table.wavelengths_nm", (wl[0], wl[-1]), "a grid holding 450 and 650")
    return wl.index(blue), wl.index(red)


def lookup_many(
    fitzpatrick: int,
    depth_mm: npt.ArrayLike,
    pigment_frac: npt.ArrayLike,
    *,
    table: AppearanceTable | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Linear sRGB of many dots and of the skin, vectorised for the renderer.

    Parameters
    ----------
    fitzpatrick
        Skin type 1..6.
    depth_mm, pigment_frac
        Shape ``(N,)`` each (broadcastable): depth 0.05..2.0 mm and load 0..2 of each dot.

    Returns
    -------
    dot_linear_rgb
        ``(N, 3)``, not clipped (values are inside 0..1 for real skin).
    skin_linear_rgb
        ``(3,)``.
    """
    t = table or load_table()
    f = t.fitzpatrick_index(fitzpatrick)
    depth = np.atleast_1d(np.asarray(depth_mm, dtype=np.float64))
    frac = np.atleast_1d(np.asarray(pigment_frac, dtype=np.float64))
    if depth.ndim != 1 or frac.ndim != 1:
        raise InputError("depth_mm", depth.shape, "1-D arrays of dot depths and loads")
    if not (np.all(np.isfinite(depth)) and np.all(np.isfinite(frac))):
        raise InputError("depth_mm/pigment_frac", "NaN or inf", "finite numbers")
    depth, frac = np.broadcast_arrays(depth, frac)
    # Dots of one session share their depth and load: colour each distinct pair once.
    keys, inverse = np.unique(depth + 1j * frac, return_inverse=True)  # exact pairs
    spectra = t.dot_spectra(fitzpatrick, keys.real, keys.imag)
    dot_rgb = col.xyz_to_linear_srgb(col.spectra_to_xyz(spectra, t.xyz_weights))[inverse.ravel()]
    skin_rgb = col.xyz_to_linear_srgb(col.spectra_to_xyz(t.skin_reflectance[f], t.xyz_weights))
    return dot_rgb.reshape(-1, 3), skin_rgb


def blur_sigma_mm(depth_mm: npt.ArrayLike, fitzpatrick: int = 3) -> FloatArray:
    """Gaussian blur sigma (mm) of dots at ``depth_mm`` (any shape), from the table's record.

    Derived by diffusion theory (:mod:`smpstudio.appearance.blur`); grows with depth.
    """
    t = load_table()
    t.fitzpatrick_index(fitzpatrick)
    depth = np.asarray(depth_mm, dtype=np.float64)
    if not np.all((depth >= t.depth_mm[0]) & (depth <= t.depth_mm[-1])):
        raise InputError("depth_mm", depth.tolist(), f"{t.depth_mm[0]:g}..{t.depth_mm[-1]:g}")
    return np.interp(depth, t.depth_mm, t.blur_sigma_mm)


def _triple(values: FloatArray) -> tuple[float, float, float]:
    return (float(values[0]), float(values[1]), float(values[2]))
