"""Synthetic front photos with a known camera, to check the photo fit against the truth.

The head is the project's own render (render.views: the fitted head, its skin, stubble and
scars, lit as the views are), seen by a camera placed at a chosen distance, yaw, pitch and roll,
with a phone's focal length. The head model has no face, so a real face is laid on it: a
portrait's face (its eyes and glabella given) is scaled, turned and moved by the similarity
that puts its pupils on the model's pupils (photofit.facemodel) as the camera sees them, tinted
to the rendered skin, and blended in below the brows with a feathered oval. The truth is then
exact: the camera, the millimetres per pixel at the glabella, and where the designed hairline
lies in the picture.

A face pasted flat is only right for a camera that faces it, so keep the yaw and pitch small
(a few degrees); the fit's own tests of turned heads use landmarks projected from the face
model instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFilter
from scipy import ndimage
from scipy.spatial import Delaunay

from smpstudio.photofit.facemodel import FACE_POINTS_MM, face_points_mm
from smpstudio.photofit.fit import focal_px
from smpstudio.photofit.preview import visible_hairline_px
from smpstudio.render.camera import Camera
from smpstudio.render.raster import linear_to_srgb8
from smpstudio.render.shading import ShadingParams
from smpstudio.render.views import SceneRenderer

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class SyntheticPhoto:
    """A rendered front photo and its truth.

    Attributes
    ----------
    rgb8 : (H, W, 3) the photo.
    camera : the camera that took it.
    mm_per_px : across the line of sight at the glabella's distance.
    hairline_px : (K, 2) the designed hairline's points that face the camera.
    eyes_px : (2, 2) the model's pupils (the client's right, then left) in the photo.
    """

    rgb8: npt.NDArray[np.uint8]
    camera: Camera
    mm_per_px: float
    hairline_px: FloatArray
    eyes_px: FloatArray


def camera_facing(
    glabella_mm: FloatArray, *, width_px: int, height_px: int, distance_mm: float,
    yaw_deg: float = 0.0, pitch_deg: float = 0.0, roll_deg: float = 0.0,
    focal_35mm: float | None = None,
) -> Camera:  # fmt: skip
    """A camera ``distance_mm`` from the glabella, looking at it, turned by the angles of
    photofit.fit (yaw: + toward the client's right; pitch: + from above; roll: + the head's
    top leaning to the image's right)."""
    yaw, pitch = math.radians(yaw_deg), math.radians(pitch_deg)
    d = np.array(
        [math.sin(yaw) * math.cos(pitch), math.cos(yaw) * math.cos(pitch), math.sin(pitch)]
    )
    eye = np.asarray(glabella_mm, dtype=np.float64) + distance_mm * d
    forward = -d
    up = np.array([0.0, 0.0, 1.0]) - forward[2] * forward
    up /= np.linalg.norm(up)
    right = np.cross(forward, up)
    r = math.radians(roll_deg)
    up, right = math.cos(r) * up - math.sin(r) * right, math.cos(r) * right + math.sin(r) * up
    return Camera(
        eye_mm=eye, forward=forward, up=up, right=right, width_px=width_px,
        height_px=height_px, focal_px=focal_px(width_px, height_px, focal_35mm),
    )  # fmt: skip


def render_synthetic(
    renderer: SceneRenderer,
    camera: Camera,
    face_rgb8: npt.NDArray[np.uint8],
    face_landmarks_px: dict[str, FloatArray],
    state: str = "before",
) -> SyntheticPhoto:
    """The head of ``renderer``'s scene in ``state``, with the portrait's face laid on it.

    ``face_landmarks_px`` gives the portrait's ``eye_right``, ``eye_left`` (pupils) and
    ``glabella`` in its pixels.
    """
    # The views' renderer, with the face left in (no fade below the brow).
    rnd = SceneRenderer(renderer.scene, ShadingParams(face_fade_mm=0.0))
    base = rnd.camera_base(camera)
    linear = rnd.draw_dots(base, state)
    photo = Image.fromarray(linear_to_srgb8(linear))
    glabella = rnd.head.glabella_mm
    names = [n for n in FACE_POINTS_MM if n in face_landmarks_px]
    model, _ = face_points_mm(glabella, names)
    target, _ = camera.project(model)
    src = np.array([face_landmarks_px[n] for n in names], dtype=np.float64)
    eyes_px = target[[names.index("eye_right"), names.index("eye_left")]]
    face = np.asarray(face_rgb8, dtype=np.float64)
    alpha = np.asarray(_face_alpha(face.shape[1::-1], face_landmarks_px), dtype=np.float64)
    size = (camera.width_px, camera.height_px)
    warped, m = _warp_face(face, alpha / 255.0, src, target, size)
    b = eyes_px[1] - eyes_px[0]
    # Tint the portrait's skin to the rendered skin around the glabella.
    g_px, _ = camera.project(glabella)
    ipd = float(np.linalg.norm(b))
    rendered = np.asarray(photo, dtype=np.float64)
    pasted = warped
    x, y = (round(float(c)) for c in g_px[0])
    r = max(2, int(0.2 * ipd))
    y0, y1 = max(0, y + r // 2), min(size[1], y + 3 * r)
    x0, x1 = max(0, x - r), min(size[0], x + r)
    patch_r = rendered[y0:y1, x0:x1].reshape(-1, 3).mean(axis=0)
    patch_p = pasted[y0:y1, x0:x1].reshape(-1, 3).mean(axis=0)
    tint = np.clip(patch_r / np.maximum(patch_p, 1.0), 0.5, 2.0)
    out = rendered * (1.0 - m[..., None]) + np.clip(pasted * tint, 0, 255) * m[..., None]
    rgb8 = np.clip(np.round(out), 0, 255).astype(np.uint8)
    depth = float((glabella - camera.eye_mm) @ camera.forward)
    hairline = visible_hairline_px(rnd, camera)
    return SyntheticPhoto(
        rgb8=rgb8, camera=camera, mm_per_px=depth / camera.focal_px, hairline_px=hairline,
        eyes_px=eyes_px,
    )  # fmt: skip


def _face_alpha(size: tuple[int, int], lm: dict[str, FloatArray]) -> Image.Image:
    """A feathered oval over the portrait's face from just above the brows to the chin."""
    er, el, g = (np.asarray(lm[k], dtype=np.float64) for k in ("eye_right", "eye_left", "glabella"))
    ipd = float(np.linalg.norm(el - er))
    across = (el - er) / ipd
    down = np.array([-across[1], across[0]])
    top = g - 0.25 * ipd * down  # just above the brows, below the fringe of most portraits
    centre = top + 1.2 * ipd * down
    half_w, half_h = 0.95 * ipd, 1.2 * ipd
    t = np.linspace(0.0, 2 * math.pi, 90, endpoint=False)
    pts = centre + np.outer(np.cos(t) * half_w, across) + np.outer(np.sin(t) * half_h, down)
    canvas = Image.new("L", size, 0)
    ImageDraw.Draw(canvas).polygon([tuple(p) for p in pts], fill=255)
    return canvas.filter(ImageFilter.GaussianBlur(0.05 * ipd))


def _warp_face(
    face: FloatArray, alpha: FloatArray, src: FloatArray, dst: FloatArray, size: tuple[int, int]
) -> tuple[FloatArray, FloatArray]:
    """Piecewise-affine warp of the portrait so its landmarks ``src`` land on ``dst``.

    The landmarks and a ring of points around them (moved by the least-squares similarity of
    the landmarks) are triangulated in the photo; each photo pixel inside takes the portrait's
    colour at the same barycentric place in the matching source triangle (bilinear).
    Returns the warped colours ``(H, W, 3)`` and alpha ``(H, W)`` (0 outside).
    """
    # Similarity dst ~ k R src + t (least squares, Umeyama 1991) for the outer ring.
    mu_s, mu_d = src.mean(axis=0), dst.mean(axis=0)
    a, b = src - mu_s, dst - mu_d
    u, sig, vt = np.linalg.svd(b.T @ a)
    rot = u @ vt
    k = float(sig.sum() / np.sum(a**2))
    spread = float(np.max(np.linalg.norm(a, axis=1)))
    t = np.linspace(0.0, 2 * math.pi, 16, endpoint=False)
    ring_src = mu_s + 2.0 * spread * np.stack([np.cos(t), np.sin(t)], axis=1)
    ring_dst = mu_d + k * (ring_src - mu_s) @ rot.T
    all_src = np.vstack([src, ring_src])
    all_dst = np.vstack([dst, ring_dst])
    tri = Delaunay(all_dst)
    w, h = size
    lo = np.floor(all_dst.min(axis=0)).astype(int).clip(0, [w - 1, h - 1])
    hi = np.ceil(all_dst.max(axis=0)).astype(int).clip(0, [w - 1, h - 1])
    yy, xx = np.mgrid[lo[1] : hi[1] + 1, lo[0] : hi[0] + 1]
    pts = np.stack([xx.ravel() + 0.5, yy.ravel() + 0.5], axis=1)
    simplex = tri.find_simplex(pts)
    inside = simplex >= 0
    trans = tri.transform[simplex[inside]]
    bary2 = np.einsum("nij,nj->ni", trans[:, :2], pts[inside] - trans[:, 2])
    bary = np.column_stack([bary2, 1.0 - bary2.sum(axis=1)])
    corners = all_src[tri.simplices[simplex[inside]]]
    sp = np.einsum("ni,nij->nj", bary, corners) - 0.5  # pixel centres at +0.5
    out = np.zeros((h, w, 3))
    mask = np.zeros((h, w))
    rows, cols = yy.ravel()[inside], xx.ravel()[inside]
    coords = [sp[:, 1], sp[:, 0]]
    for c in range(3):
        out[rows, cols, c] = ndimage.map_coordinates(face[..., c], coords, order=1)
    mask[rows, cols] = ndimage.map_coordinates(alpha, coords, order=1)
    return out, mask
