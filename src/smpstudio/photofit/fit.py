"""Fit the head and a camera to a front photo: pose, distance and scale, with uncertainty.

A pinhole camera with its principal point at the photo's centre and a focal length from the
photo's EXIF (35 mm equivalent) or, without it, a typical phone's main camera
(:data:`DEFAULT_FOCAL_35MM`). Unknowns: the head's rotation (3), its position (3) and the size
of the face relative to the mean face, ``s`` (the client's interpupillary distance is
``s x`` the mean). Maximum a posteriori by least squares (scipy's trust-region solver) over
whitened residuals:

* each landmark's reprojection error, divided by the detector's error (a fraction of the
  interpupillary distance, facemodel.FacePriors) combined with how far real faces stray from
  the mean face at that point (facemodel.FACE_POINT_SD_MM, through the camera's scale);
* the face size ``(s - 1) / (sd / mean)`` of the interpupillary distance (Dodgson 2004);
* each measured iris: its diameter in the photo against the population's 11.71 +- 0.42 mm at
  the eye's distance (Rüfer et al. 2005), plus the iris model's own error;
* weak priors on yaw and pitch that keep a fit from three given points well posed.

The covariance is the inverse Gauss-Newton Hessian at the optimum (Laplace approximation); the
scale's and the angles' standard deviations follow from it by the delta method, so they carry
the population spread of the eyes and irises and the landmark error together.

Angles (degrees), as the camera sees the head: ``yaw_deg`` the camera's azimuth about the
head's vertical axis, + toward the client's right (the client has turned to their left);
``pitch_deg`` the camera's elevation above the head's horizontal plane (+ seen from above:
chin down); ``roll_deg`` the tilt of the head's vertical in the picture, + leaning toward the
image's right (the client's left shoulder).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError
from scipy.optimize import least_squares
from scipy.spatial.transform import Rotation

from smpstudio.errors import InputError
from smpstudio.photofit.facemodel import FACE_POINT_SD_MM, FacePriors, face_points_mm
from smpstudio.photofit.landmarks import FaceLandmarks
from smpstudio.render.camera import Camera

FloatArray = npt.NDArray[np.float64]

#: Without EXIF: a phone's main camera, 26 mm equivalent (the wide camera of current phones;
#: 24-28 mm equivalent across makers), a 67 degree horizontal field on a 4:3 photo.
DEFAULT_FOCAL_35MM = 26.0
FULL_FRAME_DIAGONAL_MM = math.hypot(36.0, 24.0)
FOCAL_35MM_RANGE = (10.0, 300.0)
#: An iris whose size disagrees with the eyes by more than this many standard deviations is
#: left out of the scale.
IRIS_OUTLIER_SD = 3.0
_EXIF_IFD = 0x8769
_FOCAL_35MM_TAG = 0xA405


def focal_35mm_from_exif(data: bytes) -> float | None:
    """The 35 mm equivalent focal length (mm) in a photo's EXIF, or ``None``."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            value = image.getexif().get_ifd(_EXIF_IFD).get(_FOCAL_35MM_TAG)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    lo, hi = FOCAL_35MM_RANGE
    return f if lo <= f <= hi else None


def focal_px(width_px: int, height_px: int, focal_35mm: float | None) -> float:
    """Focal length in pixels for a 35 mm equivalent focal length (diagonal rule)."""
    f35 = DEFAULT_FOCAL_35MM if focal_35mm is None else float(focal_35mm)
    lo, hi = FOCAL_35MM_RANGE
    if not (math.isfinite(f35) and lo <= f35 <= hi):
        raise InputError("focal_35mm", focal_35mm, f"{lo:g}..{hi:g} mm")
    return f35 * math.hypot(width_px, height_px) / FULL_FRAME_DIAGONAL_MM


@dataclass(frozen=True, kw_only=True)
class PhotoFit:
    """The head and camera fitted to a photo.

    Attributes
    ----------
    camera : the photo's camera in the head frame (render.camera.Camera, perspective).
    mm_per_px, mm_per_px_sd : the scale across the line of sight at the glabella's distance.
    yaw_deg, pitch_deg, roll_deg : the pose (module docstring) and their standard deviations
        in ``pose_sd_deg``.
    face_scale : the client's face size relative to the mean face (IPD / mean IPD).
    scale_method : ``"interpupillary"`` or ``"interpupillary+iris"``.
    rms_px : root-mean-square reprojection error of the landmarks.
    """

    camera: Camera
    mm_per_px: float
    mm_per_px_sd: float
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    pose_sd_deg: tuple[float, float, float]
    face_scale: float
    scale_method: str
    rms_px: float

    @property
    def scale_rel_sd(self) -> float:
        """Relative standard deviation of the scale (fraction)."""
        return self.mm_per_px_sd / self.mm_per_px

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` scale and pose keys."""
        return {
            "mm_per_px": round(self.mm_per_px, 5),
            "mm_per_px_sd": round(self.mm_per_px_sd, 5),
            "scale_rel_sd_frac": round(self.scale_rel_sd, 4),
            "scale_method": self.scale_method,
            "pose": {
                "yaw_deg": round(self.yaw_deg, 2),
                "pitch_deg": round(self.pitch_deg, 2),
                "roll_deg": round(self.roll_deg, 2),
                "yaw_sd_deg": round(self.pose_sd_deg[0], 2),
                "pitch_sd_deg": round(self.pose_sd_deg[1], 2),
                "roll_sd_deg": round(self.pose_sd_deg[2], 2),
            },
            "camera": {
                "focal_px": round(self.camera.focal_px, 2),
                "distance_mm": round(float(np.linalg.norm(self.camera.eye_mm)), 1),
            },
        }


# Head frame -> camera frame (x right, y down, z forward) when the camera faces the client.
_FACING = np.array([[-1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, -1.0, 0.0]])


def _camera_from(rotvec: FloatArray, t: FloatArray, f: float, w: int, h: int) -> Camera:
    rot = Rotation.from_rotvec(rotvec).as_matrix() @ _FACING  # head -> camera
    eye = -rot.T @ t
    return Camera(
        eye_mm=eye, forward=rot.T @ np.array([0.0, 0.0, 1.0]),
        up=rot.T @ np.array([0.0, -1.0, 0.0]), right=rot.T @ np.array([1.0, 0.0, 0.0]),
        width_px=w, height_px=h, focal_px=f,
    )  # fmt: skip


def pose_angles_deg(camera: Camera) -> tuple[float, float, float]:
    """``(yaw, pitch, roll)`` of a camera that looks at the face (module docstring)."""
    d = -camera.forward  # from the head toward the camera
    yaw = math.degrees(math.atan2(d[0], d[1]))
    pitch = math.degrees(math.atan2(d[2], math.hypot(d[0], d[1])))
    z = np.array([0.0, 0.0, 1.0])
    roll = math.degrees(math.atan2(float(z @ camera.right), float(z @ camera.up)))
    return yaw, pitch, roll


def fit_photo(
    lm: FaceLandmarks,
    glabella_mm: FloatArray,
    width_px: int,
    height_px: int,
    *,
    focal_35mm: float | None = None,
    priors: FacePriors | None = None,
) -> PhotoFit:
    """Fit the head (its glabella at ``glabella_mm``) and a camera to the landmarks.

    Raises
    ------
    InputError
        Landmarks that no head pose explains (eyes on top of each other, the glabella far
        below the eyes).
    """
    pr = priors or FacePriors()
    f = focal_px(width_px, height_px, focal_35mm)
    names = list(lm.points_px)
    obs = np.array([lm.points_px[n] for n in names])
    base, offsets = face_points_mm(glabella_mm, names)
    base = base - offsets  # the glabella, repeated
    ipd_px = lm.ipd_px
    if ipd_px < 1.0:
        raise InputError("landmarks.eye_left", "on top of eye_right", "two distinct eyes")
    det_sd = pr.detector_error_frac_ipd * ipd_px
    given = frozenset(names) if lm.source == "given" else lm.given
    point_sd_px = np.array(
        [max(pr.given_error_px, 0.02 * ipd_px) if n in given else det_sd for n in names]
    )
    model_sd_mm = np.array([FACE_POINT_SD_MM[n] for n in names])
    iris = [d for d in lm.iris_diameter_px.values() if d > 0.0]
    iris_px = float(np.mean(iris)) if iris else 0.0
    if iris and not iris_agrees(iris_px, ipd_px, pr):
        iris, iris_px = [], 0.0  # a misread iris (blur, glasses, a half-closed eye): left out
    iris_err_px = pr.iris_error_frac * iris_px / math.sqrt(max(len(iris), 1))
    eye_ix = [names.index(n) for n in ("eye_right", "eye_left") if n in names]
    centre = np.array([0.5 * width_px, 0.5 * height_px])
    yaw_sd, pitch_sd = math.radians(pr.yaw_sd_deg), math.radians(pr.pitch_sd_deg)

    def project(theta: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        rot = Rotation.from_rotvec(theta[:3]).as_matrix() @ _FACING
        s = theta[6]
        pts = (base + s * offsets) @ rot.T + theta[3:6]
        z = pts[:, 2]
        return centre + f * pts[:, :2] / z[:, None], z, rot

    def residuals(theta: FloatArray) -> FloatArray:
        uv, z, rot = project(theta)
        sd = np.sqrt(point_sd_px**2 + (f * model_sd_mm / z) ** 2)
        r = [((uv - obs) / sd[:, None]).ravel()]
        r.append(np.array([(theta[6] - 1.0) / (pr.ipd_sd_mm / pr.ipd_mean_mm)]))
        if iris_px > 0.0:
            # One person's two irises share one size: the population spread enters once.
            z_eye = float(np.mean(z[eye_ix])) if eye_ix else float(np.median(z))
            d_model = f * pr.iris_mean_mm / z_eye
            sd_d = math.hypot(f * pr.iris_sd_mm / z_eye, iris_err_px)
            r.append(np.array([(iris_px - d_model) / sd_d]))
        d = rot.T @ np.array([0.0, 0.0, -1.0])  # head -> camera direction, head frame
        r.append(np.array([math.atan2(d[0], d[1]) / yaw_sd]))
        r.append(np.array([math.atan2(d[2], math.hypot(d[0], d[1])) / pitch_sd]))
        return np.concatenate(r)

    # Start: facing the camera, rolled as the eyes are, at the distance the mean IPD gives.
    ex = lm.points_px["eye_left"] - lm.points_px["eye_right"]
    z0 = f * pr.ipd_mean_mm / ipd_px
    g_px = lm.points_px["glabella"]
    rot0 = Rotation.from_rotvec([0.0, 0.0, math.atan2(ex[1], ex[0])]).as_rotvec()
    r0m = Rotation.from_rotvec(rot0).as_matrix() @ _FACING
    t0 = np.array([*(z0 * (g_px - centre) / f), z0]) - r0m @ np.asarray(glabella_mm)
    theta0 = np.concatenate([rot0, t0, [1.0]])
    sol = least_squares(residuals, theta0, method="trf", x_scale="jac", max_nfev=400)
    theta = sol.x
    if not (sol.success and np.all(np.isfinite(theta))) or theta[6] <= 0.3:
        raise InputError("landmarks", "no head pose fits them", "landmarks of one face")
    cov = _covariance(sol.jac)
    camera = _camera_from(theta[:3], theta[3:6], f, width_px, height_px)
    yaw, pitch, roll = pose_angles_deg(camera)
    glabella = np.asarray(glabella_mm, dtype=np.float64)

    def derived(th: FloatArray) -> FloatArray:
        cam = _camera_from(th[:3], th[3:6], f, width_px, height_px)
        depth = float((glabella - cam.eye_mm) @ cam.forward)
        return np.array([depth / f, *pose_angles_deg(cam)])

    values = derived(theta)
    jac = np.empty((4, 7))
    for k in range(7):
        step = 1e-6 * max(1.0, abs(theta[k]))
        hi, lo = theta.copy(), theta.copy()
        hi[k] += step
        lo[k] -= step
        jac[:, k] = (derived(hi) - derived(lo)) / (2 * step)
    var = np.einsum("ij,jk,ik->i", jac, cov, jac)
    sd = np.sqrt(np.maximum(var, 0.0))
    uv, _, _ = project(theta)
    rms = float(np.sqrt(np.mean(np.sum((uv - obs) ** 2, axis=1))))
    return PhotoFit(
        camera=camera, mm_per_px=float(values[0]), mm_per_px_sd=float(sd[0]),
        yaw_deg=yaw, pitch_deg=pitch, roll_deg=roll,
        pose_sd_deg=(float(sd[1]), float(sd[2]), float(sd[3])), face_scale=float(theta[6]),
        scale_method="interpupillary+iris" if iris else "interpupillary", rms_px=rms,
    )  # fmt: skip


def iris_agrees(iris_px: float, ipd_px: float, priors: FacePriors) -> bool:
    """Whether an iris diameter and the interpupillary distance tell the same scale within
    :data:`IRIS_OUTLIER_SD` combined standard deviations (population spreads of both, the
    iris model's and the landmarks' errors)."""
    pr = priors
    ratio = (iris_px / ipd_px) / (pr.iris_mean_mm / pr.ipd_mean_mm)
    sd = math.sqrt(
        (pr.ipd_sd_mm / pr.ipd_mean_mm) ** 2 + (pr.iris_sd_mm / pr.iris_mean_mm) ** 2
        + pr.iris_error_frac**2 + 2.0 * pr.detector_error_frac_ipd**2
    )  # fmt: skip
    return abs(math.log(ratio)) <= IRIS_OUTLIER_SD * sd


def _covariance(jac: FloatArray) -> FloatArray:
    """Inverse Gauss-Newton Hessian ``(J^T J)^-1`` (pseudo-inverse where it is singular)."""
    jtj = np.asarray(jac.T @ jac, dtype=np.float64)
    return np.asarray(np.linalg.pinv(jtj, rcond=1e-12))
