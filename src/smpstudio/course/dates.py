"""Dates in words, in English and independent of the machine's locale.

``strftime("%A")`` follows the process locale, so the same plan would give other bytes on
another machine; these names do not. The calendar and the client report both use them.
"""

from __future__ import annotations

import datetime as dt

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_date(day: dt.date, *, weekday: bool = True) -> str:
    """``"Monday 11 January 2027"`` (``weekday=False``: ``"11 January 2027"``)."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def short_date(day: dt.date) -> str:
    """``"Mon 11 Jan 2027"`` (for narrow table cells)."""
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def month_year(day: dt.date) -> str:
    """``"February 2031"``."""
    return f"{MONTHS[day.month - 1]} {day.year}"
