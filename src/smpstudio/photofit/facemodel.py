"""The face in the head frame: where the landmarks sit relative to the glabella, and the priors.

The head model (head/) ends at the brow; the photo fit needs the face's landmarks in the same
frame (mm, +x the client's right, +y anterior, +z up, origin between the ear canals,
Frankfort orientation). :data:`FACE_POINTS_MM` gives each named landmark's offset from the head's
glabella for an adult face with the mean interpupillary distance:

The offsets are where the detector puts each point on real faces, so that the fit compares
like with like: the mean over this project's two test portraits (tests/photofit/data) of the
face mesh's vertices, scaled so the interpupillary distance is :data:`IPD_MEAN_MM` (Dodgson
2004). They agree with adult anthropometry (Farkas 1994, Anthropometry of the Head and Face,
2nd ed.): the outer eye corners +-47.5 mm (biocular width about 91 mm; the mesh's corner
vertices sit a little outside the canthi), the inner +-18.3 mm (intercanthal width about
33 mm, likewise), the mouth corners +-28 mm (mouth width about 54 mm; the smiling portrait's
wider mouth left out); below the glabella the pupils 19 mm, the inner eye corners 22, the
outer 20 (the outer canthus a little higher, as in most adults), the nose tip 62, the
subnasale 66, the mouth corners 80 and the chin (gnathion) 128 mm, a face height from the
nasion (~9 mm above the pupils) of ~119 mm, inside Farkas's adult range. Depths (y) behind
(-) or ahead of (+) the glabella come from the mesh's relative depths on the same portraits:
the outer eye corners 25.5 mm and the inner 20 mm behind, the cornea 12 mm behind (in front
of the inner canthus), the nose tip 17 mm ahead, the subnasale level with it, the mouth corners
24 and the chin 27 mm behind. Two faces are a small sample: the fit weighs each point by how
much faces differ there (:data:`FACE_POINT_SD_MM`), and the scale comes from the eyes.

Each point carries a standard deviation (mm) for how much real faces and expressions differ
from this mean face; the fit adds it to the detector's error. Two published distributions set
the photo's scale: the interpupillary distance, mean about 63 mm with a standard deviation of
about 3.5 mm in adults (Dodgson 2004, Proc. SPIE 5291: 36-46, "Variation and extrema of human
interpupillary distance"; 50-75 mm covers the vast majority), and the horizontal visible iris
diameter (white-to-white), 11.71 +- 0.42 mm in 390 healthy adults and children (Rüfer,
Schröder & Erb 2005, Cornea 24: 259-261), which does not grow with the face.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError

FloatArray = npt.NDArray[np.float64]

IPD_MEAN_MM = 63.0
IPD_SD_MM = 3.5
IRIS_DIAMETER_MEAN_MM = 11.71
IRIS_DIAMETER_SD_MM = 0.42

# Offsets from the glabella (mm, head frame); eye_* are the pupil centres at IPD_MEAN_MM.
FACE_POINTS_MM: dict[str, tuple[float, float, float]] = {
    "glabella": (0.0, 0.0, 0.0),
    "eye_right": (0.5 * IPD_MEAN_MM, -12.0, -19.0),
    "eye_left": (-0.5 * IPD_MEAN_MM, -12.0, -19.0),
    "eye_outer_right": (47.5, -25.5, -19.7),
    "eye_outer_left": (-47.5, -25.5, -19.7),
    "eye_inner_right": (18.3, -20.0, -21.7),
    "eye_inner_left": (-18.3, -20.0, -21.7),
    "nose_tip": (0.0, 17.0, -61.6),
    "subnasale": (0.0, 0.0, -66.2),
    "mouth_right": (28.0, -24.0, -80.0),
    "mouth_left": (-28.0, -24.0, -80.0),
    "chin": (0.0, -27.0, -128.4),
}
# How far real faces stray from the mean face at each point (mm): expressions move the mouth,
# jaws differ in length, noses in projection.
FACE_POINT_SD_MM: dict[str, float] = {
    "glabella": 3.0,
    "eye_right": 1.5,
    "eye_left": 1.5,
    "eye_outer_right": 3.0,
    "eye_outer_left": 3.0,
    "eye_inner_right": 2.5,
    "eye_inner_left": 2.5,
    "nose_tip": 5.0,
    "subnasale": 4.0,
    "mouth_right": 6.0,
    "mouth_left": 6.0,
    "chin": 8.0,
}


@dataclass(frozen=True, kw_only=True)
class FacePriors:
    """Population figures the fit leans on (defaults above; change them for a population).

    Attributes
    ----------
    ipd_mean_mm, ipd_sd_mm : interpupillary distance (Dodgson 2004).
    iris_mean_mm, iris_sd_mm : horizontal visible iris diameter (Rüfer et al. 2005).
    detector_error_frac_ipd : the detector's landmark error as a fraction of the
        interpupillary distance: 3.96 %, the face mesh's mean absolute error normalised by
        the interocular distance (Kartynnik et al. 2019, arXiv:1907.06724).
    iris_error_frac : the iris model's error on the iris diameter, 3 %: MediaPipe Iris
        estimates depth from the iris with a 4.3 % mean relative error (Ablavatski et al.
        2020, arXiv:2006.11341), of which the spread of real irises accounts for 3.6 %.
    given_error_px : error of a landmark placed by hand (px, at least).
    yaw_sd_deg, pitch_sd_deg : weak priors that keep a fit from few points well posed.
    """

    ipd_mean_mm: float = IPD_MEAN_MM
    ipd_sd_mm: float = IPD_SD_MM
    iris_mean_mm: float = IRIS_DIAMETER_MEAN_MM
    iris_sd_mm: float = IRIS_DIAMETER_SD_MM
    detector_error_frac_ipd: float = 0.0396
    iris_error_frac: float = 0.03
    given_error_px: float = 1.5
    yaw_sd_deg: float = 20.0
    pitch_sd_deg: float = 25.0

    def __post_init__(self) -> None:
        for name in (
            "ipd_mean_mm", "ipd_sd_mm", "iris_mean_mm", "iris_sd_mm", "detector_error_frac_ipd",
            "iris_error_frac", "given_error_px", "yaw_sd_deg", "pitch_sd_deg",
        ):  # fmt: skip
            value = getattr(self, name)
            if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
                raise InputError(f"face_priors.{name}", value, "a number > 0")
        if not 40.0 <= self.ipd_mean_mm <= 80.0:
            raise InputError("face_priors.ipd_mean_mm", self.ipd_mean_mm, "40..80")


def face_points_mm(glabella_mm: FloatArray, names: list[str]) -> tuple[FloatArray, FloatArray]:
    """Head-frame positions ``(N, 3)`` of the named landmarks of a mean face whose glabella is
    at ``glabella_mm``, and their offsets from it ``(N, 3)`` (the part that scales with the
    face)."""
    unknown = [n for n in names if n not in FACE_POINTS_MM]
    if unknown:
        raise InputError("landmarks", unknown, "names among " + ", ".join(FACE_POINTS_MM))
    offsets = np.array([FACE_POINTS_MM[n] for n in names], dtype=np.float64).reshape(-1, 3)
    return np.asarray(glabella_mm, dtype=np.float64) + offsets, offsets
