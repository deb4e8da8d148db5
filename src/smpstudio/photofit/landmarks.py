"""Named facial landmarks on a photo: from the detector's mesh, or as the practitioner gives them.

Names follow ``smp render-photo``'s JSON (docs/interface.md section 8): ``eye_left`` /
``eye_right`` are the client's (a front photo shows the client's left eye on the image's right)
and mean the centre of the pupil (the iris centre); ``glabella`` is the point between the
brows at brow level. Optional points help the pose fit: the outer and inner eye corners, the
nose tip (pronasale), the subnasale, the mouth corners (cheilion) and the chin (gnathion). The
brows are polylines of their upper edge, from the inner end outward. All in photo pixels,
``(x, y)``, x to the right, y down.

The practitioner corrects any of them with JSON (``--landmarks``): an object of name ->
``[x, y]`` (and ``brow_left`` / ``brow_right`` either a point or a list of points), or the whole
``--json`` output of an earlier run (its ``landmarks_px``). Given points replace the detected
ones of the same name; the rest stay as detected.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.photofit.facemesh import FaceMesh

FloatArray = npt.NDArray[np.float64]

REQUIRED = ("eye_left", "eye_right", "glabella")
OPTIONAL = (
    "eye_outer_right", "eye_inner_right", "eye_inner_left", "eye_outer_left",
    "nose_tip", "subnasale", "mouth_right", "mouth_left", "chin",
)  # fmt: skip
POINT_NAMES = REQUIRED + OPTIONAL
BROW_NAMES = ("brow_right", "brow_left")

# MediaPipe face mesh vertex of each named point (the canonical 468-vertex topology).
MESH_POINTS = {
    "glabella": 9,
    "eye_outer_right": 33,
    "eye_inner_right": 133,
    "eye_inner_left": 362,
    "eye_outer_left": 263,
    "nose_tip": 1,
    "subnasale": 2,
    "mouth_right": 61,
    "mouth_left": 291,
    "chin": 152,
}
# Upper edge of each brow, inner end first.
MESH_BROWS = {"brow_right": (107, 66, 105, 63, 70), "brow_left": (336, 296, 334, 293, 300)}


@dataclass(frozen=True, kw_only=True)
class FaceLandmarks:
    """Facial landmarks on one photo (pixels).

    Attributes
    ----------
    points_px : name -> (2,) for :data:`POINT_NAMES` present (at least :data:`REQUIRED`).
    brows_px : ``brow_right`` / ``brow_left`` -> (K, 2) upper edge, inner end first.
    iris_diameter_px : ``right`` / ``left`` -> horizontal visible iris diameter (px), where
        the detector measured it.
    source : ``"detector"``, ``"given"`` or ``"detector+given"``.
    given : the names the practitioner placed (their error is a click's, not the detector's).
    """

    points_px: dict[str, FloatArray]
    brows_px: dict[str, FloatArray] = field(default_factory=dict)
    iris_diameter_px: dict[str, float] = field(default_factory=dict)
    source: str = "detector"
    given: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        missing = [n for n in REQUIRED if n not in self.points_px]
        if missing:
            raise InputError("landmarks_px", sorted(self.points_px), f"to include {missing}")

    @property
    def ipd_px(self) -> float:
        """Distance between the pupils in the photo (px)."""
        return float(np.hypot(*(self.points_px["eye_left"] - self.points_px["eye_right"])))

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``landmarks_px`` of the ``--json`` output; rounded to 0.1 px)."""
        out: dict[str, Any] = {k: _r(v) for k, v in self.points_px.items()}
        out.update({k: [_r(p) for p in v] for k, v in self.brows_px.items()})
        if self.iris_diameter_px:
            out["iris_diameter_px"] = {k: round(v, 2) for k, v in self.iris_diameter_px.items()}
        return out


def _r(p: FloatArray) -> list[float]:
    return [round(float(c), 1) for c in p]


def from_mesh(face: FaceMesh) -> FaceLandmarks:
    """Named landmarks from the detector's mesh and irises."""
    mesh = face.mesh_px[:, :2]
    pts = {name: mesh[i].copy() for name, i in MESH_POINTS.items()}
    pts["eye_right"] = face.iris_px[0, 0].copy()
    pts["eye_left"] = face.iris_px[1, 0].copy()
    brows = {name: mesh[list(ix)].copy() for name, ix in MESH_BROWS.items()}
    iris = {}
    for side, k in (("right", 0), ("left", 1)):
        rim = face.iris_px[k, 1:]
        axis = pts["eye_outer_left"] - pts["eye_outer_right"]
        axis = axis / max(float(np.linalg.norm(axis)), 1e-9)
        # The limbus pair most nearly along the eye line is the horizontal diameter.
        pairs = [(rim[0], rim[2]), (rim[1], rim[3])]
        best = max(pairs, key=lambda ab: abs(float((ab[1] - ab[0]) @ axis)))
        iris[side] = float(np.linalg.norm(best[1] - best[0]))
    return FaceLandmarks(points_px=pts, brows_px=brows, iris_diameter_px=iris, source="detector")


def _point(name: str, value: Any, width_px: int, height_px: int) -> FloatArray:
    if not (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in value)
    ):
        raise InputError(f"landmarks.{name}", value, "[x, y] in pixels")
    p = np.asarray(value, dtype=np.float64)
    if not (np.all(np.isfinite(p)) and 0 <= p[0] <= width_px and 0 <= p[1] <= height_px):
        inside = f"a point inside the photo, x 0..{width_px}, y 0..{height_px}"
        raise InputError(f"landmarks.{name}", value, inside)
    return p


def parse_landmarks(data: Any, width_px: int, height_px: int) -> dict[str, Any]:
    """Checked landmark corrections: ``{"points_px": {...}, "brows_px": {...}}``.

    ``data`` is parsed JSON (or JSON text) in the form of the module docstring. Unknown names
    are refused with the list of known ones.
    """
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InputError("landmarks", f"invalid JSON ({exc.msg})", "a JSON object") from None
    if isinstance(data, dict) and "landmarks_px" in data:
        data = data["landmarks_px"]
    if not isinstance(data, dict) or not data:
        allowed = 'a JSON object {"eye_left": [x, y], ...}'
        raise InputError("landmarks", type(data).__name__, allowed)
    points: dict[str, FloatArray] = {}
    brows: dict[str, FloatArray] = {}
    for name, value in data.items():
        if name == "iris_diameter_px":
            continue  # measured by the detector; an echo of an earlier run is ignored
        if name in POINT_NAMES:
            points[name] = _point(name, value, width_px, height_px)
        elif name in BROW_NAMES:
            is_list = isinstance(value, list) and value and isinstance(value[0], list | tuple)
            pts = value if is_list else [value]
            brows[name] = np.array([_point(name, p, width_px, height_px) for p in pts])
        else:
            raise InputError(
                "landmarks", name, "names among " + ", ".join(POINT_NAMES + BROW_NAMES)
            )
    return {"points_px": points, "brows_px": brows}


def merge(detected: FaceLandmarks | None, given: dict[str, Any] | None) -> FaceLandmarks:
    """Detected landmarks with the practitioner's corrections applied.

    With nothing detected the given points must include :data:`REQUIRED`. A moved eye drops
    the detector's iris size for that eye (it no longer belongs to the corrected point).
    """
    if given is None:
        if detected is None:
            raise InputError("landmarks", None, "a detected face or given landmarks")
        return detected
    points = dict(detected.points_px) if detected else {}
    brows = dict(detected.brows_px) if detected else {}
    iris = dict(detected.iris_diameter_px) if detected else {}
    points.update(given["points_px"])
    brows.update(given["brows_px"])
    for side in ("left", "right"):
        if f"eye_{side}" in given["points_px"]:
            iris.pop(side, None)
    source = "detector+given" if detected is not None else "given"
    return FaceLandmarks(
        points_px=points, brows_px=brows, iris_diameter_px=iris, source=source,
        given=frozenset(given["points_px"]),
    )  # fmt: skip


def brow_line_px(lm: FaceLandmarks) -> FloatArray:
    """The brow line ``(K, 2)`` from the client's right to left (image left to right): the
    brows' upper edges, or, without brows, a line through the glabella parallel to the eyes."""
    if set(BROW_NAMES) <= set(lm.brows_px):
        return np.vstack([lm.brows_px["brow_right"][::-1], lm.brows_px["brow_left"]])
    g = lm.points_px["glabella"]
    axis = lm.points_px["eye_left"] - lm.points_px["eye_right"]
    half = 0.75 * axis
    return np.array([g - half, g, g + half])


def roll_rad(lm: FaceLandmarks) -> float:
    """Angle of the eye line in the photo (rad; + when the client's left eye is lower)."""
    d = lm.points_px["eye_left"] - lm.points_px["eye_right"]
    return math.atan2(float(d[1]), float(d[0]))
