"""The camera and pose fit on landmarks projected through known cameras, and its uncertainty."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from PIL import Image

from smpstudio.errors import InputError, PhotoError
from smpstudio.head.model import build_head, mean_head
from smpstudio.photofit.facemodel import FACE_POINTS_MM, FacePriors, face_points_mm
from smpstudio.photofit.fit import (
    DEFAULT_FOCAL_35MM,
    fit_photo,
    focal_35mm_from_exif,
    focal_px,
    iris_agrees,
    pose_angles_deg,
)
from smpstudio.photofit.landmarks import FaceLandmarks
from smpstudio.photofit.preview import fit_front_photo
from smpstudio.photofit.synthetic import camera_facing

GLABELLA = build_head(mean_head("male"), "male").landmarks.points_mm["glabella"]
W, H = 1200, 1600


def _landmarks(cam, noise_px=0.0, seed=0, iris_mm=11.71, scale=1.0):  # type: ignore[no-untyped-def]
    names = list(FACE_POINTS_MM)
    pts, offsets = face_points_mm(GLABELLA, names)
    pts = GLABELLA + scale * offsets
    xy, depth = cam.project(pts)
    xy = xy + np.random.default_rng(seed).normal(0.0, noise_px, xy.shape)
    eyes = [names.index("eye_right"), names.index("eye_left")]
    sides = zip(("right", "left"), eyes, strict=True)
    iris = {s: float(cam.focal_px * iris_mm / depth[i]) for s, i in sides}
    return FaceLandmarks(points_px=dict(zip(names, xy, strict=True)), iris_diameter_px=iris)


@pytest.mark.parametrize(
    ("yaw", "pitch", "roll", "dist", "f35"),
    [(0, 0, 0, 500, None), (12, -8, 5, 400, 26), (-20, 15, -10, 700, 50), (5, 22, 0, 600, 35)],
)
def test_noise_free_landmarks_give_back_the_camera(yaw, pitch, roll, dist, f35) -> None:  # type: ignore[no-untyped-def]
    cam = camera_facing(GLABELLA, width_px=W, height_px=H, distance_mm=dist, yaw_deg=yaw,
                        pitch_deg=pitch, roll_deg=roll, focal_35mm=f35)  # fmt: skip
    fit = fit_photo(_landmarks(cam), GLABELLA, W, H, focal_35mm=f35)
    truth = float((GLABELLA - cam.eye_mm) @ cam.forward) / cam.focal_px
    assert fit.mm_per_px == pytest.approx(truth, rel=2e-3)
    # The weak priors on yaw and pitch pull a little toward zero (yaw is the weakest read).
    assert fit.yaw_deg == pytest.approx(yaw, abs=0.1 * abs(yaw) + 0.3)
    assert fit.pitch_deg == pytest.approx(pitch, abs=0.05 * abs(pitch) + 0.3)
    assert fit.roll_deg == pytest.approx(roll, abs=0.5)
    assert pose_angles_deg(cam) == pytest.approx((yaw, pitch, roll), abs=1e-9)
    assert fit.rms_px < 0.002 * W  # what the priors pull away from the exact pose


def test_the_scale_uncertainty_carries_the_population_spread() -> None:
    cam = camera_facing(GLABELLA, width_px=W, height_px=H, distance_mm=500)
    lm = _landmarks(cam)
    eyes_only = FaceLandmarks(points_px=lm.points_px)
    fit_eyes = fit_photo(eyes_only, GLABELLA, W, H)
    fit_iris = fit_photo(lm, GLABELLA, W, H)
    # Eyes alone: at least the interpupillary spread, 3.5 / 63 = 5.6 %.
    assert fit_eyes.scale_method == "interpupillary"
    assert 0.055 < fit_eyes.scale_rel_sd < 0.08
    # With the irises (11.71 +- 0.42 mm, one size per person) the estimate tightens.
    assert fit_iris.scale_method == "interpupillary+iris"
    assert 0.025 < fit_iris.scale_rel_sd < fit_eyes.scale_rel_sd
    # A wider spread of eyes in the population widens the scale's uncertainty.
    wide = fit_photo(eyes_only, GLABELLA, W, H, priors=FacePriors(ipd_sd_mm=7.0))
    assert wide.scale_rel_sd > 1.5 * fit_eyes.scale_rel_sd


def test_a_face_larger_than_the_mean_reads_as_nearer_unless_the_irises_say_otherwise() -> None:
    cam = camera_facing(GLABELLA, width_px=W, height_px=H, distance_mm=500)
    truth = float((GLABELLA - cam.eye_mm) @ cam.forward) / cam.focal_px
    big = _landmarks(cam, scale=1.06)  # a 66.8 mm interpupillary distance, irises as usual
    fit = fit_photo(big, GLABELLA, W, H)
    eyes_only = fit_photo(FaceLandmarks(points_px=big.points_px), GLABELLA, W, H)
    # From the eyes alone the scale is off by the face's size; the irises recover part of it.
    assert eyes_only.mm_per_px == pytest.approx(truth / 1.06, rel=0.01)
    assert abs(fit.mm_per_px / truth - 1) < abs(eyes_only.mm_per_px / truth - 1)


def test_an_iris_that_disagrees_with_the_eyes_is_left_out() -> None:
    cam = camera_facing(GLABELLA, width_px=W, height_px=H, distance_mm=500)
    lm = _landmarks(cam, iris_mm=8.0)  # a misread iris, 32 % small
    assert not iris_agrees(next(iter(lm.iris_diameter_px.values())), lm.ipd_px, FacePriors())
    assert fit_photo(lm, GLABELLA, W, H).scale_method == "interpupillary"


def test_noisy_landmarks_stay_within_the_reported_uncertainty() -> None:
    cam = camera_facing(GLABELLA, width_px=W, height_px=H, distance_mm=500, pitch_deg=5)
    truth = float((GLABELLA - cam.eye_mm) @ cam.forward) / cam.focal_px
    errors = []
    for seed in range(12):
        fit = fit_photo(_landmarks(cam, noise_px=3.0, seed=seed), GLABELLA, W, H)
        errors.append((fit.mm_per_px - truth) / fit.mm_per_px_sd)
    assert np.max(np.abs(errors)) < 3.0


def test_three_given_points_are_enough() -> None:
    cam = camera_facing(GLABELLA, width_px=W, height_px=H, distance_mm=450, roll_deg=7)
    lm = _landmarks(cam)
    three = FaceLandmarks(
        points_px={k: lm.points_px[k] for k in ("eye_left", "eye_right", "glabella")},
        source="given",
    )
    fit = fit_photo(three, GLABELLA, W, H)
    truth = float((GLABELLA - cam.eye_mm) @ cam.forward) / cam.focal_px
    assert fit.mm_per_px == pytest.approx(truth, rel=0.01)
    assert fit.roll_deg == pytest.approx(7.0, abs=0.5)


def test_a_face_turned_too_far_is_refused() -> None:
    cam = camera_facing(GLABELLA, width_px=W, height_px=H, distance_mm=500, yaw_deg=40)
    photo = np.zeros((H, W, 3), dtype=np.uint8)
    with pytest.raises(PhotoError, match=r"turned \+\d+ deg"):
        fit_front_photo(photo, _landmarks(cam), GLABELLA)
    cam = camera_facing(GLABELLA, width_px=W, height_px=H, distance_mm=500, yaw_deg=-15)
    assert fit_front_photo(photo, _landmarks(cam), GLABELLA).yaw_deg == pytest.approx(-15, abs=1)


def test_eyes_on_top_of_each_other_are_refused() -> None:
    pts = {"eye_left": np.array([100.0, 100.0]), "eye_right": np.array([100.2, 100.0]),
           "glabella": np.array([100.0, 90.0])}  # fmt: skip
    with pytest.raises(InputError, match="eye"):
        fit_photo(FaceLandmarks(points_px=pts, source="given"), GLABELLA, W, H)


def test_focal_length_from_exif_and_the_default() -> None:
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA405] = 52
    buf = io.BytesIO()
    Image.new("RGB", (64, 48)).save(buf, format="JPEG", exif=exif.tobytes())
    assert focal_35mm_from_exif(buf.getvalue()) == 52.0
    plain = io.BytesIO()
    Image.new("RGB", (64, 48)).save(plain, format="PNG")
    assert focal_35mm_from_exif(plain.getvalue()) is None
    assert focal_35mm_from_exif(b"not an image") is None
    # 26 mm on a 4:3 photo: a 67 degree horizontal field (diagonal rule).
    f = focal_px(4000, 3000, None)
    assert 2 * math.degrees(math.atan(2000 / f)) == pytest.approx(67.3, abs=0.1)
    assert focal_px(4000, 3000, DEFAULT_FOCAL_35MM) == f
    with pytest.raises(InputError, match="focal"):
        focal_px(4000, 3000, 2.0)
