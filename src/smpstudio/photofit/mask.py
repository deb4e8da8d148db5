"""Where the scalp is in a photo: the fitted head's silhouette, above the brows, not background.

Three cuts, all on a copy of the photo reduced to at most :data:`MASK_MAX_SIDE_PX` on its long
side (box filter), then read back at full size:

1. **Silhouette**: the fitted head model's surface above the brow that faces the camera,
   projected through the fitted camera; its convex hull (the cranial vault is convex seen
   from the front).
2. **Above the brows**: the brows' upper edges (or a line through the glabella level with the
   eyes), extended level beyond their ends, raised by :data:`BROW_MARGIN_MM`; nothing at or
   below them is scalp.
3. **Not background**: the photo's own colours, by histogram backprojection (Swain & Ballard
   1991, Int J Comput Vision 7: 11-32). Colour histograms (16 levels per sRGB channel,
   smoothed by one bin) of the photo's border strips above the brows (the background of a
   portrait) and of the silhouette's core (the head: skin and hair); a pixel whose colour is
   more common in the border than on the head is background-like, and background-like pixels
   connected to the border are background. A model head larger than the client's, or one
   shifted by the fit's error, thus loses the rim where the photo shows the wall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from PIL import Image, ImageDraw
from scipy import ndimage

from smpstudio.photofit.fit import PhotoFit
from smpstudio.photofit.landmarks import FaceLandmarks, brow_line_px
from smpstudio.render.headmodel import HeadModel

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MASK_MAX_SIDE_PX = 640
BROW_MARGIN_MM = 4.0
BORDER_FRAC = 0.06  # the photo's border strips that sample the background
COLOUR_LEVELS = 16
MIN_SAMPLE_PIXELS = 50


@dataclass(frozen=True, kw_only=True)
class ScalpMask:
    """The scalp in the photo, on a reduced grid.

    Attributes
    ----------
    small : (h, w) bool on the reduced grid; pixel ``(r, c)`` covers photo pixels
        ``[c k, (c + 1) k) x [r k, (r + 1) k)``.
    factor : ``k``, photo pixels per reduced pixel.
    brow_px : (K, 2) the brow line used (photo pixels).
    background_frac : share of the silhouette above the brows that the photo showed to be
        background.
    """

    small: BoolArray
    factor: int
    brow_px: FloatArray
    background_frac: float

    def contains(self, xy_px: FloatArray) -> BoolArray:
        """Whether photo points ``(N, 2)`` lie on the scalp."""
        xy = np.asarray(xy_px, dtype=np.float64).reshape(-1, 2)
        col = np.floor(xy[:, 0] / self.factor).astype(np.int64)
        row = np.floor(xy[:, 1] / self.factor).astype(np.int64)
        h, w = self.small.shape
        ok = (col >= 0) & (col < w) & (row >= 0) & (row < h)
        out = np.zeros(xy.shape[0], dtype=bool)
        out[ok] = self.small[row[ok], col[ok]]
        return out

    def full(self, x0: int, y0: int, x1: int, y1: int) -> BoolArray:
        """The mask over photo pixels ``[x0, x1) x [y0, y1)`` (nearest reduced pixel)."""
        rows = np.arange(y0, y1) // self.factor
        cols = np.arange(x0, x1) // self.factor
        h, w = self.small.shape
        return np.asarray(self.small[np.clip(rows, 0, h - 1)][:, np.clip(cols, 0, w - 1)])

    def bounds_px(self) -> tuple[int, int, int, int] | None:
        """Photo-pixel bounding box ``(x0, y0, x1, y1)`` of the mask, or ``None`` if empty."""
        rows = np.flatnonzero(self.small.any(axis=1))
        cols = np.flatnonzero(self.small.any(axis=0))
        if rows.size == 0:
            return None
        k = self.factor
        return int(cols[0] * k), int(rows[0] * k), int((cols[-1] + 1) * k), int((rows[-1] + 1) * k)


def _above_brows(shape: tuple[int, int], k: int, brow_px: FloatArray, up: FloatArray,
                 margin_px: float) -> BoolArray:  # fmt: skip
    """Reduced pixels whose centres lie above the (level-extended) brow line."""
    h, w = shape
    across = np.array([-up[1], up[0]])  # perpendicular to up, toward the image's right
    yy, xx = np.mgrid[0:h, 0:w]
    pts = np.stack([(xx + 0.5) * k, (yy + 0.5) * k], axis=-1)
    a = pts @ across
    height = pts @ up
    b_a = brow_px @ across
    b_h = brow_px @ up
    order = np.argsort(b_a)
    line = np.interp(a, b_a[order], b_h[order])  # flat beyond the ends
    return np.asarray(height > line + margin_px)


def scalp_mask(
    photo_rgb8: npt.NDArray[np.uint8], fit: PhotoFit, head: HeadModel, lm: FaceLandmarks
) -> ScalpMask:
    """The scalp mask of a photo fitted by ``fit`` (module docstring)."""
    h_px, w_px = photo_rgb8.shape[:2]
    k = max(1, math.ceil(max(h_px, w_px) / MASK_MAX_SIDE_PX))
    image = Image.fromarray(photo_rgb8)
    small_img = image.reduce(k) if k > 1 else image
    small = np.asarray(small_img, dtype=np.float64)
    h, w = small.shape[:2]
    cam = fit.camera
    # 1. silhouette of the head above the brow, facing the camera
    brow_z = float(head.glabella_mm[2]) - 10.0
    pts = head.cap_points(brow_z)
    normals = head.normals(pts)
    facing = np.einsum("ij,ij->i", normals, cam.eye_mm - pts) > 0.0
    xy, depth = cam.project(pts[facing])
    xy = xy[depth > 0.0] / k
    sil = np.zeros((h, w), dtype=bool)
    if xy.shape[0] >= 3:
        hull = shapely.convex_hull(shapely.MultiPoint(xy))
        if isinstance(hull, shapely.Polygon) and not hull.is_empty:
            canvas = Image.new("1", (w, h), 0)
            ImageDraw.Draw(canvas).polygon([tuple(p) for p in hull.exterior.coords], fill=1)
            sil = np.asarray(canvas, dtype=bool)
    # 2. above the brows
    brow = brow_line_px(lm)
    eye_axis = lm.points_px["eye_left"] - lm.points_px["eye_right"]
    up = np.array([eye_axis[1], -eye_axis[0]]) / max(float(np.linalg.norm(eye_axis)), 1e-9)
    above = _above_brows((h, w), k, brow, up, BROW_MARGIN_MM / fit.mm_per_px)
    head_top = sil & above
    # 3. background: colours more common along the photo's border than on the head,
    #    connected to that border
    background = np.zeros((h, w), dtype=bool)
    border = np.zeros((h, w), dtype=bool)
    band = max(2, int(BORDER_FRAC * min(h, w)))
    border[:band] = True
    border[:, :band] = True
    border[:, -band:] = True
    border &= above & ~sil
    core = ndimage.binary_erosion(head_top, iterations=2)
    if head_top.any() and border.sum() >= MIN_SAMPLE_PIXELS and core.sum() >= MIN_SAMPLE_PIXELS:
        bins = _colour_bins(small)
        p_bg = _histogram(bins[border])
        p_fg = _histogram(bins[core])
        like_bg = (p_bg[bins] > p_fg[bins]) & above
        labels, _ = ndimage.label(like_bg)
        touching = np.unique(labels[border & (labels > 0)])
        background = np.isin(labels, touching) & head_top
    scalp = head_top & ~background
    scalp = ndimage.binary_opening(scalp, iterations=1) if scalp.sum() > 16 else scalp
    frac = float(background.sum()) / max(int(head_top.sum()), 1)
    return ScalpMask(small=np.asarray(scalp), factor=k, brow_px=brow, background_frac=frac)


def _colour_bins(image: FloatArray) -> npt.NDArray[np.int64]:
    """Each pixel's bin in a 16 x 16 x 16 histogram of 8-bit sRGB."""
    q = np.clip(image // (256 // COLOUR_LEVELS), 0, COLOUR_LEVELS - 1).astype(np.int64)
    return np.asarray((q[..., 0] * COLOUR_LEVELS + q[..., 1]) * COLOUR_LEVELS + q[..., 2])


def _histogram(bins: npt.NDArray[np.int64]) -> FloatArray:
    """Normalised colour histogram of the sampled bins, smoothed by one bin (flat indices)."""
    n = COLOUR_LEVELS
    hist = np.bincount(bins.ravel(), minlength=n**3).astype(np.float64).reshape(n, n, n)
    hist = ndimage.gaussian_filter(hist, sigma=1.0, mode="constant")
    return np.asarray(hist.ravel() / max(hist.sum(), 1e-12))
