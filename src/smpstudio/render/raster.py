"""Area-correct anti-aliased pigment dots: discs drawn into linear-RGB images.

Geometry
--------
Pixel ``(row, col)`` covers ``[col, col + 1) x [row, row + 1)``; a dot is a disc with centre
``(x, y) = (column, row)`` in pixels and radius ``r`` in pixels. The coverage of a pixel is the
exact area of the disc inside that unit square, so a dot smaller than a pixel darkens it by its
true area (a 0.12 mm dot at 0.15 mm per pixel, r = 0.4 px, covers 0.503 px^2 wherever it lies)
and the coverages of one dot sum to ``pi r^2`` (minus what lies outside the image).

The area comes in closed form from integrating the chord length along x (no supersampling).
With the centre at the origin, let ``H(x) = integral_0^x sqrt(r^2 - t^2) dt =
(x sqrt(r^2 - x^2) + r^2 asin(x / r)) / 2`` (x clamped to [-r, r]) and, for a height ``y``,
``s = sqrt(r^2 - y^2)`` the half chord there. The part of the disc in ``{X <= x, Y <= -|y|}``
(a cap) is ``C(x, y) = H(xs) + H(s) - |y| (xs + s)`` with ``xs = clamp(x, -s, s)``, and the
corner function ``F(x, y)`` = area of the disc in ``{X <= x, Y <= y}`` is ``C`` for ``y < 0``
and ``2 H(x) + pi r^2 / 2 - C(x, y)`` otherwise (the half-plane minus the upper cap). A pixel's
area is ``F(x1, y1) - F(x0, y1) - F(x1, y0) + F(x0, y0)``. ``H`` is needed only at the footprint's
column and row edges, so a dot costs ``n_cols + n_rows + 2`` arcsines. The tests check it
against an independent circular-segment formula (``_raster_reference``) to 1e-12 px^2.

Blur
----
A dot may carry a Gaussian blur ``sigma`` (pixels; pigment deeper in the dermis looks more
blurred): the drawn shape is the disc convolved with an isotropic Gaussian, the blurred disc of
``_raster_reference.blurred_disc_intensity`` (Marcum Q). Its per-pixel coverage is computed from
the exact disc area and first moments in sub-cells of side ``1 / sub`` px aligned with the pixel
grid (``sub = ceil(2 / sigma)`` clipped to 2..16): each cell is a uniform square moved to its
part's centroid (to first order), convolved with the Gaussian and integrated over each pixel in
closed form, separably (``Phi`` and its integral on a lattice, three small matrix products).
Interior cells are exact; the edge cells' error is third order in the cell size. The total is
conserved to 6e-7 (the 5-sigma truncation); sigma below 1/64 px draws the exact sharp disc
(the blur would move < 0.25 sigma px^2 per pixel). Against brute-force quadrature of the exact
blurred disc the per-pixel error is 5e-6 .. 3e-4 px^2 for r 0.3..3 px and sigma 0.05..2 px
(``tests/render/test_raster_blur.py``). Cost: 30-80 us per blurred dot against ~1 us sharp.

Compositing
-----------
In linear RGB, dot by dot in array order (later dots on top): with ``a = coverage * opacity``,
``"over"``: ``pixel = pixel (1 - a) + dot_rgb a``; ``"multiply"`` (photo previews):
``pixel = pixel ((1 - a) + a dot_rgb / reference_rgb)`` where ``reference_rgb`` is the skin the
dot colour was predicted on, so a dot on a lighter or darker patch of the photo keeps its
contrast ratio. Where two dots overlap inside one pixel their coverages are treated as
independent (Porter and Duff 1984, "Compositing digital images", SIGGRAPH): two dots each
covering half a pixel give ``a = 0.75``, whatever the true union. Healed SMP dots are spaced
wider than their diameter, so this is rare and small.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

import numpy as np
import numpy.typing as npt
from numba import njit

from smpstudio.errors import InputError
from smpstudio.optics.colour import srgb_encode
from smpstudio.render import _raster_kernels as kernels

Mode = Literal["over", "multiply"]
MODES: tuple[Mode, ...] = ("over", "multiply")
#: Largest side accepted by :func:`coverage_image` (a float64 image of 16384^2 is 2 GiB).
MAX_SIDE_PX = 16384


def _per_dot(name: str, value: npt.ArrayLike, n: int, width: int | None = None) -> np.ndarray:
    """``value`` as float64 of shape (n,) or (n, width), broadcasting scalars; finite."""
    shape = (n,) if width is None else (n, width)
    arr = np.asarray(value, dtype=np.float64)
    try:
        arr = np.ascontiguousarray(np.broadcast_to(arr, shape))
    except ValueError:
        raise InputError(name, arr.shape, f"an array of shape {shape}") from None
    if not np.isfinite(arr).all():
        raise InputError(name, "non-finite values", "finite numbers")
    return arr


def _dot_columns(
    centers_px: npt.ArrayLike, radius_px: npt.ArrayLike, blur_sigma_px: npt.ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    centers = np.asarray(centers_px, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise InputError("centers_px", centers.shape, "an array of shape (N, 2) as (x, y)")
    n = centers.shape[0]
    centers = _per_dot("centers_px", centers, n, 2)
    radius = _per_dot("radius_px", radius_px, n)
    if (radius < 0.0).any():
        raise InputError("radius_px", float(radius.min()), ">= 0")
    sigma = np.zeros(n) if blur_sigma_px is None else _per_dot("blur_sigma_px", blur_sigma_px, n)
    if (sigma < 0.0).any():
        raise InputError("blur_sigma_px", float(sigma.min()), ">= 0")
    return centers, radius, sigma


def splat_dots(
    image: npt.NDArray[np.float32],
    centers_px: npt.ArrayLike,
    radius_px: npt.ArrayLike,
    rgb: npt.ArrayLike,
    opacity: npt.ArrayLike,
    blur_sigma_px: npt.ArrayLike | None = None,
    mode: Mode = "over",
    multiply_reference_rgb: npt.ArrayLike | None = None,
) -> None:
    """Draw dots into a linear-RGB image, in place, area-correct and anti-aliased.

    Parameters
    ----------
    image : ndarray, shape (H, W, 3), float32, C-contiguous
        Linear RGB, modified in place. Any size; 1e5 sharp dots into 4096 x 4096 take ~0.1 s.
    centers_px : array_like, shape (N, 2)
        Dot centres in pixels as (x = column, y = row); pixel (r, c) covers [c, c+1) x [r, r+1).
        Any finite value: dots partly or wholly outside the image are clipped exactly.
    radius_px : array_like, shape (N,) or scalar
        Disc radius in pixels, >= 0.
    rgb : array_like, shape (N, 3) or (3,)
        Linear RGB of each dot, >= 0.
    opacity : array_like, shape (N,) or scalar
        0..1; the alpha of a pixel is coverage * opacity.
    blur_sigma_px : array_like, shape (N,) or scalar, optional
        Gaussian blur standard deviation in pixels, >= 0 (None or 0: the exact sharp disc).
    mode : {"over", "multiply"}
        Compositing rule, see the module docstring.
    multiply_reference_rgb : array_like, shape (3,), optional
        Linear RGB (> 0) of the skin the dot colours refer to; required for ``"multiply"``
        and only allowed there.

    Raises
    ------
    InputError
        Wrong dtype, shape or layout of ``image``; shapes that do not match N; non-finite or
        out-of-range values; a mode other than "over" or "multiply".
    """
    if not isinstance(image, np.ndarray) or image.dtype != np.float32:
        raise InputError("image", getattr(image, "dtype", type(image)), "a float32 ndarray")
    if image.ndim != 3 or image.shape[2] != 3:
        raise InputError("image", image.shape, "shape (H, W, 3)")
    if not image.flags.c_contiguous or not image.flags.writeable:
        raise InputError("image", "a non-contiguous or read-only array", "C-contiguous, writeable")
    if mode not in MODES:
        raise InputError("mode", mode, " or ".join(MODES))
    centers, radius, sigma = _dot_columns(centers_px, radius_px, blur_sigma_px)
    n = centers.shape[0]
    colours = _per_dot("rgb", rgb, n, 3)
    if (colours < 0.0).any():
        raise InputError("rgb", float(colours.min()), "linear RGB >= 0")
    alpha = _per_dot("opacity", opacity, n)
    if ((alpha < 0.0) | (alpha > 1.0)).any():
        raise InputError("opacity", float(alpha[(alpha < 0.0) | (alpha > 1.0)][0]), "0..1")
    if mode == "multiply":
        if multiply_reference_rgb is None:
            raise InputError("multiply_reference_rgb", None, "linear RGB (3,) > 0 for multiply")
        reference = np.asarray(multiply_reference_rgb, dtype=np.float64)
        if reference.shape != (3,) or not (np.isfinite(reference).all() and (reference > 0).all()):
            raise InputError("multiply_reference_rgb", reference.tolist(), "3 finite values > 0")
    elif multiply_reference_rgb is not None:
        raise InputError("multiply_reference_rgb", multiply_reference_rgb, "None in mode 'over'")
    else:
        reference = np.ones(3)
    if n == 0:
        return
    kernel_mode = kernels.MODE_MULTIPLY if mode == "multiply" else kernels.MODE_OVER
    kernels.splat_kernel(image, centers, radius, colours, alpha, sigma, kernel_mode, reference)


def coverage_image(
    height_px: int,
    width_px: int,
    centers_px: npt.ArrayLike,
    radius_px: npt.ArrayLike,
    blur_sigma_px: npt.ArrayLike | None = None,
) -> npt.NDArray[np.float64]:
    """Sum of the dots' coverages per pixel (px^2 per px^2), for tests and masks.

    Parameters are as in :func:`splat_dots`; ``height_px`` and ``width_px`` are 1..16384.
    Returns float64 (height_px, width_px); a dot fully inside adds ``pi r^2`` in total.
    """
    for name, side in (("height_px", height_px), ("width_px", width_px)):
        if isinstance(side, bool) or not isinstance(side, int | np.integer):
            raise InputError(name, side, f"an integer 1..{MAX_SIDE_PX}")
        if not 1 <= side <= MAX_SIDE_PX:
            raise InputError(name, side, f"1..{MAX_SIDE_PX}")
    centers, radius, sigma = _dot_columns(centers_px, radius_px, blur_sigma_px)
    out = np.zeros((int(height_px), int(width_px)))
    if centers.shape[0]:
        kernels.coverage_kernel(out, centers, radius, sigma)
    return out


# --- linear RGB -> 8-bit sRGB ---------------------------------------------------------------


def _srgb8_direct(linear: npt.NDArray[np.float32]) -> npt.NDArray[np.uint8]:
    """round(255 * encode(clip(x, 0, 1))), evaluated directly (the definition)."""
    return np.round(255.0 * srgb_encode(linear.astype(np.float64))).astype(np.uint8)


@cache
def _srgb8_tables() -> tuple[npt.NDArray[np.float32], npt.NDArray[np.uint8]]:
    """Thresholds and a coarse index making the fast path bit-identical to the definition.

    ``thresholds[k - 1]`` is the smallest float32 whose 8-bit sRGB code is >= k (k = 1..255),
    found by bisection over float32 bit patterns with :func:`_srgb8_direct`; ``start[b]`` is the
    code of the float32 with bit pattern ``b << 16`` (codes only rise within a block).
    """
    lo = np.zeros(255, dtype=np.int64)
    hi = np.full(255, int(np.float32(1.0).view(np.int32)), dtype=np.int64)
    target = np.arange(1, 256)
    while (hi - lo > 1).any():  # invariant: code(lo) < k <= code(hi)
        mid = (lo + hi) // 2
        code = _srgb8_direct(mid.astype(np.int32).view(np.float32))
        above = code >= target
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    thresholds = hi.astype(np.int32).view(np.float32)
    starts = (np.arange(0x3F81, dtype=np.int64) << 16).astype(np.int32).view(np.float32)
    return thresholds, _srgb8_direct(starts)


@njit(cache=True, nogil=True)
def _srgb8_kernel(
    bits: npt.NDArray[np.uint32],
    values: npt.NDArray[np.float32],
    thresholds: npt.NDArray[np.float32],
    start: npt.NDArray[np.uint8],
    out: npt.NDArray[np.uint8],
) -> int:
    """Encode a flat float32 array through the tables; returns the number of NaNs seen."""
    n_nan = 0
    one = np.uint32(0x3F800000)
    for i in range(bits.size):
        b = bits[i]
        if b >= np.uint32(0x80000000):  # negative, -0 or negative NaN
            if b > np.uint32(0xFF800000):
                n_nan += 1
            out[i] = 0
        elif b >= one:  # >= 1.0, +inf or NaN
            if b > np.uint32(0x7F800000):
                n_nan += 1
            out[i] = 255
        else:
            code = int(start[b >> np.uint32(16)])
            x = values[i]
            while code < 255 and x >= thresholds[code]:
                code += 1
            out[i] = code
    return n_nan


def linear_to_srgb8(image: npt.ArrayLike) -> npt.NDArray[np.uint8]:
    """Linear RGB to 8-bit sRGB: ``round(255 * srgb_encode(clip(x, 0, 1)))``.

    The transfer function is IEC 61966-2-1:1999 (identical to colour-science's
    ``cctf_encoding(x, function="sRGB")``, which the tests compare against at every code
    boundary). Input is evaluated as float32; values outside 0..1 are clipped.

    Parameters
    ----------
    image : array_like, shape (..., 3)
        Linear RGB, any float dtype (converted to float32), typically (H, W, 3).

    Returns
    -------
    ndarray of uint8, same shape.

    Raises
    ------
    InputError
        If the last axis is not 3 or a value is NaN.
    """
    arr = np.ascontiguousarray(image, dtype=np.float32)
    if arr.ndim < 1 or arr.shape[-1] != 3:
        raise InputError("image", arr.shape, "an array of shape (..., 3)")
    thresholds, start = _srgb8_tables()
    flat = arr.reshape(-1)
    out = np.empty(flat.shape, dtype=np.uint8)
    if _srgb8_kernel(flat.view(np.uint32), flat, thresholds, start, out):
        raise InputError("image", "NaN values", "finite linear RGB")
    return out.reshape(arr.shape)
