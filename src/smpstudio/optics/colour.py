"""Reflectance spectra to colour: XYZ (D65, CIE 1931 2-degree), CIELAB, sRGB, CIEDE2000.

colour-science is the reference. :func:`xyz_weights` asks it once for the weight matrix of
a wavelength grid (spectrum -> XYZ is linear, so the matrix reproduces
``colour.sd_to_XYZ`` exactly, its interpolation and extrapolation included); the rest is
plain NumPy, fast enough for per-request lookups and free of the slow ``colour`` import.

Sources: CIE 15:2004 (colorimetry, CIELAB); IEC 61966-2-1:1999 (sRGB); Sharma, Wu &
Dalal, Color Res. Appl. 30:21-30 (2005) (CIEDE2000 and its test data).
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError

FloatArray = npt.NDArray[np.float64]

#: XYZ (D65-relative, Y of the white = 1) to linear sRGB, IEC 61966-2-1:1999.
XYZ_TO_LINEAR_SRGB = np.array(
    [
        [3.2406, -1.5372, -0.4986],
        [-0.9689, 1.8758, 0.0415],
        [0.0557, -0.2040, 1.0570],
    ]
)
#: CIE 1931 2-degree D65 white point, Y = 1 (CIE 15:2004, table T.3).
D65_WHITE_XYZ: tuple[float, float, float] = (0.95047, 1.0, 1.08883)
BLUE_SHIFT_WAVELENGTHS_NM: tuple[float, float] = (450.0, 650.0)
_LAB_DELTA = 6.0 / 29.0  # CIE 15:2004: where the cube-root branch of L*a*b* meets the linear one
#: An sRGB colour written ``"#RRGGBB"`` (either case).
SRGB_HEX_PATTERN = r"^#[0-9A-Fa-f]{6}$"
_HEX_RE = re.compile(SRGB_HEX_PATTERN)


def _import_colour() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import colour

    return colour


@lru_cache(maxsize=8)
def _xyz_weights_cached(wavelengths_nm: tuple[float, ...]) -> FloatArray:
    colour = _import_colour()
    cmfs = colour.MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    illuminant = colour.SDS_ILLUMINANTS["D65"]
    weights = np.empty((3, len(wavelengths_nm)))
    for i in range(len(wavelengths_nm)):
        basis = np.zeros(len(wavelengths_nm))
        basis[i] = 1.0
        sd = colour.SpectralDistribution(dict(zip(wavelengths_nm, basis, strict=True)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # colour warns when it interpolates or extrapolates
            weights[:, i] = colour.sd_to_XYZ(sd, cmfs, illuminant) / 100.0
    return weights


def xyz_weights(wavelengths_nm: npt.ArrayLike) -> FloatArray:
    """Weight matrix W, shape ``(3, n)``: XYZ = W @ reflectance, Y of a perfect white = 1.

    Parameters
    ----------
    wavelengths_nm
        Even grid, shape ``(n,)``, step 1, 5, 10 or 20 nm (ASTM E308, as colour-science
        requires), e.g. 400..700 step 10. colour-science extends the
        spectrum to 360-780 nm by repeating the end values, as ``colour.sd_to_XYZ`` does.
    """
    wl = np.asarray(wavelengths_nm, dtype=np.float64)
    steps = np.diff(wl) if wl.ndim == 1 else np.zeros(0)
    if (
        wl.ndim != 1
        or wl.size < 4
        or not (np.allclose(steps, steps[0]) and float(steps[0]) in (1.0, 5.0, 10.0, 20.0))
    ):
        raise InputError(
            "wavelengths_nm", wl.tolist(), "an even 1-D grid of >= 4 with step 1, 5, 10 or 20 nm"
        )
    return _xyz_weights_cached(tuple(float(x) for x in wl)).copy()


def spectra_to_xyz(reflectance: npt.ArrayLike, weights: FloatArray) -> FloatArray:
    """Reflectance ``(..., n)`` to XYZ ``(..., 3)`` (white Y = 1) with :func:`xyz_weights`."""
    return np.asarray(reflectance, dtype=np.float64) @ np.asarray(weights).T


def xyz_to_lab(xyz: npt.ArrayLike, white_xyz: npt.ArrayLike) -> FloatArray:
    """CIE 1976 L*a*b* (CIE 15:2004) of ``(..., 3)`` XYZ against the white ``(3,)``."""
    t = np.asarray(xyz, dtype=np.float64) / np.asarray(white_xyz, dtype=np.float64)
    delta = _LAB_DELTA
    f = np.where(t > delta**3, np.cbrt(t), t / (3.0 * delta**2) + 4.0 / 29.0)
    lab = np.empty(f.shape)
    lab[..., 0] = 116.0 * f[..., 1] - 16.0
    lab[..., 1] = 500.0 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200.0 * (f[..., 1] - f[..., 2])
    return lab


def lab_to_xyz(lab: npt.ArrayLike, white_xyz: npt.ArrayLike = D65_WHITE_XYZ) -> FloatArray:
    """XYZ ``(..., 3)`` of CIE 1976 L*a*b* ``(..., 3)`` against the white ``(3,)``: the inverse
    of :func:`xyz_to_lab` (CIE 15:2004)."""
    lab_a = np.asarray(lab, dtype=np.float64)
    fy = (lab_a[..., 0] + 16.0) / 116.0
    f = np.stack([fy + lab_a[..., 1] / 500.0, fy, fy - lab_a[..., 2] / 200.0], axis=-1)
    t = np.where(f > _LAB_DELTA, f**3, 3.0 * _LAB_DELTA**2 * (f - 4.0 / 29.0))
    return t * np.asarray(white_xyz, dtype=np.float64)


def xyz_to_linear_srgb(xyz: npt.ArrayLike) -> FloatArray:
    """Linear sRGB ``(..., 3)`` of D65 XYZ ``(..., 3)`` (white Y = 1); not clipped."""
    return np.asarray(xyz, dtype=np.float64) @ XYZ_TO_LINEAR_SRGB.T


def srgb_encode(linear_rgb: npt.ArrayLike) -> FloatArray:
    """The sRGB transfer function (IEC 61966-2-1) on values clipped to 0..1."""
    c = np.clip(np.asarray(linear_rgb, dtype=np.float64), 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1.0 / 2.4) - 0.055)


def is_srgb_hex(value: object) -> bool:
    """Whether ``value`` is a colour written ``"#RRGGBB"``."""
    return isinstance(value, str) and _HEX_RE.match(value) is not None


def srgb_decode(encoded: npt.ArrayLike) -> FloatArray:
    """The inverse sRGB transfer function (IEC 61966-2-1): encoded 0..1 to linear 0..1."""
    code = np.asarray(encoded, dtype=np.float64)
    return np.where(code <= 0.04045, code / 12.92, ((code + 0.055) / 1.055) ** 2.4)


def hex_to_linear_srgb(colour_hex: str, *, field: str = "colour_hex") -> FloatArray:
    """Linear sRGB ``(3,)`` of ``"#RRGGBB"``; :class:`InputError` naming ``field`` otherwise."""
    if not is_srgb_hex(colour_hex):
        raise InputError(field, colour_hex, "a colour #RRGGBB")
    code = np.array([int(colour_hex[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)
    return srgb_decode(code / 255.0)


def lab_to_srgb_hex(lab: npt.ArrayLike, white_xyz: npt.ArrayLike = D65_WHITE_XYZ) -> str:
    """``"#RRGGBB"`` of one CIELAB triple (D65, 2-degree observer), clipped to the gamut."""
    return linear_srgb_to_hex(xyz_to_linear_srgb(lab_to_xyz(lab, white_xyz)))


def linear_srgb_to_hex(linear_rgb: npt.ArrayLike) -> str:
    """``"#RRGGBB"`` of one linear sRGB triple (clipped to the gamut)."""
    encoded = np.rint(srgb_encode(linear_rgb) * 255.0).astype(int)
    if encoded.shape != (3,):
        raise InputError("linear_rgb", np.asarray(linear_rgb).shape, "one RGB triple")
    return "#{:02X}{:02X}{:02X}".format(*encoded.tolist())


def linear_srgb_to_hex_many(linear_rgb: npt.ArrayLike) -> list[str]:
    """``"#RRGGBB"`` of each row of an ``(N, 3)`` linear sRGB array (clipped to the gamut)."""
    encoded = np.rint(srgb_encode(linear_rgb) * 255.0).astype(int).reshape(-1, 3).tolist()
    return ["#{:02X}{:02X}{:02X}".format(*row) for row in encoded]


def delta_e_ciede2000(lab_1: npt.ArrayLike, lab_2: npt.ArrayLike) -> FloatArray:
    """CIEDE2000 colour difference (kL = kC = kH = 1) of ``(..., 3)`` Lab arrays.

    Follows Sharma, Wu & Dalal (2005), including their notes on hue angles.
    """
    l1, a1, b1 = np.moveaxis(np.asarray(lab_1, dtype=np.float64), -1, 0)
    l2, a2, b2 = np.moveaxis(np.asarray(lab_2, dtype=np.float64), -1, 0)
    c_bar = 0.5 * (np.hypot(a1, b1) + np.hypot(a2, b2))
    g = 0.5 * (1.0 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1.0 + g) * a1, (1.0 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360.0
    zero = (c1p * c2p) == 0.0
    dh = h2p - h1p
    dh = np.where(dh > 180.0, dh - 360.0, np.where(dh < -180.0, dh + 360.0, dh))
    dh = np.where(zero, 0.0, dh)
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2.0 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh) / 2.0)
    l_bar, cp_bar = 0.5 * (l1 + l2), 0.5 * (c1p + c2p)
    h_sum = h1p + h2p
    h_bar = np.where(
        np.abs(h1p - h2p) <= 180.0,
        0.5 * h_sum,
        np.where(h_sum < 360.0, 0.5 * (h_sum + 360.0), 0.5 * (h_sum - 360.0)),
    )
    h_bar = np.where(zero, h_sum, h_bar)
    t = (
        1.0
        - 0.17 * np.cos(np.radians(h_bar - 30.0))
        + 0.24 * np.cos(np.radians(2.0 * h_bar))
        + 0.32 * np.cos(np.radians(3.0 * h_bar + 6.0))
        - 0.20 * np.cos(np.radians(4.0 * h_bar - 63.0))
    )
    d_theta = 30.0 * np.exp(-(((h_bar - 275.0) / 25.0) ** 2))
    r_c = 2.0 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    s_l = 1.0 + 0.015 * (l_bar - 50.0) ** 2 / np.sqrt(20.0 + (l_bar - 50.0) ** 2)
    s_c = 1.0 + 0.045 * cp_bar
    s_h = 1.0 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2.0 * d_theta)) * r_c
    return np.sqrt(
        (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h)
    )


def delta_e_ciede2000_scalar(
    lab_1: tuple[float, float, float], lab_2: tuple[float, float, float]
) -> float:
    """:func:`delta_e_ciede2000` of one pair, as a float."""
    return float(delta_e_ciede2000(lab_1, lab_2))


def blue_shift_index(
    dot_reflectance: npt.ArrayLike,
    skin_reflectance: npt.ArrayLike,
    wavelengths_nm: npt.ArrayLike,
) -> FloatArray:
    """How much bluer than a neutral darkening the dot reads: 1 - ln(r_450) / ln(r_650).

    ``r = R_dot / R_skin`` is the share of the skin's reflectance the dot keeps, at 450 and
    650 nm. 0: a neutral (grey) darkening, the same log attenuation in blue and red; 1: the
    dot darkens the red and leaves the blue untouched (a pure blue cast); between, the share
    of the red darkening that the blue is spared; < 0: the dot darkens blue more (a warm,
    brown cast). No darkening at 650 nm gives 0. Larger means bluer against the skin. The
    reason for this form rather than ln(r_450 / r_650) is in docs/optics.md, section 5.
    Spectra are ``(..., n)`` on ``wavelengths_nm`` (linear interpolation).
    """
    wl = np.asarray(wavelengths_nm, dtype=np.float64)
    dot = np.asarray(dot_reflectance, dtype=np.float64)
    skin = np.asarray(skin_reflectance, dtype=np.float64)
    blue, red = BLUE_SHIFT_WAVELENGTHS_NM
    if not (wl[0] <= blue and red <= wl[-1]):
        raise InputError("wavelengths_nm", (wl[0], wl[-1]), "a grid covering 450..650 nm")

    def at(spectra: FloatArray, target: float) -> FloatArray:
        i = int(np.clip(np.searchsorted(wl, target) - 1, 0, wl.size - 2))
        w = (target - wl[i]) / (wl[i + 1] - wl[i])
        return (1.0 - w) * spectra[..., i] + w * spectra[..., i + 1]

    log_blue = np.log(at(dot, blue) / at(skin, blue))
    log_red = np.log(at(dot, red) / at(skin, red))
    return blue_shift_from_log_ratios(log_blue, log_red)


def blue_shift_from_log_ratios(log_blue: npt.ArrayLike, log_red: npt.ArrayLike) -> FloatArray:
    """:func:`blue_shift_index` from ln(R_dot/R_skin) at 450 and 650 nm (any shape)."""
    lb = np.asarray(log_blue, dtype=np.float64)
    lr = np.asarray(log_red, dtype=np.float64)
    darkened = np.abs(lr) > 1e-12
    return np.where(darkened, 1.0 - lb / np.where(darkened, lr, 1.0), 0.0)


def ita_deg(lab: npt.ArrayLike) -> FloatArray:
    """Individual Typology Angle atan((L* - 50) / b*) in degrees (Chardon et al. 1991)."""
    lab_a = np.asarray(lab, dtype=np.float64)
    return np.degrees(np.arctan2(lab_a[..., 0] - 50.0, lab_a[..., 2]))


__all__ = [
    "BLUE_SHIFT_WAVELENGTHS_NM",
    "D65_WHITE_XYZ",
    "SRGB_HEX_PATTERN",
    "blue_shift_from_log_ratios",
    "blue_shift_index",
    "delta_e_ciede2000",
    "delta_e_ciede2000_scalar",
    "hex_to_linear_srgb",
    "is_srgb_hex",
    "ita_deg",
    "lab_to_srgb_hex",
    "lab_to_xyz",
    "linear_srgb_to_hex",
    "linear_srgb_to_hex_many",
    "spectra_to_xyz",
    "srgb_decode",
    "srgb_encode",
    "xyz_to_lab",
    "xyz_to_linear_srgb",
    "xyz_weights",
]
