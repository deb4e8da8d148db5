"""Landmark corrections: the JSON forms, the checks, and how they merge with detected points."""

from __future__ import annotations

import json

import numpy as np
import pytest

from smpstudio.errors import InputError
from smpstudio.photofit.landmarks import FaceLandmarks, brow_line_px, merge, parse_landmarks

POINTS = {"eye_left": [300, 200], "eye_right": [200, 200], "glabella": [250, 180]}


def test_points_and_brows_parse_in_both_forms() -> None:
    given = parse_landmarks({**POINTS, "brow_left": [[280, 170], [320, 172]]}, 640, 480)
    assert set(given["points_px"]) == set(POINTS)
    assert given["brows_px"]["brow_left"].shape == (2, 2)
    single = parse_landmarks(json.dumps({**POINTS, "brow_right": [220, 170]}), 640, 480)
    assert single["brows_px"]["brow_right"].shape == (1, 2)
    # An earlier --json output is accepted as it is (its iris sizes are the detector's).
    echo = {"view": "front", "landmarks_px": {**POINTS, "iris_diameter_px": {"left": 9.0}}}
    assert set(parse_landmarks(echo, 640, 480)["points_px"]) == set(POINTS)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"nose": [1, 2]}, "landmarks"),  # unknown name
        ({"eye_left": [700, 10]}, "landmarks.eye_left"),  # outside the photo
        ({"eye_left": [10]}, "landmarks.eye_left"),
        ({"eye_left": [10, "a"]}, "landmarks.eye_left"),
        ({"eye_left": [10, float("nan")]}, "landmarks.eye_left"),
        ([1, 2], "landmarks"),
        ({}, "landmarks"),
        ("{not json", "landmarks"),
    ],
)
def test_bad_landmarks_are_refused_naming_the_field(data: object, field: str) -> None:
    with pytest.raises(InputError) as err:
        parse_landmarks(data, 640, 480)
    assert err.value.field == field


def test_given_points_replace_detected_ones_and_drop_a_moved_eyes_iris() -> None:
    detected = FaceLandmarks(
        points_px={k: np.asarray(v, float) for k, v in POINTS.items()},
        iris_diameter_px={"left": 18.0, "right": 18.0},
    )
    given = parse_landmarks({"eye_left": [305, 201]}, 640, 480)
    lm = merge(detected, given)
    assert lm.points_px["eye_left"].tolist() == [305, 201]
    assert lm.points_px["glabella"].tolist() == [250, 180]
    assert lm.iris_diameter_px == {"right": 18.0}
    assert lm.source == "detector+given" and lm.given == {"eye_left"}
    assert merge(detected, None) is detected


def test_without_a_detection_the_three_required_points_must_be_given() -> None:
    with pytest.raises(InputError, match="glabella"):
        merge(None, parse_landmarks({"eye_left": [1, 1], "eye_right": [5, 1]}, 10, 10))
    lm = merge(None, parse_landmarks(POINTS, 640, 480))
    assert lm.source == "given" and lm.ipd_px == pytest.approx(100.0)


def test_the_brow_line_without_brows_runs_through_the_glabella_level_with_the_eyes() -> None:
    lm = FaceLandmarks(points_px={k: np.asarray(v, float) for k, v in POINTS.items()})
    line = brow_line_px(lm)
    assert np.allclose(line[:, 1], 180.0) and line[0, 0] < 250 < line[-1, 0]
