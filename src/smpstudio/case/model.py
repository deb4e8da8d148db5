"""Core value types of a case: frozen, fully filled in, unit-named.

The edge (``smpstudio.io.case_file``) parses and validates YAML, fills defaults through
``smpstudio.case.defaults`` and hands the core a :class:`Case`. Nothing here reads
files or knows about pydantic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

Sex = Literal["male", "female"]
Ethnicity = Literal["caucasian", "east_asian", "african", "hispanic", "south_asian"]
Technique = Literal["smp", "tricopigmentation"]
HairlineStyleName = Literal["natural", "defined", "mature", "female"]
SunExposure = Literal["low", "moderate", "high"]
#: Hair-loss patterns: none, diffuse thinning, Norwood stages (men; Norwood 1975), Ludwig grades
#: (women; Ludwig 1977).
LossPattern = Literal[
    "none", "diffuse",
    "norwood-1", "norwood-2", "norwood-2a", "norwood-3", "norwood-3a", "norwood-3v",
    "norwood-4", "norwood-4a", "norwood-5", "norwood-5a", "norwood-6", "norwood-7",
    "ludwig-1", "ludwig-2", "ludwig-3",
]  # fmt: skip
#: The eight named regions of the hair-bearing scalp (``smpstudio.regions``).
RegionName = Literal[
    "frontal", "midscalp", "vertex", "temporal_left", "temporal_right", "parietal_left",
    "parietal_right", "occipital",
]  # fmt: skip

# The allowed values as tuples, in the order above: the one list each, used by the core's
# checks and (through the Literal types) by the case-file schema.
SEXES: tuple[Sex, ...] = get_args(Sex)
ETHNICITIES: tuple[Ethnicity, ...] = get_args(Ethnicity)
TECHNIQUES: tuple[Technique, ...] = get_args(Technique)
HAIRLINE_STYLES: tuple[HairlineStyleName, ...] = get_args(HairlineStyleName)
SUN_EXPOSURES: tuple[SunExposure, ...] = get_args(SunExposure)
LOSS_PATTERNS: tuple[LossPattern, ...] = get_args(LossPattern)
NORWOOD_STAGES: tuple[str, ...] = tuple(
    p.removeprefix("norwood-") for p in LOSS_PATTERNS if p.startswith("norwood-")
)
REGION_NAMES: tuple[str, ...] = get_args(RegionName)


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

    region: RegionName
    count: int
    diameter_mm: float
    kind: Literal["fue"] = "fue"


@dataclass(frozen=True, kw_only=True)
class DrawnArea:
    """A practitioner-drawn treatment area: a chart polygon."""

    polygon_mm: tuple[tuple[float, float], ...]


@dataclass(frozen=True, kw_only=True)
class Loss:
    pattern: LossPattern
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
