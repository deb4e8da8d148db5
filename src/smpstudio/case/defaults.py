"""Defaults for every case-file key, by sex, ethnicity and age.

Numbers come from published tables (sources cited per table; docs/references.md). They are defaults,
not truths: the case file overrides each one. :func:`complete_case` fills a partial case (plain
data, already validated for types and ranges at the edge) into a frozen :class:`Case`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from smpstudio.case.model import (
    Case,
    Client,
    DesignChoices,
    DrawnArea,
    Ethnicity,
    FueScars,
    Hair,
    HeadMeasurements,
    LineScar,
    Loss,
    Patch,
    Pricing,
    Schedule,
    Sex,
    Skin,
)

# Head measurements, ANSUR II means (Gordon et al. 2014; NIOSH 2003), millimetres.
HEAD_MEANS_MM: dict[str, dict[str, float]] = {
    "male": {
        "circumference_mm": 574.0,
        "length_mm": 200.0,
        "breadth_mm": 154.0,
        "tragion_to_vertex_mm": 131.0,
    },
    "female": {
        "circumference_mm": 561.0,
        "length_mm": 190.0,
        "breadth_mm": 148.0,
        "tragion_to_vertex_mm": 126.5,
    },
}
HEAD_SD_MM: dict[str, dict[str, float]] = {
    "male": {
        "circumference_mm": 16.0,
        "length_mm": 7.0,
        "breadth_mm": 5.5,
        "tragion_to_vertex_mm": 6.0,
    },
    "female": {
        "circumference_mm": 19.0,
        "length_mm": 7.0,
        "breadth_mm": 5.0,
        "tragion_to_vertex_mm": 6.5,
    },
}

# Follicular units per cm2 by ethnicity: trichoscopy surveys (PMC6219221); Tsai 2002 (Chinese
# 71.8). South Asian has no figure in the reference: taken between East Asian and Hispanic.
FOLLICULAR_UNITS_PER_CM2: dict[str, float] = {
    "caucasian": 90.0,
    "east_asian": 73.0,
    "african": 65.0,
    "hispanic": 80.0,
    "south_asian": 76.0,
}

# Final SMP dot density is 0.8-1.0 x the client's follicular-unit density (SMP
# practice); the lower end keeps the look soft and leaves room for a touch-up.
DENSITY_FRAC_OF_FU = 0.8

# Fitzpatrick type and hair colour most common for each group: a starting point only; the
# practitioner sets both from the client.
FITZPATRICK_BY_ETHNICITY: dict[str, int] = {
    "caucasian": 2,
    "east_asian": 3,
    "african": 5,
    "hispanic": 4,
    "south_asian": 4,
}
HAIR_COLOUR_BY_ETHNICITY: dict[str, str] = {
    "caucasian": "dark_brown",
    "east_asian": "black",
    "african": "black",
    "hispanic": "dark_brown",
    "south_asian": "black",
}

# Display colours of shaved-stubble hair by name (sRGB), as seen at conversation distance.
HAIR_COLOURS_HEX: dict[str, str] = {
    "black": "#1E1B1A",
    "dark_brown": "#3A2A22",
    "brown": "#5B4030",
    "light_brown": "#8A6A50",
    "blonde": "#B89A6E",
    "grey": "#8C8A86",
    "white": "#D8D5CF",
}

# Mid-frontal hairline height above the glabella (Shapiro 2004): men 7.5 cm
# (6.5-10; Shapiro; Garg 8-8-8), women 5.8 cm (5.0-6.8; PMC8367035). Men's hairlines sit higher
# with age (the "mature" hairline, Norwood II at about 1.5 cm above the brow crease); we raise the
# default by 0.3 mm a year after 30, capped at 10 cm: a documented choice, not a measurement.
MID_FRONTAL_MM = {"male": 75.0, "female": 58.0}
MID_FRONTAL_RISE_MM_PER_YEAR = {"male": 0.3, "female": 0.1}
MID_FRONTAL_RISE_FROM_AGE = {"male": 30, "female": 40}
MID_FRONTAL_MAX_MM = {"male": 100.0, "female": 68.0}

MATURE_STYLE_FROM_AGE = 50

# Pigment depth: upper dermis 0.3 mm for SMP (SMP practice); tricopigmentation is
# placed more superficially (papillary dermis) so it fades in 0.5-3 years.
DEPTH_MM = {"smp": 0.30, "tricopigmentation": 0.15}

DEFAULT_SESSIONS = 3
# Scars and alopecia patches need more sessions to build density (SMP practice: 5-7 for scars and
# alopecia; the project's default 4-7).
DEFAULT_SESSIONS_SCARS_OR_PATCHES = 4
DEFAULT_MAX_SESSION_MINUTES = 240.0
DEFAULT_IMPRESSIONS_PER_SECOND = 1.5  # SMP practice: 1-2 impressions a second

DEFAULT_SUN_EXPOSURE = "moderate"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_SESSION_START = dt.time(9, 30)
# Days from "today" (given by the edge, never read from the clock here) to the default first
# session: a week to prepare, then the next Monday.
DEFAULT_LEAD_DAYS = 7

# Clinic prices (within the USD ranges of SMP practice, docs/references.md "cost").
DEFAULT_PRICING: dict[str, Any] = {
    "currency": "USD",
    "per_session": 600.0,
    "per_cm2": 3.5,
    "touch_up_frac": 0.35,
}
DEFAULT_SEED = 1


def default_mid_frontal_height_mm(sex: str, age_years: int) -> float:
    """Default hairline height above the glabella for this sex and age, millimetres."""
    rise_years = max(0, age_years - MID_FRONTAL_RISE_FROM_AGE[sex])
    height = MID_FRONTAL_MM[sex] + MID_FRONTAL_RISE_MM_PER_YEAR[sex] * rise_years
    return round(min(height, MID_FRONTAL_MAX_MM[sex]), 1)


def default_density_per_cm2(ethnicity: str) -> float:
    """Default full SMP density: 0.8 x the follicular-unit density of the group."""
    return round(DENSITY_FRAC_OF_FU * FOLLICULAR_UNITS_PER_CM2[ethnicity], 0)


def default_start(today: dt.date) -> dt.date:
    """The first Monday at least a week after ``today``."""
    first = today + dt.timedelta(days=DEFAULT_LEAD_DAYS)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def complete_case(data: dict[str, Any], *, today: dt.date) -> Case:
    """Fill a validated partial case (nested dicts, missing keys absent or None) with defaults.

    Parameters
    ----------
    data
        The case file's content after type and range validation at the edge.
    today
        The date the plan is made; only used for the default ``schedule.start``.
    """
    client_in = data.get("client") or {}
    sex: Sex = client_in.get("sex") or "male"
    age = int(client_in.get("age_years") or 40)
    ethnicity: Ethnicity = client_in.get("ethnicity") or "caucasian"
    client = Client(sex=sex, age_years=age, ethnicity=ethnicity)

    head_in = data.get("head") or {}
    head = HeadMeasurements(
        **{k: float(_pick(head_in, k, v)) for k, v in HEAD_MEANS_MM[sex].items()}
    )

    skin_in = data.get("skin") or {}
    skin = Skin(fitzpatrick=int(_pick(skin_in, "fitzpatrick", FITZPATRICK_BY_ETHNICITY[ethnicity])))

    hair_in = data.get("hair") or {}
    colour = str(_pick(hair_in, "colour", HAIR_COLOUR_BY_ETHNICITY[ethnicity]))
    colour_hex = colour.upper() if colour.startswith("#") else HAIR_COLOURS_HEX[colour]
    hair = Hair(
        colour=colour,
        colour_hex=colour_hex,
        existing_density_frac=float(_pick(hair_in, "existing_density_frac", 1.0)),
    )

    loss = _complete_loss(data.get("loss") or {})

    design_in = data.get("design") or {}
    technique = _pick(design_in, "technique", "smp")
    if sex == "female":
        default_style = "female"
    elif age >= MATURE_STYLE_FROM_AGE:
        default_style = "mature"
    else:
        default_style = "natural"
    needs_more = bool(loss.scars or loss.patches)
    hairline_points = design_in.get("hairline_points_mm")
    design = DesignChoices(
        technique=technique,
        style=_pick(design_in, "style", default_style),
        mid_frontal_height_mm=float(
            _pick(design_in, "mid_frontal_height_mm", default_mid_frontal_height_mm(sex, age))
        ),
        density_per_cm2=float(
            _pick(design_in, "density_per_cm2", default_density_per_cm2(ethnicity))
        ),
        sessions=int(
            _pick(
                design_in,
                "sessions",
                DEFAULT_SESSIONS_SCARS_OR_PATCHES if needs_more else DEFAULT_SESSIONS,
            )
        ),
        max_session_minutes=float(
            _pick(design_in, "max_session_minutes", DEFAULT_MAX_SESSION_MINUTES)
        ),
        depth_mm=float(_pick(design_in, "depth_mm", DEPTH_MM[technique])),
        impressions_per_second=float(
            _pick(design_in, "impressions_per_second", DEFAULT_IMPRESSIONS_PER_SECOND)
        ),
        hairline_points_mm=_points(hairline_points) if hairline_points else None,
    )

    schedule_in = data.get("schedule") or {}
    schedule = Schedule(
        start=_pick(schedule_in, "start", default_start(today)),
        sun_exposure=_pick(schedule_in, "sun_exposure", DEFAULT_SUN_EXPOSURE),
        timezone=_pick(schedule_in, "timezone", DEFAULT_TIMEZONE),
        session_start_time=_pick(schedule_in, "session_start_time", DEFAULT_SESSION_START),
    )

    pricing_in = data.get("pricing") or {}
    pricing = Pricing(
        currency=str(_pick(pricing_in, "currency", DEFAULT_PRICING["currency"])),
        per_session=float(_pick(pricing_in, "per_session", DEFAULT_PRICING["per_session"])),
        per_cm2=float(_pick(pricing_in, "per_cm2", DEFAULT_PRICING["per_cm2"])),
        touch_up_frac=float(_pick(pricing_in, "touch_up_frac", DEFAULT_PRICING["touch_up_frac"])),
    )

    seed = data.get("seed")
    return Case(
        seed=DEFAULT_SEED if seed is None else int(seed),
        client=client,
        head=head,
        skin=skin,
        hair=hair,
        loss=loss,
        design=design,
        schedule=schedule,
        pricing=pricing,
    )


def _pick(section: dict[str, Any], key: str, default: Any) -> Any:
    value = section.get(key)
    return default if value is None else value


def _points(points: Any) -> tuple[tuple[float, float], ...]:
    return tuple((float(p[0]), float(p[1])) for p in points)


def _complete_loss(loss_in: dict[str, Any]) -> Loss:
    patches = []
    for p in loss_in.get("patches") or ():
        radius = p.get("radius_mm")
        patches.append(
            Patch(
                u_mm=float(p["u_mm"]),
                v_mm=float(p["v_mm"]),
                rx_mm=float(radius if radius is not None else p["rx_mm"]),
                ry_mm=float(radius if radius is not None else p["ry_mm"]),
                angle_deg=float(p.get("angle_deg") or 0.0),
            )
        )
    scars: list[LineScar | FueScars] = []
    for s in loss_in.get("scars") or ():
        if s["kind"] == "line":
            scars.append(LineScar(points_mm=_points(s["points_mm"]), width_mm=float(s["width_mm"])))
        else:
            scars.append(
                FueScars(
                    region=s["region"], count=int(s["count"]), diameter_mm=float(s["diameter_mm"])
                )
            )
    areas = [DrawnArea(polygon_mm=_points(a["polygon_mm"])) for a in loss_in.get("areas") or ()]
    return Loss(
        pattern=loss_in.get("pattern") or "none",
        patches=tuple(patches),
        scars=tuple(scars),
        areas=tuple(areas),
    )
