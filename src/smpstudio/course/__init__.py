"""The course of treatment: sessions, aftercare and its calendar, fading, touch-ups, quote,
warnings. Entry point: :func:`build_course`. See docs/course.md.
"""

from smpstudio.course.aftercare import AftercareItem, AftercareRule
from smpstudio.course.build import Course, TouchUp, build_course
from smpstudio.course.fading import fade_rate_multiplier, pigment_remaining_frac, touch_up_years
from smpstudio.course.quote import Quote, QuoteLine
from smpstudio.course.sessions import Session, Sitting
from smpstudio.course.settings import CourseSettings

__all__ = [
    "AftercareItem",
    "AftercareRule",
    "Course",
    "CourseSettings",
    "Quote",
    "QuoteLine",
    "Session",
    "Sitting",
    "TouchUp",
    "build_course",
    "fade_rate_multiplier",
    "pigment_remaining_frac",
    "touch_up_years",
]
