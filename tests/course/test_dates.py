"""Dates in words: locale-free, one set of names for the calendar and the report."""

from __future__ import annotations

import datetime as dt
import locale

from smpstudio.course.dates import long_date, month_year, short_date
from smpstudio.report.text import fmt_date, fmt_date_short, fmt_month


def test_words() -> None:
    day = dt.date(2027, 1, 11)
    assert long_date(day) == "Monday 11 January 2027"
    assert long_date(day, weekday=False) == "11 January 2027"
    assert short_date(day) == "Mon 11 Jan 2027"
    assert month_year(dt.date(2031, 2, 3)) == "February 2031"


def test_the_report_uses_the_same_words() -> None:
    assert fmt_date("2027-01-11") == long_date(dt.date(2027, 1, 11))
    assert fmt_date_short("2027-01-11") == short_date(dt.date(2027, 1, 11))
    assert fmt_month("2031-02-03") == month_year(dt.date(2031, 2, 3))


def test_every_weekday_and_month_independent_of_the_locale() -> None:
    before = locale.setlocale(locale.LC_TIME)
    try:
        for name in ("de_DE.UTF-8", "fr_FR.UTF-8"):
            try:
                locale.setlocale(locale.LC_TIME, name)
                break
            except locale.Error:
                continue
        days = {long_date(dt.date(2027, 1, 11) + dt.timedelta(days=k)).split()[0] for k in range(7)}
        months = {month_year(dt.date(2027, m, 1)).split()[0] for m in range(1, 13)}
    finally:
        locale.setlocale(locale.LC_TIME, before)
    assert days == {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
    assert len(months) == 12 and "September" in months
