"""Sessions: dates, dots, time in the chair, needles, dilution and shade.

Timing model (SMP practice, docs/references.md): each dot is one impression, placed at the
practitioner's rate (``design.impressions_per_second``, 1-2 per second). A sitting is

    set-up + needle time + one break per full ``break_every_needle_minutes`` of needle time,

with the break after the last stretch of needling left out (the client goes home instead).
A session whose sitting would pass ``design.max_session_minutes`` is split into the fewest
equal sittings on consecutive days that each fit; it stays one session (one price, one layer of
the build-up) and ``Course.warnings`` says so. Session dates follow the published intervals
(session 1 to 2: 7-14 days, minimum 5; later: about 28 days), counted from the LAST sitting of
the previous session, because healing starts after the last needle work.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from smpstudio.case.model import Case
from smpstudio.course.settings import CourseSettings
from smpstudio.design.build_up import session_dilution_fracs
from smpstudio.errors import InputError
from smpstudio.optics.colour import is_srgb_hex
from smpstudio.optics.pigment import MAX_DILUTION_FRAC
from smpstudio.units import seconds_to_minutes

_CEIL_TOLERANCE = 1e-9  # so that 150.0000000001 needle minutes is not a second break


@dataclass(frozen=True, kw_only=True)
class Sitting:
    """One visit to the studio: part or all of a session, on one day."""

    date: dt.date
    dots: int
    needle_minutes: float  # time spent placing dots, unrounded
    estimated_minutes: int  # set-up + needle + breaks, rounded up to a whole minute

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "dots": self.dots,
            "estimated_minutes": self.estimated_minutes,
        }


@dataclass(frozen=True, kw_only=True)
class Session:
    """One session of the course (one layer of the build-up), with its sittings."""

    index: int  # 1-based
    count: int  # sessions in the course
    dots: int
    cumulative_dots: int
    hairline_dots: int
    needle: str
    dilution_frac: float  # water fraction of the ink, 0..0.9
    shade_hex: str  # "#RRGGBB", the healed dot colour from the appearance model
    sittings: tuple[Sitting, ...]

    @property
    def date(self) -> dt.date:
        """The day of the first sitting."""
        return self.sittings[0].date

    @property
    def last_date(self) -> dt.date:
        """The day of the last sitting (healing counts from here)."""
        return self.sittings[-1].date

    @property
    def estimated_minutes(self) -> int:
        """Time in the chair over all sittings, minutes."""
        return sum(s.estimated_minutes for s in self.sittings)

    @property
    def pigment_frac(self) -> float:
        """Pigment fraction of the ink, ``1 - dilution``."""
        return 1.0 - self.dilution_frac

    def to_dict(self) -> dict[str, Any]:
        """The plan.json ``sessions`` entry."""
        return {
            "index": self.index,
            "date": self.date.isoformat(),
            "dots": self.dots,
            "cumulative_dots": self.cumulative_dots,
            "estimated_minutes": self.estimated_minutes,
            "needle": self.needle,
            "dilution": round(self.dilution_frac, 4),
            "pigment_frac": round(self.pigment_frac, 4),
            "shade_hex": self.shade_hex,
            "hairline_dots": self.hairline_dots,
            "sittings": [s.to_dict() for s in self.sittings],
        }


def sitting_minutes(dots: int, impressions_per_second: float, settings: CourseSettings) -> float:
    """Time in the chair for one sitting, unrounded.

    Parameters
    ----------
    dots
        Impressions placed in the sitting, >= 0.
    impressions_per_second
        The practitioner's rate, > 0 (published 1-2 per second).
    settings
        Set-up time and break rule.

    Returns
    -------
    float
        Minutes: ``setup + needle + breaks``, ``needle = dots / rate / 60``, one break of
        ``break_minutes`` per full ``break_every_needle_minutes`` of needle time except at the end.
    """
    needle_min = seconds_to_minutes(dots / impressions_per_second)
    stretches = math.ceil(needle_min / settings.break_every_needle_minutes - _CEIL_TOLERANCE)
    breaks = max(0, stretches - 1)
    return settings.setup_minutes + needle_min + breaks * settings.break_minutes


def whole_minutes(minutes: float) -> int:
    """Minutes rounded up to a whole minute (a hair of float error does not add one)."""
    return math.ceil(minutes - _CEIL_TOLERANCE)


def split_dots(
    dots: int, impressions_per_second: float, max_minutes: float, settings: CourseSettings
) -> list[int]:
    """The fewest near-equal sittings of a session that each fit in ``max_minutes``.

    Returns the dots per sitting (largest first, differing by at most one).
    Raises :class:`InputError` on ``design.max_session_minutes`` when not even one dot fits.
    """
    if whole_minutes(sitting_minutes(1, impressions_per_second, settings)) > max_minutes:
        raise InputError(
            "design.max_session_minutes",
            max_minutes,
            f"more than the {settings.setup_minutes:g}-minute set-up plus needle time",
        )
    sittings = 1
    while (
        whole_minutes(sitting_minutes(-(-dots // sittings), impressions_per_second, settings))
        > max_minutes
    ):
        sittings += 1
    base, extra = divmod(dots, sittings)
    return [base + 1] * extra + [base] * (sittings - extra)


def default_needles(
    count: int, hairline_dots_last_session: int, settings: CourseSettings
) -> list[str]:
    """Needle per session: 3RL for the body; the last session adds 1RL for the hairline dots.

    The design places the single, finer hairline dots in the last session (the hairline is
    refined once the body has healed), so only that session mixes needles.
    """
    needles = [settings.needle_body] * count
    if hairline_dots_last_session > 0:
        needles[-1] = f"{settings.needle_body}, {settings.needle_hairline} at the hairline"
    return needles


def default_dilution_fracs(count: int, settings: CourseSettings) -> list[float]:
    """Water fraction per session: session 1 most diluted (lighter), linear to the last
    (:func:`smpstudio.design.build_up.session_dilution_fracs`, the design's own numbers)."""
    return session_dilution_fracs(
        count,
        first_frac=settings.first_session_dilution_frac,
        last_frac=settings.last_session_dilution_frac,
    ).tolist()


def schedule_sessions(
    case: Case,
    *,
    dots_per_session: Sequence[int],
    hairline_dots_last_session: int,
    shade_hex: Callable[[float, float], str],
    settings: CourseSettings,
    needles: Sequence[str] | None = None,
    dilution_fracs: Sequence[float] | None = None,
) -> tuple[tuple[Session, ...], list[str]]:
    """Schedule the sessions of a course.

    Parameters
    ----------
    case
        The filled-in case (design and schedule are used).
    dots_per_session
        Dots placed in each session, length ``case.design.sessions``.
    hairline_dots_last_session
        Dots of the hairline zone placed in the last session (0..its dots).
    shade_hex
        ``shade_hex(depth_mm, pigment_frac) -> "#RRGGBB"``, the healed colour of a dot.
    settings
        Practice defaults.
    needles, dilution_fracs
        Per session, from the design; None uses :func:`default_needles`,
        :func:`default_dilution_fracs`.

    Returns
    -------
    (sessions, warnings)
    """
    design = case.design
    count = design.sessions
    dots_list = _check_dots(dots_per_session, count)
    last_dots = dots_list[-1]
    if not 0 <= hairline_dots_last_session <= last_dots:
        raise InputError(
            "hairline_dots_last_session",
            hairline_dots_last_session,
            f"0..{last_dots} (the dots of the last session)",
        )
    rate = design.impressions_per_second
    if not (math.isfinite(rate) and rate > 0):
        raise InputError("design.impressions_per_second", rate, "> 0 (published 1-2)")
    if not (math.isfinite(design.max_session_minutes) and design.max_session_minutes > 0):
        raise InputError("design.max_session_minutes", design.max_session_minutes, "> 0 minutes")
    needle_list = (
        list(needles)
        if needles is not None
        else default_needles(count, hairline_dots_last_session, settings)
    )
    dilution_frac_list = (
        list(dilution_fracs)
        if dilution_fracs is not None
        else default_dilution_fracs(count, settings)
    )
    if len(needle_list) != count:
        raise InputError("needles", len(needle_list), f"{count} entries (design.sessions)")
    if len(dilution_frac_list) != count or not all(
        0.0 <= d <= MAX_DILUTION_FRAC for d in dilution_frac_list
    ):
        raise InputError(
            "dilution_fracs",
            dilution_frac_list,
            f"{count} water fractions in 0..{MAX_DILUTION_FRAC:g}",
        )

    sessions: list[Session] = []
    warnings: list[str] = []
    day = case.schedule.start
    cumulative = 0
    for i, dots in enumerate(dots_list):
        index = i + 1
        if i == 1:
            day = sessions[-1].last_date + dt.timedelta(days=settings.first_interval_days)
        elif i > 1:
            day = sessions[-1].last_date + dt.timedelta(days=settings.later_interval_days)
        parts = split_dots(dots, rate, design.max_session_minutes, settings)
        sittings = tuple(
            _sitting(day + dt.timedelta(days=k), part, rate, settings)
            for k, part in enumerate(parts)
        )
        if len(sittings) > 1:
            whole = whole_minutes(sitting_minutes(dots, rate, settings))
            dates = ", ".join(s.date.isoformat() for s in sittings)
            warnings.append(
                f"Session {index} ({dots:,} dots, about {whole} minutes) is longer than the "
                f"{design.max_session_minutes:g}-minute limit: it is split into {len(sittings)} "
                f"sittings on consecutive days ({dates})."
            )
        cumulative += dots
        colour = shade_hex(design.depth_mm, 1.0 - dilution_frac_list[i])
        if not is_srgb_hex(colour):
            raise InputError("shade_hex", colour, 'a colour "#RRGGBB"')
        sessions.append(
            Session(
                index=index,
                count=count,
                dots=dots,
                cumulative_dots=cumulative,
                hairline_dots=hairline_dots_last_session if index == count else 0,
                needle=needle_list[i],
                dilution_frac=float(dilution_frac_list[i]),
                shade_hex=colour.upper(),
                sittings=sittings,
            )
        )
    return tuple(sessions), warnings


def _sitting(day: dt.date, dots: int, rate: float, settings: CourseSettings) -> Sitting:
    minutes = sitting_minutes(dots, rate, settings)
    return Sitting(
        date=day,
        dots=dots,
        needle_minutes=seconds_to_minutes(dots / rate),
        estimated_minutes=whole_minutes(minutes),
    )


def _check_dots(dots_per_session: Sequence[int], count: int) -> list[int]:
    try:
        dots_list = [int(d) for d in dots_per_session]
    except (TypeError, ValueError, OverflowError) as exc:
        raise InputError("dots_per_session", list(dots_per_session), "whole numbers >= 0") from exc
    if len(dots_list) != count:
        raise InputError(
            "dots_per_session", len(dots_list), f"{count} entries (one per design.sessions)"
        )
    if any(d < 0 for d in dots_list) or any(
        d != raw for d, raw in zip(dots_list, dots_per_session, strict=True)
    ):
        raise InputError("dots_per_session", list(dots_per_session), "whole numbers >= 0")
    if sum(dots_list) == 0:
        raise InputError("dots_per_session", dots_list, "at least one dot in the course")
    return dots_list
