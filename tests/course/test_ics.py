"""aftercare.ics: parses with icalendar, holds every session and rule, same case same bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from smpstudio.errors import InputError

from .helpers import make_case, plan_demo


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_calendar_parses_with_header_and_timezone() -> None:
    cal = Calendar.from_ical(plan_demo().ics_bytes())
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//SMP Studio//")
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/London"
    # Europe/London: BST (+01:00) from the last Sunday of March 2027 (28 March).
    daylight = tz.walk("DAYLIGHT")[0]
    assert daylight.decoded("DTSTART") == dt.datetime(2027, 3, 28, 2, 0)


def test_rfc5545_line_endings_and_folding() -> None:
    data = plan_demo().ics_bytes()
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75  # RFC 5545 3.1: 75 octets


def test_every_sitting_is_a_timed_event_in_the_case_zone() -> None:
    course = plan_demo(dots_per_session=[4500, 9000, 30000], hairline_dots_last_session=2000)
    events = {str(e["SUMMARY"]): e for e in _events(course.ics_bytes())}
    london = ZoneInfo("Europe/London")
    expected = {
        "SMP session 1 of 3": course.sessions[0].sittings[0],
        "SMP session 2 of 3": course.sessions[1].sittings[0],
        "SMP session 3 of 3 (sitting 1 of 2)": course.sessions[2].sittings[0],
        "SMP session 3 of 3 (sitting 2 of 2)": course.sessions[2].sittings[1],
    }
    for title, sitting in expected.items():
        event = events[title]
        start = event.decoded("DTSTART")
        assert start == dt.datetime.combine(sitting.date, dt.time(10, 0), tzinfo=london)
        assert start.utcoffset() == dt.timedelta(0)  # January and February: GMT
        assert event.decoded("DTEND") - start == dt.timedelta(minutes=sitting.estimated_minutes)
        assert f"{sitting.dots:,} dots" in str(event["DESCRIPTION"])


def test_every_aftercare_item_is_an_all_day_event() -> None:
    course = plan_demo()
    events = _events(course.ics_bytes())
    all_day = [e for e in events if not isinstance(e.decoded("DTSTART"), dt.datetime)]
    assert len(all_day) == len(course.aftercare)
    assert len(events) == len(course.aftercare) + sum(len(s.sittings) for s in course.sessions)
    by_key = {(e.decoded("DTSTART"), str(e["SUMMARY"])): e for e in all_day}
    for item in course.aftercare:
        title = item.rule.title + (f" (after session {item.session})" if item.session else "")
        event = by_key[(item.start, title)]
        last = item.end if item.end is not None else item.start
        assert event.decoded("DTEND") == last + dt.timedelta(days=1)  # DTEND is exclusive
        assert item.rule.reason in str(event["DESCRIPTION"])
    swim = by_key[(dt.date(2027, 1, 11), "No swimming")]
    assert swim.decoded("DTEND") == dt.date(2027, 3, 19)


def test_uids_unique_and_stamp_from_the_case() -> None:
    events = _events(plan_demo().ics_bytes())
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@smpstudio") for uid in uids)
    stamps = {e.decoded("DTSTAMP") for e in events}
    assert stamps == {dt.datetime(2027, 1, 11, tzinfo=dt.UTC)}


def test_same_case_same_bytes_and_other_case_other_uids() -> None:
    first = plan_demo().ics_bytes()
    assert plan_demo().ics_bytes() == first
    other = plan_demo(case=make_case(seed=8)).ics_bytes()
    assert {str(e["UID"]) for e in _events(other)}.isdisjoint(str(e["UID"]) for e in _events(first))


def test_other_time_zone_and_start_time() -> None:
    case = make_case(
        schedule__timezone="America/New_York", schedule__session_start_time=dt.time(9, 30)
    )
    course = plan_demo(case=case)
    cal = Calendar.from_ical(course.ics_bytes())
    assert str(cal.walk("VTIMEZONE")[0]["TZID"]) == "America/New_York"
    first = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "SMP session 1 of 3")
    assert first.decoded("DTSTART").utcoffset() == dt.timedelta(hours=-5)
    assert first.decoded("DTSTART").time() == dt.time(9, 30)


def test_unknown_time_zone_names_the_field() -> None:
    with pytest.raises(InputError) as err:
        plan_demo(case=make_case(schedule__timezone="Mars/Olympus_Mons"))
    assert err.value.field == "schedule.timezone"
