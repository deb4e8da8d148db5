"""Warnings for risky choices in a case, in plain sentences for the practitioner.

Each check cites its number (SMP practice, docs/references.md): depth 0.1-1.0 mm ("pigment depth"),
final dot density 0.8-1.0 x the follicular-unit (FU) density ("final dot density"; the warning band
is wider, 0.6-1.1 x), up to about 14,000 impressions a sitting, 2-4 sessions for pattern loss and
4-7 for scars and alopecia ("sessions"), session length 2-5 h, 1-2 impressions a second,
tricopigmentation lasting 0.5-3 years ("longevity").
"""

from __future__ import annotations

from collections.abc import Sequence

from smpstudio.case.defaults import FOLLICULAR_UNITS_PER_CM2
from smpstudio.case.model import Case
from smpstudio.course.sessions import Session
from smpstudio.course.settings import CourseSettings
from smpstudio.units import MINUTES_PER_HOUR

# FU per cm2 by ethnicity: one table for the whole project (case.defaults).
FU_DENSITY_PER_CM2 = FOLLICULAR_UNITS_PER_CM2
MAX_SITTING_MINUTES = 300.0  # session length 2-5 h (SMP practice)
IMPRESSION_RATE_RANGE = (1.0, 2.0)  # impressions per second (SMP practice)
MIN_FIRST_INTERVAL_PUBLISHED_DAYS = 7  # session 1 to 2: 7-14 days


def _is_pattern_loss(pattern: str) -> bool:
    return pattern.startswith(("norwood-", "ludwig-")) or pattern == "diffuse"


def case_warnings(
    case: Case,
    sessions: Sequence[Session],
    *,
    scars_treated: bool,
    settings: CourseSettings,
) -> list[str]:
    """Warnings about the case's choices (the split-session warnings come from sessions).

    Parameters
    ----------
    case
        The filled-in case.
    sessions
        The scheduled sessions (for impressions per sitting and sitting lengths).
    scars_treated
        Whether the design pigments scar tissue.
    settings
        Thresholds.

    Returns
    -------
    list of str, one sentence (or two) each, in a fixed order.
    """
    design = case.design
    loss = case.loss
    out: list[str] = []

    low_mm, high_mm = settings.depth_range_mm
    if design.depth_mm < low_mm:
        out.append(
            f"Pigment depth {design.depth_mm:g} mm is shallower than {low_mm:g} mm: the pigment "
            "sits in the epidermis and sheds with it within weeks."
        )
    elif design.depth_mm > high_mm:
        out.append(
            f"Pigment depth {design.depth_mm:g} mm is deeper than {high_mm:g} mm: dots blur "
            "(blow-out) and read blue through the skin."
        )

    fu_per_cm2 = FU_DENSITY_PER_CM2.get(case.client.ethnicity)
    if fu_per_cm2 is not None:
        ratio = design.density_per_cm2 / fu_per_cm2
        low, high = settings.density_ratio_range
        if not low <= ratio <= high:
            side = "sparse and dotted" if ratio < low else "crowded; dots merge as they heal"
            out.append(
                f"Dot density {design.density_per_cm2:g} per cm2 is {ratio:.2f} x the client's "
                f"typical follicle density ({fu_per_cm2:g} follicular units per cm2, "
                f"{case.client.ethnicity.replace('_', ' ')}); outside {low:g}-{high:g} x the "
                f"result looks {side}."
            )

    for session in sessions:
        for k, sitting in enumerate(session.sittings, start=1):
            label = f"Session {session.index}" + (
                f", sitting {k}," if len(session.sittings) > 1 else ""
            )
            if sitting.dots > settings.max_impressions_per_sitting:
                out.append(
                    f"{label} places {sitting.dots:,} dots, more than the about "
                    f"{settings.max_impressions_per_sitting:,} impressions a scalp takes evenly "
                    "in one sitting; consider another session."
                )
            if sitting.estimated_minutes > MAX_SITTING_MINUTES:
                out.append(
                    f"{label} lasts about {sitting.estimated_minutes} minutes, more than the "
                    f"published {MAX_SITTING_MINUTES / MINUTES_PER_HOUR:g} hours; lower "
                    "design.max_session_minutes to split it."
                )

    rate_low, rate_high = IMPRESSION_RATE_RANGE
    if not rate_low <= design.impressions_per_second <= rate_high:
        out.append(
            f"An impression rate of {design.impressions_per_second:g} per second is outside the "
            f"usual {rate_low:g}-{rate_high:g}; the session times may be off."
        )

    if settings.first_interval_days < MIN_FIRST_INTERVAL_PUBLISHED_DAYS:
        out.append(
            f"Session 2 follows session 1 after {settings.first_interval_days} days, sooner than "
            f"the published {MIN_FIRST_INTERVAL_PUBLISHED_DAYS}-14 days; the first layer may "
            "not have settled."
        )

    pattern_loss = _is_pattern_loss(loss.pattern)
    if design.technique == "tricopigmentation" and pattern_loss and not loss.patches:
        out.append(
            f"Tricopigmentation for stable pattern loss ({loss.pattern}) fades within about "
            "0.5-3 years and needs repeat courses; SMP lasts about 4 years before a touch-up."
        )
    if design.technique == "smp" and loss.patches:
        out.append(
            "SMP over alopecia patches places permanent pigment where hair may grow back; "
            "tricopigmentation fades within 0.5-3 years and suits active alopecia better."
        )
    special = scars_treated or bool(loss.patches)
    s_low, s_high = settings.pattern_sessions_range
    if pattern_loss and not special and not s_low <= design.sessions <= s_high:
        out.append(
            f"{design.sessions} sessions for pattern hair loss is outside the usual "
            f"{s_low}-{s_high}."
        )
    if special and design.sessions < settings.scar_min_sessions:
        what = "scar tissue" if scars_treated else "alopecia patches"
        out.append(
            f"{design.sessions} sessions may be too few for {what}: scar camouflage and "
            f"alopecia usually take {settings.scar_min_sessions}-7 sessions."
        )
    if scars_treated:
        out.append(
            "Scar tissue takes and holds pigment less evenly (about 15-20% visual density lost "
            "in 6 months against 10% elsewhere): expect an earlier touch-up over the scars."
        )
    if case.schedule.sun_exposure == "high":
        out.append(
            "High sun exposure is the main cause of fading: the touch-up comes about a year "
            "earlier unless the client uses SPF 30+ or a hat outdoors."
        )
    return out
