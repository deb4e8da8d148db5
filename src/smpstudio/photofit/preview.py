"""The planned hairline and healed dots on the client's own front photo, found without hand work.

photo -> landmarks (detector, corrected by the practitioner where given) -> camera and head
pose with the scale's uncertainty (photofit.fit) -> scalp mask (photofit.mask) -> the design's
dots projected through the fitted camera and drawn with the head views' own dot look
(render.views.SceneRenderer.draw_dots: healed core, depth blur, shadow halo) onto the body
reflection of the photo (photofit.lighting), the highlights laid back on top -> PNG with the
"illustrative preview" mark, the scale and its uncertainty.

The projection is the views' own: each dot's centre through the camera, its disc squashed by
the angle to the line of sight and scaled by its distance, dots facing away left out. The photo
stands in for the rendered head, and the scalp mask for its depth buffer: outside the mask the
photo hides the dots (face, brows, background).

Refusals (:class:`smpstudio.errors.PhotoError`, exit 2 at the CLI): a photo under
:data:`MIN_PHOTO_SIDE_PX` on its short side; no face found and no landmarks given; eyes under
:data:`MIN_IPD_PX` apart (the face too small to place a hairline); a head turned beyond
:data:`MAX_YAW_DEG` (the hairline's far side hidden and the eyes foreshortened).
"""

from __future__ import annotations

import dataclasses
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from smpstudio.errors import InputError, PhotoError
from smpstudio.photofit.facemesh import FaceMeshDetector, default_detector
from smpstudio.photofit.facemodel import FacePriors
from smpstudio.photofit.fit import PhotoFit, fit_photo
from smpstudio.photofit.landmarks import FaceLandmarks, from_mesh, merge
from smpstudio.photofit.lighting import skin_chromaticity, split_surface
from smpstudio.photofit.mask import ScalpMask, scalp_mask
from smpstudio.render.camera import Camera
from smpstudio.render.photo import PREVIEW_LABEL, srgb8_to_linear
from smpstudio.render.raster import linear_to_srgb8
from smpstudio.render.scene import RenderScene
from smpstudio.render.shading import draw_label, png_bytes
from smpstudio.render.views import CameraBase, SceneRenderer

FloatArray = npt.NDArray[np.float64]

MIN_PHOTO_SIDE_PX = 256
MIN_IPD_PX = 30.0
MAX_YAW_DEG = 25.0
HALO_MARGIN_MM = 3.0
JPEG_QUALITY = 92  # drawn area reaches this far beyond the scalp mask (dot halos)


@dataclass(frozen=True, kw_only=True)
class PhotoPreview:
    """A front photo with the design drawn on it, and what the fit found.

    Attributes
    ----------
    image_rgb8 : (H, W, 3) the preview, the photo's size, labelled (:meth:`encoded` for a file).
    fit : camera, pose and scale (with uncertainty).
    landmarks : the landmarks the fit used.
    hairline_px : (K, 2) the designed hairline's visible points in photo pixels.
    dots_drawn : how many dots the preview shows.
    mask : the scalp mask.
    """

    image_rgb8: npt.NDArray[np.uint8]
    fit: PhotoFit
    landmarks: FaceLandmarks
    hairline_px: FloatArray
    dots_drawn: int
    mask: ScalpMask

    def encoded(self, image_format: str = "png") -> bytes:
        """The preview as a ``"png"`` (lossless, fixed options) or ``"jpeg"`` file (quality
        :data:`JPEG_QUALITY`, 4:4:4; five times faster to write for a 12 MP photo)."""
        if image_format == "png":
            return png_bytes(self.image_rgb8)
        if image_format == "jpeg":
            buf = io.BytesIO()
            Image.fromarray(self.image_rgb8).save(
                buf, format="JPEG", quality=JPEG_QUALITY, subsampling=0, optimize=False
            )
            return buf.getvalue()
        raise InputError("image_format", image_format, "png | jpeg")

    def to_dict(self, view: str = "front") -> dict[str, Any]:
        """The ``--json`` keys of ``smp render-photo`` (view, mm_per_px, landmarks_px,
        hairline_px, dots), with the scale's uncertainty, the pose and the camera."""
        out: dict[str, Any] = {"view": view}
        out.update(self.fit.to_dict())
        out["landmarks_px"] = self.landmarks.to_dict()
        out["landmarks_source"] = self.landmarks.source
        out["hairline_px"] = [[round(float(x), 1), round(float(y), 1)] for x, y in self.hairline_px]
        out["dots"] = self.dots_drawn
        out["note"] = PREVIEW_LABEL
        return out


def scale_label(fit: PhotoFit) -> str:
    """One line on the picture: the scale with its uncertainty and how it was found."""
    how = "eyes, irises" if fit.scale_method == "interpupillary+iris" else "eyes"
    return (
        f"scale {fit.mm_per_px:.3g} mm/px +- {100 * fit.scale_rel_sd:.0f} % ({how}); "
        f"yaw {fit.yaw_deg:+.0f} pitch {fit.pitch_deg:+.0f} roll {fit.roll_deg:+.0f} deg"
    )


def check_photo_size(photo_rgb8: npt.NDArray[np.uint8]) -> None:
    """Refuse a photo too small to fit a head to."""
    h, w = photo_rgb8.shape[:2]
    if min(h, w) < MIN_PHOTO_SIDE_PX:
        raise PhotoError(
            "photo", f"{w} x {h} pixels", f"at least {MIN_PHOTO_SIDE_PX} pixels on the short side"
        )


def find_landmarks(
    photo_rgb8: npt.NDArray[np.uint8],
    given: dict[str, Any] | None = None,
    detector: FaceMeshDetector | None = None,
) -> FaceLandmarks:
    """The photo's landmarks: detected, with the practitioner's corrections applied."""
    check_photo_size(photo_rgb8)
    face = (detector or default_detector()).detect(photo_rgb8)
    if face is None and (
        given is None or not {"eye_left", "eye_right", "glabella"} <= set(given["points_px"])
    ):
        raise PhotoError(
            "photo",
            "no face found",
            "a front photo of the client's face; or pass --landmarks JSON with eye_left, "
            "eye_right and glabella, or --mask JSON and --mm-per-px",
        )
    lm = merge(from_mesh(face) if face is not None else None, given)
    if lm.ipd_px < MIN_IPD_PX:
        raise PhotoError(
            "photo",
            f"eyes {lm.ipd_px:.0f} px apart",
            f"a face with the eyes at least {MIN_IPD_PX:.0f} px apart (move closer or use a "
            "larger photo)",
        )
    return lm


def fit_front_photo(
    photo_rgb8: npt.NDArray[np.uint8],
    lm: FaceLandmarks,
    glabella_mm: FloatArray,
    *,
    focal_35mm: float | None = None,
    priors: FacePriors | None = None,
    max_yaw_deg: float = MAX_YAW_DEG,
) -> PhotoFit:
    """Fit the head and camera; refuse a face turned beyond ``max_yaw_deg``."""
    h, w = photo_rgb8.shape[:2]
    fit = fit_photo(lm, glabella_mm, w, h, focal_35mm=focal_35mm, priors=priors)
    if abs(fit.yaw_deg) > max_yaw_deg:
        raise PhotoError(
            "photo",
            f"face turned {fit.yaw_deg:+.0f} deg (yaw)",
            f"a front photo, turned at most {max_yaw_deg:.0f} deg: face the camera, or use "
            "--view left|right with --mask and --mm-per-px",
        )
    return fit


def visible_hairline_px(renderer: SceneRenderer, camera: Camera) -> FloatArray:
    """The scene's designed hairline, its points that face ``camera``, in photo pixels."""
    uv = renderer.scene.hairline_uv_mm
    if uv.shape[0] == 0:
        return np.zeros((0, 2))
    xyz = renderer.scene.chart.chart_to_surface(uv)
    normals = renderer.head.normals(xyz)
    facing = np.einsum("ij,ij->i", normals, camera.eye_mm - xyz) > 0.0
    xy, depth = camera.project(xyz[facing])
    return np.asarray(xy[depth > 0.0])


def _centred_crop(
    bounds: tuple[int, int, int, int], margin: int, w: int, h: int
) -> tuple[int, int, int, int]:
    """A window symmetric about the photo's centre (the camera's principal point) that holds
    ``bounds`` grown by ``margin``, clipped to the photo."""
    x0, y0, x1, y1 = bounds
    hx = max(w / 2 - (x0 - margin), (x1 + margin) - w / 2)
    hy = max(h / 2 - (y0 - margin), (y1 + margin) - h / 2)
    cx0 = max(0, int(np.floor(w / 2 - hx)))
    cy0 = max(0, int(np.floor(h / 2 - hy)))
    return cx0, cy0, w - cx0, h - cy0


def render_preview(
    photo_rgb8: npt.NDArray[np.uint8],
    scene: RenderScene,
    *,
    given_landmarks: dict[str, Any] | None = None,
    landmarks: FaceLandmarks | None = None,
    focal_35mm: float | None = None,
    priors: FacePriors | None = None,
    detector: FaceMeshDetector | None = None,
    renderer: SceneRenderer | None = None,
) -> PhotoPreview:
    """The healed design of ``scene`` on a front photo (module docstring).

    ``landmarks`` found beforehand (:func:`find_landmarks`) skip the detection; otherwise the
    detector runs and ``given_landmarks`` (landmarks.parse_landmarks) correct it.

    Raises
    ------
    PhotoError
        Too small, no face (and no landmarks), face too small or too turned.
    """
    lm = landmarks or find_landmarks(photo_rgb8, given_landmarks, detector)
    rnd = renderer or SceneRenderer(scene)
    fit = fit_front_photo(photo_rgb8, lm, rnd.head.glabella_mm, focal_35mm=focal_35mm,
                          priors=priors)  # fmt: skip
    mask = scalp_mask(photo_rgb8, fit, rnd.head, lm)
    h, w = photo_rgb8.shape[:2]
    out = photo_rgb8.copy()
    drawn = 0
    bounds = mask.bounds_px()
    if bounds is not None:
        margin = int(np.ceil(HALO_MARGIN_MM / fit.mm_per_px)) + 2
        x0, y0, x1, y1 = _centred_crop(bounds, margin, w, h)
        crop = photo_rgb8[y0:y1, x0:x1]
        linear = srgb8_to_linear(crop)
        inside = mask.full(x0, y0, x1, y1)
        chroma = skin_chromaticity(linear[inside])
        body, _ = split_surface(linear, chroma)
        cam = dataclasses.replace(fit.camera, width_px=x1 - x0, height_px=y1 - y0)
        gate = np.where(inside, np.float32(np.inf), np.float32(-np.inf)).astype(np.float32)
        base = CameraBase(camera=cam, image=body, depth_min_mm=gate)
        look = rnd.look("healed")
        if look.index.size:
            seen = rnd.project(cam, base, rnd.scene.dots.xyz_mm[look.index],
                               rnd.dot_normals[look.index])  # fmt: skip
            drawn = int(np.count_nonzero(seen.visible))
        # Only the dots' own change is added, so untouched pixels keep their exact values.
        image = linear + (rnd.draw_dots(base, "healed") - body)
        out[y0:y1, x0:x1] = linear_to_srgb8(image)
    picture = Image.fromarray(out)
    draw_label(
        picture, [PREVIEW_LABEL, scale_label(fit)], corner="bottom-left",
        size_px=max(11, min(picture.size) // 45), box=True,
    )  # fmt: skip
    hairline = visible_hairline_px(rnd, fit.camera)
    return PhotoPreview(
        image_rgb8=np.asarray(picture), fit=fit, landmarks=lm, hairline_px=hairline,
        dots_drawn=drawn, mask=mask,
    )  # fmt: skip
