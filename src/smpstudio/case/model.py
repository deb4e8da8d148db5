"""Core value types of a case: frozen, fully filled in, unit-named.

The edge (``smpstudio.io.case_file``) parses and validates YAML, fills defaults through
``smpstudio.case.defaults`` and hands the core a :class:`Case`. Nothing here reads
files or knows about pydantic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Sex = Literal["male", "female"]
Ethnicity = Literal["caucasian", "east_asian", "african", "hispanic", "south_asian"]
Technique = Literal["smp", "tricopigmentation"]
HairlineStyleName = Literal["natural", "defined", "mature", "female"]
SunExposure = Literal["low", "moderate", "high"]

SEXES: tuple[Sex, ...] = ("male", "female")
ETHNICITIES: tuple[Ethnicity, ...] = (
    "caucasian",
    "east_asian",
    "african",
    "hispanic",
    "south_asian",
)
TECHNIQUES: tuple[Technique, ...] = ("smp", "tricopigmentation")
HAIRLINE_STYLES: tuple[HairlineStyleName, ...] = ("natural", "defined", "mature", "female")
SUN_EXPOSURES: tuple[SunExposure, ...] = ("low", "moderate", "high")
NORWOOD_STAGES: tuple[str, ...] = (
    "1", "2", "2a", "3", "3a", "3v", "4", "4a", "5", "5a", "6", "7",
)  # fmt: skip
LOSS_PATTERNS: tuple[str, ...] = (
    "none",
    "diffuse",
    *(f"norwood-{s}" for s in NORWOOD_STAGES),
    "ludwig-1",
    "ludwig-2",
    "ludwig-3",
)
REGION_NAMES: tuple[str, ...] = (
    "frontal",
    "midscalp",
    "vertex",
    "temporal_left",
    "temporal_right",
    "parietal_left",
    "parietal_right",
    "occipital",
)


@dataclass(frozen=True, kw_only=True)
class Client:
    sex: Sex
    age_years: int
    ethnicity: Ethnicity


@dataclass(frozen=True, kw_only=True)
class HeadMeasurements:
    """Anthropometric head measurements (ANSUR II definitions), millimetres."""

    circumference_mm: float
    length_mm: float
    breadth_mm: float
    tragion_to_vertex_mm: float


@dataclass(frozen=True, kw_only=True)
class Skin:
    fitzpatrick: int  # 1..6


@dataclass(frozen=True, kw_only=True)
class Hair:
    colour: str  # a named colour or "#RRGGBB"
    colour_hex: str  # always "#RRGGBB"
    existing_density_frac: float  # hair left outside the bald area, 0..1


@dataclass(frozen=True, kw_only=True)
class Patch:
    """An elliptical bald patch on the scalp chart (a circle when rx_mm == ry_mm)."""

    u_mm: float
    v_mm: float
    rx_mm: float
    ry_mm: float
    angle_deg: float = 0.0


@dataclass(frozen=True, kw_only=True)
class LineScar:
    """A linear (strip, FUT) scar: a chart polyline with a width."""

    points_mm: tuple[tuple[float, float], ...]
    width_mm: float
    kind: Literal["line"] = "line"


@dataclass(frozen=True, kw_only=True)
class FueScars:
    """FUE punch scars scattered over a region."""

    region: str
    count: int
    diameter_mm: float
    kind: Literal["fue"] = "fue"


@dataclass(frozen=True, kw_only=True)
class DrawnArea:
    """A practitioner-drawn treatment area: a chart polygon."""

    polygon_mm: tuple[tuple[float, float], ...]


@dataclass(frozen=True, kw_only=True)
class Loss:
    pattern: str  # one of LOSS_PATTERNS
    patches: tuple[Patch, ...] = ()
    scars: tuple[LineScar | FueScars, ...] = ()
    areas: tuple[DrawnArea, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DesignChoices:
    technique: Technique
    style: HairlineStyleName
    mid_frontal_height_mm: float  # hairline height above the glabella, along the forehead
    density_per_cm2: float  # healed dots per cm2 where density is full
    sessions: int  # 2..7
    max_session_minutes: float
    depth_mm: float  # planned pigment depth
    impressions_per_second: float  # practitioner's rate, 1..2
    hairline_points_mm: tuple[tuple[float, float], ...] | None = None  # drawn hairline


@dataclass(frozen=True, kw_only=True)
class Schedule:
    start: dt.date
    sun_exposure: SunExposure
    timezone: str  # IANA name, e.g. "Europe/London"
    session_start_time: dt.time


@dataclass(frozen=True, kw_only=True)
class Pricing:
    currency: str
    per_session: float
    per_cm2: float
    touch_up_frac: float


@dataclass(frozen=True, kw_only=True)
class Case:
    seed: int
    client: Client
    head: HeadMeasurements
    skin: Skin
    hair: Hair
    loss: Loss
    design: DesignChoices
    schedule: Schedule
    pricing: Pricing
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The filled-in case as plain JSON-ready data (plan.json ``inputs``)."""
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value
