"""The course of treatment for one case: the single entry point :func:`build_course`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from smpstudio.case.model import Case
from smpstudio.course import fading
from smpstudio.course.aftercare import AftercareItem, AftercareRule, schedule_aftercare
from smpstudio.course.ics import build_calendar, zone_info
from smpstudio.course.quote import Quote, make_quote
from smpstudio.course.risks import case_warnings
from smpstudio.course.sessions import Session, schedule_sessions
from smpstudio.course.settings import CourseSettings
from smpstudio.errors import InputError

DAYS_PER_YEAR = 365.25  # Julian year: touch-up dates from model years


@dataclass(frozen=True, kw_only=True)
class TouchUp:
    """A predicted touch-up: ``kind`` is ``"hairline"`` or ``"full"``."""

    kind: str
    date: dt.date
    years_after_healed: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The plan.json ``touch_ups`` entry."""
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "years_after_healed": round(self.years_after_healed, 2),
            "reason": self.reason,
        }


@dataclass(frozen=True, kw_only=True)
class Course:
    """A planned course: sessions, aftercare, touch-ups, quote and warnings.

    ``to_dict()`` gives the plan.json keys ``sessions``, ``aftercare``, ``touch_ups``, ``quote``,
    ``warnings`` and ``fading`` (what the renderer needs for the faded view);
    ``ics_bytes()`` gives aftercare.ics.
    """

    case_id: str
    timezone: str
    session_start_time: dt.time
    technique: str
    sun_exposure: str
    fitzpatrick: int
    scars_treated: bool
    healed_date: dt.date
    sessions: tuple[Session, ...]
    aftercare: tuple[AftercareItem, ...]
    touch_ups: tuple[TouchUp, ...]
    quote: Quote
    warnings: tuple[str, ...]

    @property
    def full_touch_up(self) -> TouchUp:
        """The full top-up (always planned)."""
        return next(t for t in self.touch_ups if t.kind == "full")

    def fading_summary(self) -> dict[str, Any]:
        """The fading model's figures at the full touch-up date (the ``faded`` state)."""
        years = self.full_touch_up.years_after_healed

        def remaining(scar: bool = False, zone: fading.Zone = "body") -> float:
            frac = fading.pigment_remaining_frac(
                years,
                technique=self.technique,
                sun_exposure=self.sun_exposure,
                fitzpatrick=self.fitzpatrick,
                scar=scar,
                zone=zone,
            )
            return round(float(frac), 4)

        out: dict[str, Any] = {
            "model": "stretched exponential, anchored: -10% at 6 months, touch-up at 70%",
            "healed_date": self.healed_date.isoformat(),
            "faded_date": self.full_touch_up.date.isoformat(),
            "faded_years": round(years, 4),
            "pigment_remaining_frac": remaining(),
            "pigment_remaining_frac_hairline": remaining(zone="hairline"),
        }
        if self.scars_treated:
            out["pigment_remaining_frac_scar"] = remaining(scar=True)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The plan.json keys this package owns."""
        return {
            "sessions": [s.to_dict() for s in self.sessions],
            "aftercare": [a.to_dict() for a in self.aftercare],
            "touch_ups": [t.to_dict() for t in self.touch_ups],
            "fading": self.fading_summary(),
            "quote": self.quote.to_dict(),
            "warnings": list(self.warnings),
        }

    def ics_bytes(self) -> bytes:
        """aftercare.ics: RFC 5545, CRLF line endings, same case gives the same bytes."""
        return build_calendar(
            case_id=self.case_id,
            timezone=self.timezone,
            session_start_time=self.session_start_time,
            sessions=self.sessions,
            aftercare=self.aftercare,
        )


def case_digest(case: Case) -> str:
    """A stable 16-hex-digit digest of the filled-in case (for calendar UIDs)."""
    text = json.dumps(case.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def build_course(
    case: Case,
    *,
    dots_per_session: Sequence[int],
    hairline_dots_last_session: int,
    treated_area_cm2: float,
    scars_treated: bool,
    shade_hex: Callable[[float, float], str],
    aftercare_rules: Sequence[AftercareRule],
    settings: CourseSettings | None = None,
    needles: Sequence[str] | None = None,
    dilution_fracs: Sequence[float] | None = None,
) -> Course:
    """Plan the course of treatment for a case.

    Parameters
    ----------
    case
        The filled-in case.
    dots_per_session
        Dots the design places in each session; length ``case.design.sessions``.
    hairline_dots_last_session
        Dots of the hairline zone in the last session (placed with the finer needle).
    treated_area_cm2
        Treated scalp area, cm2 (priced per cm2).
    scars_treated
        True when the design pigments scar tissue (more sessions, faster fading).
    shade_hex
        ``shade_hex(depth_mm, pigment_frac) -> "#RRGGBB"`` from the appearance model.
    aftercare_rules
        The practice's aftercare rules (the bundled ones or a clinic's file, read by
        :func:`smpstudio.io.aftercare_file.load_aftercare_rules`).
    settings
        Practice defaults; None uses :class:`CourseSettings` defaults.
    needles, dilution_fracs
        Per session, from the design (strings; water fractions 0..1); None uses the
        defaults of :mod:`smpstudio.course.sessions` (3RL body, 1RL hairline in the last
        session; session 1 more diluted).

    Returns
    -------
    Course

    Raises
    ------
    InputError
        Naming the field: wrong number of sessions' dots, hairline dots above the last
        session's, a negative or non-finite area, an unknown time zone, no aftercare rules,
        a session limit too short for the set-up.
    """
    settings = settings if settings is not None else CourseSettings()
    zone_info(case.schedule.timezone)  # fail early, naming schedule.timezone
    if not aftercare_rules:
        raise InputError("aftercare_rules", list(aftercare_rules), "at least one rule")
    sessions, split_warnings = schedule_sessions(
        case,
        dots_per_session=dots_per_session,
        hairline_dots_last_session=hairline_dots_last_session,
        shade_hex=shade_hex,
        settings=settings,
        needles=needles,
        dilution_fracs=dilution_fracs,
    )
    aftercare = schedule_aftercare(aftercare_rules, sessions)
    healed = sessions[-1].last_date + dt.timedelta(days=settings.healed_after_days)
    touch_ups = schedule_touch_ups(
        case,
        healed_date=healed,
        hairline=hairline_dots_last_session > 0,
        scars_treated=scars_treated,
    )
    full = next(t for t in touch_ups if t.kind == "full")
    quote = make_quote(
        case.pricing,
        sessions=len(sessions),
        treated_area_cm2=treated_area_cm2,
        touch_up_due=full.date.strftime("%Y-%m"),
    )
    warnings = split_warnings + case_warnings(
        case, sessions, scars_treated=scars_treated, settings=settings
    )
    return Course(
        case_id=case_digest(case),
        timezone=case.schedule.timezone,
        session_start_time=case.schedule.session_start_time,
        technique=case.design.technique,
        sun_exposure=case.schedule.sun_exposure,
        fitzpatrick=case.skin.fitzpatrick,
        scars_treated=scars_treated,
        healed_date=healed,
        sessions=sessions,
        aftercare=aftercare,
        touch_ups=touch_ups,
        quote=quote,
        warnings=tuple(warnings),
    )


def schedule_touch_ups(
    case: Case, *, healed_date: dt.date, hairline: bool, scars_treated: bool
) -> tuple[TouchUp, ...]:
    """Touch-ups from the fading model, hairline first.

    The full top-up falls when the body dots (or, with scars treated, the faster-fading scar
    areas) reach the touch-up threshold; the hairline refresh when the finer hairline dots do.
    A hairline refresh that would not come before the full top-up is left out: the full top-up
    covers the hairline too.
    """

    def years(scar: bool = False, zone: fading.Zone = "body") -> float:
        return fading.touch_up_years(
            technique=case.design.technique,
            sun_exposure=case.schedule.sun_exposure,
            fitzpatrick=case.skin.fitzpatrick,
            scar=scar,
            zone=zone,
        )

    technique = "tricopigmentation" if case.design.technique == "tricopigmentation" else "SMP"
    full_years = years(scar=scars_treated)
    if scars_treated:
        full_reason = (
            f"Pigment over scar tissue fades fastest: it is down to about "
            f"{fading.TOUCH_UP_REMAINING_FRAC:.0%} of the healed density about "
            f"{full_years:.1f} years after healing. A top-up restores the scars and the rest."
        )
    else:
        full_reason = (
            f"{technique} dots are down to about {fading.TOUCH_UP_REMAINING_FRAC:.0%} of the "
            f"healed visual density about {full_years:.1f} years after healing "
            f"({case.schedule.sun_exposure} sun, Fitzpatrick {case.skin.fitzpatrick}); a full "
            "top-up restores it."
        )
    full = TouchUp(
        kind="full",
        date=_years_after(healed_date, full_years),
        years_after_healed=full_years,
        reason=full_reason,
    )
    if not hairline:
        return (full,)
    hairline_years = years(zone="hairline")
    if hairline_years >= full_years:
        return (full,)
    refresh = TouchUp(
        kind="hairline",
        date=_years_after(healed_date, hairline_years),
        years_after_healed=hairline_years,
        reason=(
            f"The finer, shallower hairline dots fade visibly first (about "
            f"{hairline_years:.1f} years after healing): a short session refreshes the "
            "hairline before the full top-up."
        ),
    )
    return (refresh, full)


def _years_after(day: dt.date, years: float) -> dt.date:
    return day + dt.timedelta(days=math.floor(years * DAYS_PER_YEAR + 0.5))
