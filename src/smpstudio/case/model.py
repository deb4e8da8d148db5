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
    """Who the client is: what the defaults of head size, hairline and density depend on.

    Attributes
    ----------
    sex
        ``"male"`` or ``"female"`` (:data:`SEXES`).
    age_years
        Age in whole years, 16..100 (the hairline's height and style follow it).
    ethnicity
        One of :data:`ETHNICITIES`; sets the follicular-unit density per cm2 (PMC6219221).
    """

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
    """The client's skin: ``fitzpatrick`` type 1..6 (Fitzpatrick 1988), which picks the skin
    model's melanin and so the colour of skin and dots."""

    fitzpatrick: int


@dataclass(frozen=True, kw_only=True)
class Hair:
    """The client's own hair.

    Attributes
    ----------
    colour
        As written in the case: a named colour (``dark_brown``, ...) or ``"#RRGGBB"``.
    colour_hex
        The same colour, always ``"#RRGGBB"`` (sRGB).
    existing_density_frac
        Fraction 0..1 of the normal follicular-unit density left outside the bald area
        (below 1: diffuse thinning).
    """

    colour: str
    colour_hex: str
    existing_density_frac: float


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
    """The hair loss as the practitioner describes it; ``loss.assess_loss`` turns it into
    shapes and areas (cm2) on the scalp chart.

    Attributes
    ----------
    pattern
        One of :data:`LOSS_PATTERNS`: ``none``, ``diffuse``, a Norwood stage (Norwood 1975) or
        a Ludwig grade (Ludwig 1977).
    patches
        Bald patches (alopecia areata), ellipses on the chart in mm.
    scars
        Strip (line) scars with their width in mm, and FUE punch scars (count, diameter in mm).
    areas
        Other treatment areas drawn by the practitioner, chart polygons in mm.
    """

    pattern: LossPattern
    patches: tuple[Patch, ...] = ()
    scars: tuple[LineScar | FueScars, ...] = ()
    areas: tuple[DrawnArea, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DesignChoices:
    """The practitioner's design choices (the case file's ``design:`` section); the designed
    dots are :class:`smpstudio.design.dot_design.DotDesign`.

    Attributes
    ----------
    technique
        ``"smp"`` or ``"tricopigmentation"`` (shallower, fades in 0.5-3 years).
    style
        Hairline style, one of :data:`HAIRLINE_STYLES` (shapes in ``design.hairline``).
    mid_frontal_height_mm
        Height of the hairline's mid-frontal point above the glabella, measured along the
        forehead, mm (40..120; men 75, women 58 by default; Shapiro 2004, PMC8367035).
    density_per_cm2
        Healed dots per cm2 of scalp surface where density is full (10..150).
    sessions
        Sessions of the course, 2..7.
    max_session_minutes
        Longest sitting, minutes (60..600); a longer session is split into sittings.
    depth_mm
        Planned pigment depth below the skin surface, mm (0.02..2.5; SMP 0.3).
    impressions_per_second
        The practitioner's rate, impressions (dots) per second (0.5..3; published 1-2).
    hairline_points_mm
        A hairline drawn by the practitioner, ``(n, 2)`` chart points in mm from the client's
        left to right; None designs one from the style.
    """

    technique: Technique
    style: HairlineStyleName
    mid_frontal_height_mm: float
    density_per_cm2: float
    sessions: int
    max_session_minutes: float
    depth_mm: float
    impressions_per_second: float
    hairline_points_mm: tuple[tuple[float, float], ...] | None = None


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """When the course happens.

    Attributes
    ----------
    start
        Date of the first session (the case file's default: the planning date).
    sun_exposure
        ``"low"``, ``"moderate"`` or ``"high"``: the client's sun over the years (fading).
    timezone
        IANA time-zone name of the clinic, e.g. ``"Europe/London"`` (the calendar's times).
    session_start_time
        Local clock time the sittings start, 06:00..20:00.
    """

    start: dt.date
    sun_exposure: SunExposure
    timezone: str
    session_start_time: dt.time


@dataclass(frozen=True, kw_only=True)
class Pricing:
    """The clinic's prices; ``course.quote`` turns them into an exact quote.

    Attributes
    ----------
    currency
        ISO 4217 code, e.g. ``"USD"``; every amount below is in it.
    per_session
        Price of one session (of all its sittings), currency units (0..100,000).
    per_cm2
        Price per cm2 of treated scalp surface, currency units per cm2 (0..1,000).
    touch_up_frac
        Price of a touch-up as a fraction 0..1 of the first course.
    """

    currency: str
    per_session: float
    per_cm2: float
    touch_up_frac: float


@dataclass(frozen=True, kw_only=True)
class Case:
    """One filled-in case: every key of the case file, defaults applied, checked at the edge
    (:func:`smpstudio.io.case_file.load_case`). The core's only input besides its settings.

    Attributes
    ----------
    seed
        Seed of every random stream of the plan (``planning.streams``), 0..2**32 - 1: the same
        case and seed give the same bytes.
    client, head, skin, hair, loss, design, schedule, pricing
        The case file's sections; lengths in mm (``head``: ANSUR II definitions).
    notes
        Free-text notes, echoed in plan.json ``inputs.notes``; the case file has no key for
        them yet, so they are empty.
    """

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
