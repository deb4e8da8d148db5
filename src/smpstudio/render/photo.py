"""Photo preview: the planned dots, healed, drawn into the client's own photograph.

The masked scalp of the photo is filled with blue-noise dots at the planned density
(``design.bluenoise`` on a flat metric at the photo's mm-per-pixel scale, in the design's
sessions so each dot carries its session's dilution), each dot's healed colour and blur
from the appearance table. Dots are composited with the rasteriser's ``"multiply"`` rule
against the table's skin colour: a dot darkens the photo's own pixel by the table's
dot-to-skin ratio, so the photo's lighting, shadows and skin texture stay as they are.

Photos (their bytes: the edge reads the file) are checked before any pixel is decoded: PNG,
JPEG or WebP only, at most 30 MB and 40 megapixels; Pillow's decompression-bomb guard is turned
into an error, EXIF orientation is applied and the mode converted to RGB. Anything unusable
raises :class:`PhotoError`.
"""

from __future__ import annotations

import io
import json
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from PIL import Image, ImageOps, UnidentifiedImageError

from smpstudio.appearance import lookup_many
from smpstudio.design.attributes import dot_attributes
from smpstudio.design.bluenoise import sample_progressive
from smpstudio.design.build_up import cumulative_fracs
from smpstudio.errors import InputError, PhotoError
from smpstudio.optics.colour import srgb_decode
from smpstudio.planning.streams import rng_for
from smpstudio.render.halo import apply_darkening, halo_darkening
from smpstudio.render.raster import linear_to_srgb8, splat_dots
from smpstudio.render.shading import draw_label, png_bytes
from smpstudio.render.states import core_blur_sigma_mm, halo_area_mm2, halo_sigma_mm
from smpstudio.units import per_cm2_to_per_mm2

FloatArray = npt.NDArray[np.float64]

PHOTO_FORMATS = ("PNG", "JPEG", "WEBP")
MAX_PHOTO_BYTES = 30 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
MM_PER_PX_RANGE = (0.01, 1.0)
DENSITY_RANGE_PER_CM2 = (10.0, 150.0)
GRID_STEP_MM = 1.0
NO_HAIRLINE_MM = 99.0  # dot_attributes: far behind any hairline, the body needle throughout
PREVIEW_LABEL = "Illustrative preview - not a guarantee"


def decode_photo(data: bytes, *, name: str = "photo") -> npt.NDArray[np.uint8]:
    """A checked client photo as 8-bit sRGB ``(H, W, 3)``, upright (EXIF orientation applied).

    ``data`` is the file's bytes (the edge reads the file:
    :func:`smpstudio.io.photo_file.load_photo`); ``name`` goes into the messages.

    Raises
    ------
    PhotoError
        Unreadable, too large (bytes or pixels), a decompression bomb, or not PNG/JPEG/WebP.
    """
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError("photo", f"{len(data)} bytes", f"at most {MAX_PHOTO_BYTES} bytes (30 MB)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(PHOTO_FORMATS))
            w, h = image.size
            if w * h > MAX_PHOTO_PIXELS:
                raise PhotoError("photo", f"{w} x {h} pixels", "at most 40 megapixels")
            image.load()
            rgb = ImageOps.exif_transpose(image).convert("RGB")
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("photo", name, "an image of at most 40 megapixels") from None
    except UnidentifiedImageError:
        raise PhotoError("photo", name, "a PNG, JPEG or WebP image") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoError("photo", name, f"a readable image ({exc})") from None
    return np.asarray(rgb, dtype=np.uint8).copy()


def parse_mask(data: Any, width_px: int, height_px: int) -> FloatArray:
    """The scalp mask polygon ``(K, 2)`` as (x, y) pixels, checked against the image size.

    ``data`` is parsed JSON (or JSON text): a list of ``[x, y]`` points or
    ``{"polygon_px": [[x, y], ...]}``; at least 3 points, all inside the image, forming a
    simple polygon of positive area.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InputError("mask", f"invalid JSON ({exc.msg})", "JSON polygon") from None
    if isinstance(data, dict):
        if set(data) != {"polygon_px"}:
            raise InputError("mask", sorted(data), 'a list of [x, y] or {"polygon_px": [...]}')
        data = data["polygon_px"]
    if not isinstance(data, list) or not all(
        isinstance(p, list | tuple)
        and len(p) == 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p)
        for p in data
    ):
        raise InputError("mask.polygon_px", _short(data), "a list of [x, y] pixel points")
    pts = np.asarray(data, dtype=np.float64).reshape(-1, 2)
    if pts.shape[0] < 3:
        raise InputError("mask.polygon_px", f"{pts.shape[0]} points", "at least 3 points")
    if not np.all(np.isfinite(pts)):
        raise InputError("mask.polygon_px", "non-finite values", "finite pixel coordinates")
    bad = (pts[:, 0] < 0) | (pts[:, 0] > width_px) | (pts[:, 1] < 0) | (pts[:, 1] > height_px)
    if bad.any():
        raise InputError(
            "mask.polygon_px",
            pts[bad][0].tolist(),
            f"points inside the image, x 0..{width_px} and y 0..{height_px}",
        )
    poly = shapely.Polygon(pts)
    if not poly.is_valid or poly.area <= 0.0:
        raise InputError("mask.polygon_px", "a self-crossing or flat polygon", "a simple polygon")
    return pts


def _short(value: Any) -> Any:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True, kw_only=True)
class PhotoDotSpec:
    """What the preview needs from the case (filled by the CLI from ``design`` and ``skin``)."""

    density_per_cm2: float
    fitzpatrick: int
    depth_mm: float
    sessions: int
    seed: int

    def __post_init__(self) -> None:
        lo, hi = DENSITY_RANGE_PER_CM2
        if not lo <= self.density_per_cm2 <= hi:
            raise InputError("design.density_per_cm2", self.density_per_cm2, f"{lo:g}..{hi:g}")
        cumulative_fracs(self.sessions)


def check_mm_per_px(mm_per_px: float) -> float:
    """``mm_per_px`` if finite and within :data:`MM_PER_PX_RANGE`, else :class:`InputError`."""
    lo, hi = MM_PER_PX_RANGE
    if isinstance(mm_per_px, bool) or not isinstance(mm_per_px, int | float):
        raise InputError("mm_per_px", mm_per_px, f"a number {lo:g}..{hi:g}")
    if not (math.isfinite(mm_per_px) and lo <= mm_per_px <= hi):
        raise InputError("mm_per_px", mm_per_px, f"{lo:g}..{hi:g}")
    return float(mm_per_px)


def photo_dots(mask_px: FloatArray, mm_per_px: float, spec: PhotoDotSpec) -> dict[str, FloatArray]:
    """Healed dots inside the mask: ``xy_px`` (N, 2), ``radius_px``, ``blur_px``, ``rgb``
    (N, 3) and the table's ``skin_rgb`` (3,)."""
    mm = check_mm_per_px(mm_per_px)
    poly_mm = shapely.Polygon(mask_px * mm)
    lo_u, lo_v, hi_u, hi_v = poly_mm.bounds
    nx = max(1, math.ceil((hi_u - lo_u) / GRID_STEP_MM))
    ny = max(1, math.ceil((hi_v - lo_v) / GRID_STEP_MM))
    cu = lo_u + (np.arange(nx) + 0.5) * GRID_STEP_MM
    cv = lo_v + (np.arange(ny) + 0.5) * GRID_STEP_MM
    uu, vv = np.meshgrid(cu, cv)
    inside = shapely.contains_xy(poly_mm, uu, vv)
    density = np.where(inside, per_cm2_to_per_mm2(spec.density_per_cm2), 0.0)
    if not inside.any() or density.sum() * GRID_STEP_MM**2 < 1.0:
        raise InputError("mask.polygon_px", f"{poly_mm.area:.1f} mm2", "an area holding dots")
    rng = rng_for(spec.seed, "photo_dots")
    fracs = cumulative_fracs(spec.sessions)
    res = sample_progressive(
        density, origin_mm=(lo_u, lo_v), step_mm=GRID_STEP_MM, stage_fracs=fracs, rng=rng
    )
    n = res.points_mm.shape[0]
    session = res.stage.astype(np.int64) + 1
    attrs = dot_attributes(
        hairline_distance_mm=np.full(n, NO_HAIRLINE_MM),
        session=session,
        on_scar=np.zeros(n, dtype=bool),
        sessions=spec.sessions,
        depth_mm=spec.depth_mm,
        rng=rng,
    )
    depth = np.asarray(attrs["depth_mm"], dtype=np.float64)
    load = 1.0 - np.asarray(attrs["dilution_frac"], dtype=np.float64)
    dot_rgb, skin_rgb = lookup_many(spec.fitzpatrick, depth, load)
    radius_mm = 0.5 * np.asarray(attrs["diameter_mm"], dtype=np.float64)
    # The same look as the head views (render.states): core, depth blur, shadow halo.
    return {
        "xy_px": res.points_mm / mm,
        "radius_px": radius_mm / mm,
        "blur_px": core_blur_sigma_mm(radius_mm, depth, spec.fitzpatrick) / mm,
        "halo_area_px2": halo_area_mm2(radius_mm, depth, load) / mm**2,
        "halo_sigma_px": halo_sigma_mm(depth) / mm,
        "rgb": np.clip(dot_rgb, 0.0, None),
        "skin_rgb": skin_rgb,
    }


def srgb8_to_linear(rgb8: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """8-bit sRGB to linear float32 (IEC 61966-2-1 decoding, through a 256-entry table)."""
    table = srgb_decode(np.arange(256, dtype=np.float64) / 255.0)
    return np.ascontiguousarray(table.astype(np.float32)[rgb8])


def preview_photo(
    photo_rgb8: npt.NDArray[np.uint8],
    mask_px: FloatArray,
    mm_per_px: float,
    spec: PhotoDotSpec,
    notes: list[str] | None = None,
) -> bytes:
    """PNG bytes of the photo with the planned healed dots in the mask, labelled."""
    return draw_photo_dots(photo_rgb8, photo_dots(mask_px, mm_per_px, spec), notes)


def draw_photo_dots(
    photo_rgb8: npt.NDArray[np.uint8], dots: dict[str, FloatArray], notes: list[str] | None = None
) -> bytes:
    """PNG bytes of the photo with ``dots`` (:func:`photo_dots`) drawn in, labelled with the
    "illustrative preview" mark and any ``notes`` (e.g. the scale)."""
    image = srgb8_to_linear(photo_rgb8)
    dark = halo_darkening(
        image.shape[:2], dots["xy_px"], dots["halo_area_px2"], dots["halo_sigma_px"],
        1.0 - dots["rgb"] / dots["skin_rgb"],
    )  # fmt: skip
    apply_darkening(image, dark)
    splat_dots(
        image,
        dots["xy_px"],
        dots["radius_px"],
        dots["rgb"],
        1.0,
        blur_sigma_px=dots["blur_px"],
        mode="multiply",
        multiply_reference_rgb=dots["skin_rgb"],
    )
    out = Image.fromarray(linear_to_srgb8(image))
    draw_label(
        out, [PREVIEW_LABEL, *(notes or [])], corner="bottom-left",
        size_px=max(12, min(out.size) // 30), box=True,
    )  # fmt: skip
    return png_bytes(out)
