"""The face detector: MediaPipe's face detection, face mesh and iris models, run with LiteRT.

This is the one module that knows the detector; everything after it works on named landmarks
(:mod:`smpstudio.photofit.landmarks`), so another detector plugs in here.

The models are the three TensorFlow Lite files of MediaPipe's classic face mesh pipeline,
shipped in the ``mediapipe`` 0.10.14 wheel on PyPI (``mediapipe/modules/...``; the npm package
``@mediapipe/face_mesh`` ships the same models for the browser) under the Apache License 2.0
(``data/LICENSE-mediapipe.txt``), copied into ``data/`` unchanged (SHA-256 in
``data/MODELS.md``). They run on ``ai-edge-litert``, Google's TensorFlow Lite runtime
(a 22 MB wheel): nothing is downloaded at run time. The pipeline is MediaPipe's graph for
still images:

1. **Face detection** (BlazeFace short range; Bazarevsky et al. 2019, arXiv:1907.05047): the
   photo letterboxed to 128 x 128, pixel values scaled to [-1, 1]; 896 SSD anchors (strides
   8, 16, 16, 16; 2 + 6 anchors per cell, fixed size) decoded to boxes and six keypoints;
   scores through a sigmoid, kept above :data:`MIN_DETECTION_SCORE`; overlapping boxes merged
   by score-weighted averaging (MediaPipe's weighted non-maximum suppression, IoU 0.3). The
   largest face is the client's.
2. **Face mesh** (Kartynnik et al. 2019, arXiv:1907.06724): a square crop 1.5 x the face box,
   turned so the eyes are level, resampled to 192 x 192 in [0, 1]; 468 landmarks with a
   relative depth, and a face-presence score. The crop is then redone from the mesh itself
   (MediaPipe's tracking ROI: the mesh's bounding box x 1.5, level with the outer eye
   corners) and the mesh predicted again, which centres the face as the model was trained.
3. **Iris** (Ablavatski et al. 2020, arXiv:2006.11341): for each eye a square crop 2.3 x the
   eye-corner distance, 64 x 64 in [0, 1] (the subject's left eye mirrored: the model sees
   right eyes); five iris points (centre and four on the limbus) per eye.

Photo coordinates are continuous pixels: pixel ``(row, col)`` covers ``[col, col + 1) x
[row, row + 1)`` (render.raster's convention).
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt
from PIL import Image

FloatArray = npt.NDArray[np.float64]

MODELS = resources.files("smpstudio.photofit").joinpath("data")
DETECTOR_MODEL = "face_detection_short_range.tflite"
MESH_MODEL = "face_landmark.tflite"
IRIS_MODEL = "iris_landmark.tflite"

DETECTOR_SIZE_PX = 128
MESH_SIZE_PX = 192
IRIS_SIZE_PX = 64
MIN_DETECTION_SCORE = 0.5
NMS_IOU = 0.3
FACE_ROI_SCALE = 1.5
IRIS_ROI_SCALE = 2.3
MIN_FACE_PRESENCE = 0.5
#: Mesh indices of the eye corners (outer, inner): the subject's right eye, then the left.
EYE_CORNERS = ((33, 133), (263, 362))


@dataclass(frozen=True, kw_only=True)
class FaceMesh:
    """One face as the detector saw it (photo pixels).

    Attributes
    ----------
    mesh_px : (468, 3) MediaPipe face mesh: x, y in photo pixels and a relative depth z
        (same scale as x; smaller is nearer the camera).
    iris_px : (2, 5, 2) the subject's right then left iris: centre, then four limbus points.
    box_px : (4,) the detector's face box: x_min, y_min, x_max, y_max.
    detection_score : 0..1, the face detector's confidence.
    presence_score : 0..1, the mesh model's confidence that its crop holds a face.
    """

    mesh_px: FloatArray
    iris_px: FloatArray
    box_px: FloatArray
    detection_score: float
    presence_score: float


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence the runtime's C++ start-up notice ("Created TensorFlow Lite XNNPACK delegate")."""
    try:
        saved = os.dup(2)
    except OSError:  # no file descriptor 2 (embedded interpreters): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


class _Model:
    """One TensorFlow Lite model with a single image input (thread-safe ``run``)."""

    def __init__(self, name: str) -> None:
        from ai_edge_litert.interpreter import Interpreter

        model = MODELS.joinpath(name).read_bytes()  # package data
        with _quiet_stderr():
            self._it = Interpreter(model_content=model, num_threads=1)
            self._it.allocate_tensors()
        self._input = self._it.get_input_details()[0]["index"]
        self._outputs = [d["index"] for d in self._it.get_output_details()]
        self._lock = threading.Lock()

    def run(self, tensor: npt.NDArray[np.float32]) -> list[FloatArray]:
        with self._lock:
            self._it.set_tensor(self._input, tensor[None].astype(np.float32))
            self._it.invoke()
            return [np.asarray(self._it.get_tensor(i), dtype=np.float64) for i in self._outputs]


def _ssd_anchors() -> FloatArray:
    """Anchor centres ``(896, 2)`` of the short-range detector, normalised (MediaPipe's
    SsdAnchorsCalculator: strides 8, 16, 16, 16; two anchors per layer per cell)."""
    centres = []
    for stride, per_cell in ((8, 2), (16, 6)):
        n = DETECTOR_SIZE_PX // stride
        yy, xx = np.meshgrid((np.arange(n) + 0.5) / n, (np.arange(n) + 0.5) / n, indexing="ij")
        grid = np.stack([xx.ravel(), yy.ravel()], axis=-1)
        centres.append(np.repeat(grid, per_cell, axis=0))
    return np.concatenate(centres)


_ANCHORS = _ssd_anchors()


def _sigmoid(x: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(x, -100.0, 100.0))))


def _iou(box: FloatArray, boxes: FloatArray) -> FloatArray:
    x0 = np.maximum(box[0], boxes[:, 0])
    y0 = np.maximum(box[1], boxes[:, 1])
    x1 = np.minimum(box[2], boxes[:, 2])
    y1 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x1 - x0, 0.0, None) * np.clip(y1 - y0, 0.0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return np.asarray(inter / np.maximum(area + areas - inter, 1e-12))


class _Pyramid:
    """A photo and its box-filtered reductions by integer factors (each made once)."""

    def __init__(self, image: Image.Image) -> None:
        self.image = image
        self._levels: dict[int, Image.Image] = {1: image}

    def level(self, factor: int) -> Image.Image:
        if factor not in self._levels:
            # From the nearest finer level that divides it (a box filter of a box filter).
            base = max(f for f in self._levels if factor % f == 0)
            self._levels[factor] = self._levels[base].reduce(factor // base)
        return self._levels[factor]


def _square_crop(
    photo: _Pyramid, centre: FloatArray, side_px: float, angle_rad: float, out_px: int
) -> tuple[npt.NDArray[np.float32], FloatArray]:
    """A square crop turned by ``angle_rad`` (image y down), resampled to ``out_px``.

    Returns the crop as float32 ``(out, out, 3)`` in [0, 1] and the 2 x 3 affine map from crop
    pixels to photo pixels (continuous coordinates).
    """
    # Shrink first by a power of two so bilinear sampling does not alias (box filter).
    factor = 1 << max(0, int(math.log2(max(side_px / (2.0 * out_px), 1.0))))
    src = photo.level(factor)
    k = side_px / out_px
    c, s = math.cos(angle_rad), math.sin(angle_rad)
    lin = np.array([[k * c, -k * s], [k * s, k * c]])
    offset = np.asarray(centre, dtype=np.float64) - lin @ np.array([0.5 * out_px, 0.5 * out_px])
    affine = np.concatenate([lin, offset[:, None]], axis=1)
    scaled = affine / factor
    crop = src.transform(
        (out_px, out_px),
        Image.Transform.AFFINE,
        tuple(scaled.ravel().tolist()),
        resample=Image.Resampling.BILINEAR,
    )
    return np.asarray(crop, dtype=np.float32) / np.float32(255.0), affine


def _to_photo(affine: FloatArray, pts: FloatArray) -> FloatArray:
    return np.asarray(pts @ affine[:, :2].T + affine[:, 2])


class FaceMeshDetector:
    """MediaPipe face detection + face mesh + iris on still photos (models loaded once)."""

    def __init__(self) -> None:
        self._detector = _Model(DETECTOR_MODEL)
        self._mesh = _Model(MESH_MODEL)
        self._iris = _Model(IRIS_MODEL)

    def detect(self, photo_rgb8: npt.NDArray[np.uint8]) -> FaceMesh | None:
        """The largest face of an 8-bit RGB photo ``(H, W, 3)``, or ``None`` if there is none."""
        image = Image.fromarray(np.ascontiguousarray(photo_rgb8, dtype=np.uint8), "RGB")
        pyramid = _Pyramid(image)
        found = self._detect_face(image)
        if found is None:
            return None
        box, keypoints, score = found
        eye_r, eye_l = keypoints[0], keypoints[1]
        angle = math.atan2(eye_l[1] - eye_r[1], eye_l[0] - eye_r[0])
        side = FACE_ROI_SCALE * max(box[2] - box[0], box[3] - box[1])
        centre = 0.5 * (box[:2] + box[2:])
        mesh, presence = self._run_mesh(pyramid, centre, side, angle)
        # Second pass from the mesh's own region (MediaPipe's tracking ROI).
        (o_r, _), (o_l, _) = EYE_CORNERS
        angle = math.atan2(mesh[o_l, 1] - mesh[o_r, 1], mesh[o_l, 0] - mesh[o_r, 0])
        lo, hi = mesh[:, :2].min(axis=0), mesh[:, :2].max(axis=0)
        mesh, presence = self._run_mesh(
            pyramid, 0.5 * (lo + hi), FACE_ROI_SCALE * float(np.max(hi - lo)), angle
        )
        if presence < MIN_FACE_PRESENCE:
            return None
        iris = np.stack([self._run_iris(pyramid, mesh, side_ix) for side_ix in (0, 1)])
        return FaceMesh(
            mesh_px=mesh, iris_px=iris, box_px=box, detection_score=score, presence_score=presence
        )

    def _detect_face(self, image: Image.Image) -> tuple[FloatArray, FloatArray, float] | None:
        w, h = image.size
        scale = DETECTOR_SIZE_PX / max(w, h)
        rw, rh = max(1, round(w * scale)), max(1, round(h * scale))
        small = image.resize((rw, rh), Image.Resampling.BILINEAR, reducing_gap=3.0)
        canvas = np.zeros((DETECTOR_SIZE_PX, DETECTOR_SIZE_PX, 3), dtype=np.float32)
        px, py = (DETECTOR_SIZE_PX - rw) // 2, (DETECTOR_SIZE_PX - rh) // 2
        canvas[py : py + rh, px : px + rw] = np.asarray(small, dtype=np.float32) / 127.5 - 1.0
        raw, logits = self._detector.run(canvas)
        raw, scores = raw[0], _sigmoid(logits[0, :, 0])
        keep = np.flatnonzero(scores >= MIN_DETECTION_SCORE)
        if keep.size == 0:
            return None
        size = float(DETECTOR_SIZE_PX)
        centre = raw[keep, 0:2] / size + _ANCHORS[keep]
        half = 0.5 * raw[keep, 2:4] / size
        boxes = np.concatenate([centre - half, centre + half], axis=1)
        kps = raw[keep, 4:16].reshape(-1, 6, 2) / size + _ANCHORS[keep, None, :]
        order = np.argsort(-scores[keep])
        faces = []
        remaining = order
        while remaining.size:
            top = remaining[0]
            overlap = _iou(boxes[top], boxes[remaining]) > NMS_IOU
            group = remaining[overlap]
            wts = scores[keep][group]
            merged_box = np.average(boxes[group], axis=0, weights=wts)
            merged_kps = np.average(kps[group], axis=0, weights=wts)
            faces.append((merged_box, merged_kps, float(scores[keep][top])))
            remaining = remaining[~overlap]
        # Back to photo pixels (undo the letterbox), keep the largest face.
        to_px = np.array([px, py], dtype=np.float64)

        def photo(p: FloatArray) -> FloatArray:
            return np.asarray((p * size - to_px) / scale)

        box, kp, score = max(faces, key=lambda f: (f[0][2] - f[0][0]) * (f[0][3] - f[0][1]))
        box_px = np.concatenate([photo(box[:2]), photo(box[2:])])
        return box_px, photo(kp), score

    def _run_mesh(
        self, photo: _Pyramid, centre: FloatArray, side_px: float, angle: float
    ) -> tuple[FloatArray, float]:
        crop, affine = _square_crop(photo, centre, side_px, angle, MESH_SIZE_PX)
        raw, presence = self._mesh.run(crop)
        pts = raw.reshape(468, 3)
        xy = _to_photo(affine, pts[:, :2])
        z = pts[:, 2] * side_px / MESH_SIZE_PX
        return np.column_stack([xy, z]), float(_sigmoid(presence.ravel())[0])

    def _run_iris(self, photo: _Pyramid, mesh: FloatArray, side_ix: int) -> FloatArray:
        outer, inner = (mesh[i, :2] for i in EYE_CORNERS[side_ix])
        # The model takes the subject's right eye as a camera sees it (outer corner on the
        # crop's left); the left eye is cropped the same way round and mirrored.
        a, b = (outer, inner) if side_ix == 0 else (inner, outer)
        angle = math.atan2(b[1] - a[1], b[0] - a[0])
        side = IRIS_ROI_SCALE * float(np.hypot(*(b - a)))
        crop, affine = _square_crop(photo, 0.5 * (a + b), side, angle, IRIS_SIZE_PX)
        if side_ix == 1:
            crop = crop[:, ::-1]
        _, iris = self._iris.run(np.ascontiguousarray(crop))
        pts = iris.reshape(5, 3)[:, :2].copy()
        if side_ix == 1:
            pts[:, 0] = IRIS_SIZE_PX - pts[:, 0]
        return _to_photo(affine, pts)


_DETECTOR: FaceMeshDetector | None = None
_DETECTOR_LOCK = threading.Lock()


def default_detector() -> FaceMeshDetector:
    """The process-wide detector (models loaded on first use, ~0.2 s)."""
    global _DETECTOR
    with _DETECTOR_LOCK:
        if _DETECTOR is None:
            _DETECTOR = FaceMeshDetector()
        return _DETECTOR
