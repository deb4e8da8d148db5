"""Course settings: the practice defaults behind the session calendar, timing and warnings.

Every default comes from SMP practice (docs/references.md), which collects
clinic and trainer publications; the peer-reviewed SMP literature is small. A clinic changes
them by passing its own :class:`CourseSettings` to :func:`smpstudio.course.build_course`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from smpstudio.design.build_up import FIRST_SESSION_DILUTION_FRAC, LAST_SESSION_DILUTION_FRAC
from smpstudio.design.needles import BODY_NEEDLE, HAIRLINE_NEEDLE
from smpstudio.errors import InputError
from smpstudio.optics.pigment import MAX_DILUTION_FRAC

# Published interval between session 1 and 2: 7-14 days, never under 5 (SMP practice).
MIN_FIRST_INTERVAL_DAYS = 5
# Impressions a practitioner places in one sitting before the scalp is too inflamed to take
# pigment evenly: "up to about 14,000" (SMP practice).
MAX_IMPRESSIONS_PER_SITTING = 14_000


@dataclass(frozen=True, kw_only=True)
class CourseSettings:
    """Practice defaults for a course of treatment.

    Parameters
    ----------
    first_interval_days
        Days from session 1 to session 2. Published 7-14, minimum 5 (SMP practice); default 10,
        the middle of the range: the first layer has settled but not yet faded.
    later_interval_days
        Days between later sessions: "about 28" (SMP practice), one epidermal turnover.
    setup_minutes
        Per sitting: consultation, marking the hairline, photographs, clean-up. 20-30 min
        (clinic practice); default 25. SMP is done without numbing, so none is added.
    break_every_needle_minutes, break_minutes
        A break of ``break_minutes`` after each ``break_every_needle_minutes`` of needle time.
        Published: breaks every 60-90 min (SMP practice); default 10 min every 75.
    max_impressions_per_sitting
        Above this a sitting draws a warning (SMP practice: up to about 14,000 impressions).
    needle_body, needle_hairline
        Needle descriptions (``design.needles``). SMP practice: 3RL 0.25-0.30 mm for the body,
        1RL 0.20-0.25 mm at the hairline (gauge #10 = 0.30 mm, #06 = 0.20 mm).
    first_session_dilution_frac, last_session_dilution_frac
        Water fraction of the ink (0 = neat pigment, 0.5 = 1:1 water:pigment), 0..0.9; the
        sessions between are interpolated linearly. Session 1 is lighter, more diluted
        (SMP practice); later layers build the final shade. Defaults 0.45 and 0.15 match
        the design's per-dot dilution (``smpstudio.design.build_up``).
    healed_after_days
        Days after the last session when the result counts as healed; the fading model and the
        touch-up dates start there (4 weeks, the end of the aftercare restrictions).
    depth_range_mm
        Depths outside draw a warning: below 0.1 mm pigment sloughs off with the epidermis,
        above 1.0 mm it blurs and turns blue (SMP practice).
    density_ratio_range
        Final dot density over the client's follicular-unit density; outside draws a warning.
        Published 0.8-1.0 (SMP practice); the warning band is wider, 0.6-1.1.
    pattern_sessions_range
        Session counts published for pattern loss: 3 (2-4) (SMP practice).
    scar_min_sessions
        Scar camouflage and alopecia usually take more sessions (4-7; SMP practice: 5-7).
    """

    first_interval_days: int = 10
    later_interval_days: int = 28
    setup_minutes: float = 25.0
    break_every_needle_minutes: float = 75.0
    break_minutes: float = 10.0
    max_impressions_per_sitting: int = MAX_IMPRESSIONS_PER_SITTING
    needle_body: str = BODY_NEEDLE.description
    needle_hairline: str = HAIRLINE_NEEDLE.description
    first_session_dilution_frac: float = FIRST_SESSION_DILUTION_FRAC
    last_session_dilution_frac: float = LAST_SESSION_DILUTION_FRAC
    healed_after_days: int = 28
    depth_range_mm: tuple[float, float] = (0.1, 1.0)
    density_ratio_range: tuple[float, float] = (0.6, 1.1)
    pattern_sessions_range: tuple[int, int] = (2, 4)
    scar_min_sessions: int = 4

    def __post_init__(self) -> None:
        if self.first_interval_days < MIN_FIRST_INTERVAL_DAYS:
            raise InputError(
                "settings.first_interval_days",
                self.first_interval_days,
                f">= {MIN_FIRST_INTERVAL_DAYS} days (published minimum between sessions 1 and 2)",
            )
        if self.later_interval_days < MIN_FIRST_INTERVAL_DAYS:
            raise InputError(
                "settings.later_interval_days",
                self.later_interval_days,
                f">= {MIN_FIRST_INTERVAL_DAYS} days",
            )
        _check_finite_range("settings.setup_minutes", self.setup_minutes, 0.0, 240.0)
        _check_finite_range(
            "settings.break_every_needle_minutes", self.break_every_needle_minutes, 1.0, 600.0
        )
        _check_finite_range("settings.break_minutes", self.break_minutes, 0.0, 120.0)
        if self.max_impressions_per_sitting < 1:
            raise InputError(
                "settings.max_impressions_per_sitting", self.max_impressions_per_sitting, ">= 1"
            )
        for name in ("first_session_dilution_frac", "last_session_dilution_frac"):
            _check_finite_range(f"settings.{name}", getattr(self, name), 0.0, MAX_DILUTION_FRAC)
        if self.healed_after_days < 0:
            raise InputError("settings.healed_after_days", self.healed_after_days, ">= 0")
        for name in ("depth_range_mm", "density_ratio_range", "pattern_sessions_range"):
            low, high = getattr(self, name)
            if not (math.isfinite(low) and math.isfinite(high) and 0 <= low < high):
                raise InputError(
                    f"settings.{name}", (low, high), "(low, high) with 0 <= low < high"
                )
        if self.scar_min_sessions < 1:
            raise InputError("settings.scar_min_sessions", self.scar_min_sessions, ">= 1")


def _check_finite_range(field: str, value: float, low: float, high: float) -> None:
    if not (math.isfinite(value) and low <= value <= high):
        raise InputError(field, value, f"{low:g}..{high:g}")
