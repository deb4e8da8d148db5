"""Pinhole and orthographic cameras in the head frame, and the five standard views.

Image convention (as in :mod:`smpstudio.render.raster`): pixel ``(row, col)`` covers
``[col, col + 1) x [row, row + 1)``; a point at ``(x, y)`` pixels lies in column ``floor(x)``,
row ``floor(y)``. The camera looks along ``forward``; image x runs along ``right = forward x up``
and image y runs down (along ``-up``). Depth is the distance along ``forward`` (mm).

A perspective camera at conversation distance (about 60 cm) with a normal lens sees a head the
way a person facing the client does. A 27 degree vertical field of view at 600 mm frames
288 mm (a "normal" lens, 50 mm on a 35 mm frame, has a 27 degree vertical field; Ray, Applied
Photographic Optics, 3rd ed., 2002, ch. 6). The standard views keep that viewpoint (the
perspective depends only on where the camera stands) but crop the picture to what matters, the
scalp and the hairline: :func:`framed_view_camera` aims at and fits a set of points (the
renderer passes the scalp from a little below the brow up), the crop of a normal-lens photo
taken from 60 cm. Front, back and side views look down on the head by ``ELEVATION_DEG``, as a
practitioner photographs a hairline slightly from above (client seated, camera at the
practitioner's eye height); the top view looks straight down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.render.scene import View, check_view
from smpstudio.units import deg_to_rad

FloatArray = npt.NDArray[np.float64]

CONVERSATION_DISTANCE_MM = 600.0
VERTICAL_FOV_DEG = 27.0
#: The side, front and back views look down on the head by this much, as a practitioner's
#: standard photographs do (the client tilts the head a little), so the top of the scalp shows.
ELEVATION_DEG = 22.0
#: Free border around the framed points, as a fraction of the half field.
FRAME_MARGIN_FRAC = 0.05
MAX_IMAGE_SIDE_PX = 4096


@dataclass(frozen=True, kw_only=True)
class Camera:
    """A camera: where it is, where it looks, and how mm map to pixels.

    Attributes
    ----------
    eye_mm : (3,) position (perspective) or a point on the image plane (orthographic).
    forward, up, right : (3,) orthonormal; ``right = forward x up``.
    width_px, height_px : image size.
    focal_px : focal length in pixels (perspective; 0 for orthographic).
    mm_per_px : image-plane pixel size (orthographic; 0 for perspective).
    """

    eye_mm: FloatArray
    forward: FloatArray
    up: FloatArray
    right: FloatArray
    width_px: int
    height_px: int
    focal_px: float = 0.0
    mm_per_px: float = 0.0

    @property
    def kind(self) -> Literal["perspective", "orthographic"]:
        """``"perspective"`` or ``"orthographic"``."""
        return "orthographic" if self.mm_per_px > 0.0 else "perspective"

    def project(self, points_mm: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Pixel positions ``(N, 2)`` as (x, y) and depths ``(N,)`` mm of head-frame points."""
        p = np.asarray(points_mm, dtype=np.float64).reshape(-1, 3) - self.eye_mm
        depth = p @ self.forward
        xr = p @ self.right
        yu = p @ self.up
        if self.kind == "orthographic":
            scale = np.full(depth.shape, 1.0 / self.mm_per_px)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                scale = self.focal_px / depth
        xy = np.stack(
            [0.5 * self.width_px + xr * scale, 0.5 * self.height_px - yu * scale], axis=-1
        )
        return xy, depth

    def px_per_mm(self, depth_mm: npt.ArrayLike) -> FloatArray:
        """Pixels per mm of a length across the line of sight at ``depth_mm``."""
        depth = np.asarray(depth_mm, dtype=np.float64)
        if self.kind == "orthographic":
            return np.full(depth.shape, 1.0 / self.mm_per_px)
        with np.errstate(divide="ignore"):
            return np.asarray(self.focal_px / depth)

    def view_dirs(self, points_mm: npt.ArrayLike) -> FloatArray:
        """Unit vectors ``(N, 3)`` from the camera toward each point (the viewing rays)."""
        p = np.asarray(points_mm, dtype=np.float64).reshape(-1, 3)
        if self.kind == "orthographic":
            return np.broadcast_to(self.forward, p.shape).copy()
        d = p - self.eye_mm
        return d / np.linalg.norm(d, axis=1, keepdims=True)

    def params(self) -> FloatArray:
        """Packed float64 vector for the numba kernels (``_trace_kernels``)."""
        return np.concatenate(
            [
                self.eye_mm,
                self.forward,
                self.up,
                self.right,
                [self.focal_px, self.mm_per_px, float(self.width_px), float(self.height_px)],
            ]
        )


def _check_size(size_px: int, name: str = "size_px") -> int:
    if isinstance(size_px, bool) or not isinstance(size_px, int | np.integer):
        raise InputError(name, size_px, f"an integer 16..{MAX_IMAGE_SIDE_PX}")
    if not 16 <= int(size_px) <= MAX_IMAGE_SIDE_PX:
        raise InputError(name, size_px, f"16..{MAX_IMAGE_SIDE_PX}")
    return int(size_px)


def _frame(forward: npt.ArrayLike, up_hint: npt.ArrayLike) -> tuple[FloatArray, ...]:
    f = np.asarray(forward, dtype=np.float64)
    f = f / np.linalg.norm(f)
    u = np.asarray(up_hint, dtype=np.float64)
    u = u - (u @ f) * f
    norm = np.linalg.norm(u)
    if norm < 1e-9:
        raise InputError("up", np.asarray(up_hint).tolist(), "a direction not along forward")
    u = u / norm
    return f, u, np.cross(f, u)


def look_at(
    eye_mm: npt.ArrayLike,
    target_mm: npt.ArrayLike,
    up_hint: npt.ArrayLike,
    *,
    size_px: int,
    vertical_fov_deg: float = VERTICAL_FOV_DEG,
) -> Camera:
    """A square perspective camera at ``eye_mm`` looking at ``target_mm``."""
    size = _check_size(size_px)
    if not 1.0 <= vertical_fov_deg <= 120.0:
        raise InputError("vertical_fov_deg", vertical_fov_deg, "1..120")
    eye = np.asarray(eye_mm, dtype=np.float64)
    f, u, r = _frame(np.asarray(target_mm, dtype=np.float64) - eye, up_hint)
    focal = 0.5 * size / math.tan(0.5 * float(deg_to_rad(vertical_fov_deg)))
    return Camera(
        eye_mm=eye, forward=f, up=u, right=r, width_px=size, height_px=size, focal_px=focal
    )


def orthographic(
    centre_mm: npt.ArrayLike,
    forward: npt.ArrayLike,
    up_hint: npt.ArrayLike,
    *,
    size_px: int,
    mm_per_px: float,
    standoff_mm: float = 50.0,
) -> Camera:
    """A square orthographic camera whose image centre looks at ``centre_mm``.

    The image plane sits ``standoff_mm`` before the centre so nearby surface lies ahead of it.
    """
    size = _check_size(size_px)
    if not (math.isfinite(mm_per_px) and mm_per_px > 0.0):
        raise InputError("mm_per_px", mm_per_px, "a number > 0")
    f, u, r = _frame(forward, up_hint)
    eye = np.asarray(centre_mm, dtype=np.float64) - standoff_mm * f
    return Camera(
        eye_mm=eye,
        forward=f,
        up=u,
        right=r,
        width_px=size,
        height_px=size,
        mm_per_px=float(mm_per_px),
    )


# Direction from the head toward the camera (before elevation), and the image's up hint.
_VIEW_AXES: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "front": ((0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "back": ((0.0, -1.0, 0.0), (0.0, 0.0, 1.0)),
    "left": ((-1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),  # the client's left side
    "right": ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0)),
    "top": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),  # nose at the top of the image
}


def view_direction(view: View | str, elevation_deg: float = ELEVATION_DEG) -> FloatArray:
    """Unit vector ``(3,)`` from the head toward the camera of a standard view."""
    v = check_view(view)
    d = np.asarray(_VIEW_AXES[v][0], dtype=np.float64)
    if v != "top":
        el = float(deg_to_rad(elevation_deg))
        d = math.cos(el) * d + math.sin(el) * np.array([0.0, 0.0, 1.0])
    return d


def framed_view_camera(
    view: View | str,
    points_mm: npt.ArrayLike,
    *,
    size_px: int,
    distance_mm: float = CONVERSATION_DISTANCE_MM,
    elevation_deg: float = ELEVATION_DEG,
    margin_frac: float = FRAME_MARGIN_FRAC,
) -> Camera:
    """The camera of a standard view that frames ``points_mm`` ``(N, 3)``.

    The eye stands ``distance_mm`` from the centre of the points' bounding box, in the
    view's direction (:func:`view_direction`); it turns to the middle of the points' angular
    extent and narrows its field until the points fill the square image less
    ``margin_frac`` of the half field on the tighter side (the crop of a wider photo taken
    from the same place).
    """
    v = check_view(view)
    pts = np.asarray(points_mm, dtype=np.float64).reshape(-1, 3)
    if pts.shape[0] == 0 or not np.all(np.isfinite(pts)):
        raise InputError("points_mm", f"shape {pts.shape}", "finite points (N >= 1, 3)")
    if not (math.isfinite(distance_mm) and distance_mm > 0.0):
        raise InputError("distance_mm", distance_mm, "a number > 0")
    if not 0.0 <= margin_frac < 1.0:
        raise InputError("margin_frac", margin_frac, "0..1")
    centre = 0.5 * (pts.min(axis=0) + pts.max(axis=0))
    eye = centre + distance_mm * view_direction(v, elevation_deg)
    up_hint = _VIEW_AXES[v][1]
    forward = centre - eye
    for _ in range(3):  # re-aim at the middle of the angular extent (converges in 2-3 turns)
        f, u, r = _frame(forward, up_hint)
        rel = pts - eye
        depth = rel @ f
        if np.any(depth <= 0.0):
            raise InputError("points_mm", "points behind the camera", "points in front of it")
        tx, ty = (rel @ r) / depth, (rel @ u) / depth
        mx, my = 0.5 * (tx.min() + tx.max()), 0.5 * (ty.min() + ty.max())
        forward = f + mx * r + my * u
    f, u, r = _frame(forward, up_hint)
    rel = pts - eye
    depth = rel @ f
    half = float(np.max(np.abs(np.concatenate([(rel @ r) / depth, (rel @ u) / depth]))))
    fov = 2.0 * math.degrees(math.atan(half / (1.0 - margin_frac)))
    return look_at(eye, eye + f, up_hint, size_px=size_px, vertical_fov_deg=min(fov, 120.0))


def view_camera(
    view: View | str,
    target_mm: npt.ArrayLike,
    *,
    size_px: int,
    distance_mm: float = CONVERSATION_DISTANCE_MM,
    elevation_deg: float = ELEVATION_DEG,
) -> Camera:
    """The camera of one standard view, ``distance_mm`` from ``target_mm``.

    ``front``/``back``/``left``/``right`` look slightly down (``elevation_deg``); ``top`` looks
    straight down with the nose at the top of the image and the client's right on the right.
    """
    v = check_view(view)
    toward, up = _VIEW_AXES[v]
    d = np.asarray(toward, dtype=np.float64)
    if v != "top":
        el = float(deg_to_rad(elevation_deg))
        d = math.cos(el) * d + math.sin(el) * np.array([0.0, 0.0, 1.0])
    target = np.asarray(target_mm, dtype=np.float64)
    return look_at(target + distance_mm * d, target, up, size_px=size_px)
