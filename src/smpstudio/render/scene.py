"""What the renderer draws: the head chart, the client's skin and hair, and the planned dots.

The lead fills a :class:`RenderScene` from the plan; the renderer never reads the case itself.
Everything is NumPy-columnar (one array per attribute, dots on the first axis), in the head
frame of docs/interface.md section 2 (mm; +x client's right, +y anterior, +z up) and on its scalp
chart ``(u_mm, v_mm)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.head.chart import ScalpChart
from smpstudio.optics.colour import hex_to_linear_srgb
from smpstudio.optics.pigment import MAX_DILUTION_FRAC

FloatArray = npt.NDArray[np.float64]

View = Literal["top", "front", "left", "right", "back"]
State = Literal["before", "fresh", "healed", "faded"]
#: The five camera views of ``views/VIEW-STATE.png`` (docs/interface.md section 4).
VIEWS: tuple[View, ...] = ("top", "front", "left", "right", "back")
#: The four states: no dots; right after the final session; healed (4 weeks later); at the
#: predicted touch-up date.
STATES: tuple[State, ...] = ("before", "fresh", "healed", "faded")
Where = Literal["hairline", "crown"]
#: The places of the 2 cm close-ups ``closeups/PLACE-STATE.png``.
PLACES: tuple[Where, ...] = ("hairline", "crown")
#: Hairs per follicular unit, Caucasian mean (PMC6219221: 2.2; 1.5-3.0).
HAIRS_PER_FOLLICULAR_UNIT = 2.2


def check_view(view: str) -> View:
    """``view`` if it is one of :data:`VIEWS`, else :class:`InputError`."""
    if view not in VIEWS:
        raise InputError("view", view, " | ".join(VIEWS))
    return view


def check_state(state: str) -> State:
    """``state`` if it is one of :data:`STATES`, else :class:`InputError`."""
    if state not in STATES:
        raise InputError("state", state, " | ".join(STATES))
    return state


def _column(name: str, value: npt.ArrayLike, shape: tuple[int, ...], dtype: type) -> np.ndarray:
    arr: np.ndarray = np.ascontiguousarray(value, dtype=dtype)
    if arr.shape != shape:
        raise InputError(name, f"shape {arr.shape}", f"shape {shape}")
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        raise InputError(name, "non-finite values", "finite numbers")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, kw_only=True)
class DotColumns:
    """The planned pigment dots, one row per dot.

    Attributes
    ----------
    uv_mm : (N, 2) chart position.
    xyz_mm : (N, 3) the same point on the head surface (head frame).
    diameter_mm : (N,) healed diameter, > 0 (0.07-0.30, SMP practice).
    depth_mm : (N,) pigment depth, 0.05..2.0 (the appearance table's range).
    dilution_frac : (N,) water fraction of the ink, 0..0.9.
    session : (N,) 1-based session that places the dot.
    on_scar : (N,) whether the dot lies on scar tissue.
    """

    uv_mm: FloatArray
    xyz_mm: FloatArray
    diameter_mm: FloatArray
    depth_mm: FloatArray
    dilution_frac: FloatArray
    session: npt.NDArray[np.int64]
    on_scar: npt.NDArray[np.bool_]

    def __post_init__(self) -> None:
        n = int(np.shape(self.uv_mm)[0]) if np.ndim(self.uv_mm) == 2 else -1
        if n < 0:
            raise InputError("dots.uv_mm", f"shape {np.shape(self.uv_mm)}", "shape (N, 2)")
        for name, shape, dtype in (
            ("uv_mm", (n, 2), np.float64),
            ("xyz_mm", (n, 3), np.float64),
            ("diameter_mm", (n,), np.float64),
            ("depth_mm", (n,), np.float64),
            ("dilution_frac", (n,), np.float64),
            ("session", (n,), np.int64),
            ("on_scar", (n,), np.bool_),
        ):
            object.__setattr__(
                self, name, _column(f"dots.{name}", getattr(self, name), shape, dtype)
            )
        if n and (self.diameter_mm <= 0.0).any():
            raise InputError("dots.diameter_mm", float(self.diameter_mm.min()), "> 0")
        if n and not ((self.depth_mm >= 0.05) & (self.depth_mm <= 2.0)).all():
            raise InputError("dots.depth_mm", float(self.depth_mm.min()), "0.05..2.0")
        if (
            n
            and not ((self.dilution_frac >= 0.0) & (self.dilution_frac <= MAX_DILUTION_FRAC)).all()
        ):
            raise InputError(
                "dots.dilution_frac", float(self.dilution_frac.max()), f"0..{MAX_DILUTION_FRAC:g}"
            )

    @property
    def count(self) -> int:
        """Number of dots N."""
        return int(self.uv_mm.shape[0])

    @classmethod
    def empty(cls) -> DotColumns:
        """No dots."""
        return cls(
            uv_mm=np.zeros((0, 2)),
            xyz_mm=np.zeros((0, 3)),
            diameter_mm=np.zeros(0),
            depth_mm=np.zeros(0),
            dilution_frac=np.zeros(0),
            session=np.zeros(0, dtype=np.int64),
            on_scar=np.zeros(0, dtype=bool),
        )


def _polyline(name: str, value: npt.ArrayLike) -> FloatArray:
    arr = np.ascontiguousarray(value, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 2 or not np.all(np.isfinite(arr)):
        raise InputError(name, f"shape {arr.shape}", "finite chart points of shape (K, 2)")
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True, kw_only=True)
class RenderScene:
    """Everything a picture of the plan needs.

    Attributes
    ----------
    chart : the fitted head's scalp chart (its surface is the head model).
    skin_fitzpatrick : 1..6; skin and dot colours come from the appearance table for it.
    hair_colour_hex : ``"#RRGGBB"`` of the client's hair (stubble).
    follicles_uv_mm : (M, 2) existing follicular units on the hair-bearing, non-bald scalp,
        at the client's remaining density; each is drawn as a few short stubble hairs.
    dots : the planned dots.
    faded_remaining_frac : pigment remaining at the touch-up date (course.fading), 0..1.
    bald_outline_uv_mm : polygons (K, 2) of the bald area (close-up framing, tests).
    hairline_uv_mm : (H, 2) the designed hairline, temple to temple.
    scalp_outline_uv_mm : (S, 2) the outline of the hair-bearing scalp.
    scar_discs_uv_mm, scar_disc_radius_mm : (Q, 2), (Q,) scar tissue as overlapping discs
        (a line scar sampled along its centreline; one disc per FUE punch scar).
    hairs_per_follicle : mean hairs per follicular unit (PMC6219221: 1.5-3.0).
    """

    chart: ScalpChart
    skin_fitzpatrick: int
    hair_colour_hex: str
    follicles_uv_mm: FloatArray
    dots: DotColumns
    faded_remaining_frac: float
    bald_outline_uv_mm: list[FloatArray] = field(default_factory=list)
    hairline_uv_mm: FloatArray = field(default_factory=lambda: np.zeros((0, 2)))
    scalp_outline_uv_mm: FloatArray = field(default_factory=lambda: np.zeros((0, 2)))
    hairs_per_follicle: float = HAIRS_PER_FOLLICULAR_UNIT
    scar_discs_uv_mm: FloatArray = field(default_factory=lambda: np.zeros((0, 2)))
    scar_disc_radius_mm: FloatArray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        if not isinstance(self.chart, ScalpChart):
            raise InputError("chart", type(self.chart).__name__, "a ScalpChart")
        fitz = self.skin_fitzpatrick
        if isinstance(fitz, bool) or not isinstance(fitz, int | np.integer) or not 1 <= fitz <= 6:
            raise InputError("skin_fitzpatrick", fitz, "an integer 1..6")
        hex_to_linear_srgb(self.hair_colour_hex, field="hair_colour_hex")
        object.__setattr__(
            self, "follicles_uv_mm", _polyline("follicles_uv_mm", self.follicles_uv_mm)
        )
        frac = float(self.faded_remaining_frac)
        if not 0.0 <= frac <= 1.0:
            raise InputError("faded_remaining_frac", self.faded_remaining_frac, "0..1")
        object.__setattr__(
            self,
            "bald_outline_uv_mm",
            [_polyline("bald_outline_uv_mm", p) for p in self.bald_outline_uv_mm],
        )
        object.__setattr__(self, "hairline_uv_mm", _polyline("hairline_uv_mm", self.hairline_uv_mm))
        object.__setattr__(
            self, "scalp_outline_uv_mm", _polyline("scalp_outline_uv_mm", self.scalp_outline_uv_mm)
        )
        object.__setattr__(
            self, "scar_discs_uv_mm", _polyline("scar_discs_uv_mm", self.scar_discs_uv_mm)
        )
        radius = _column(
            "scar_disc_radius_mm", self.scar_disc_radius_mm, (self.scar_discs_uv_mm.shape[0],),
            np.float64,
        )  # fmt: skip
        if radius.size and (radius <= 0.0).any():
            raise InputError("scar_disc_radius_mm", float(radius.min()), "> 0")
        object.__setattr__(self, "scar_disc_radius_mm", radius)
        if not 1.0 <= float(self.hairs_per_follicle) <= 3.0:
            raise InputError("hairs_per_follicle", self.hairs_per_follicle, "1..3")
