"""The course as an RFC 5545 calendar (aftercare.ics), built with the ``icalendar`` library.

One timed event per sitting ("SMP session 2 of 3") in the case's time zone, with a VTIMEZONE
built from the IANA zone, and one all-day event per aftercare item spanning its dates (DTEND is
exclusive in RFC 5545, so it is the day after the last day). Output is deterministic: UIDs come
from a hash of the case and the event's role, DTSTAMP is the course start at midnight UTC, and
properties are written in a fixed order, so the same case gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event, Timezone

from smpstudio import __version__
from smpstudio.course.aftercare import AftercareItem
from smpstudio.course.dates import long_date
from smpstudio.course.sessions import Session, Sitting
from smpstudio.errors import InputError
from smpstudio.units import MINUTES_PER_HOUR

PRODID = f"-//SMP Studio//smpstudio {__version__}//EN"
UID_DOMAIN = "smpstudio"


def zone_info(timezone: str) -> ZoneInfo:
    """The IANA zone, or :class:`InputError` on ``schedule.timezone``."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            "schedule.timezone", timezone, "an IANA zone such as Europe/London"
        ) from exc


def build_calendar(
    *,
    case_id: str,
    timezone: str,
    session_start_time: dt.time,
    sessions: Sequence[Session],
    aftercare: Sequence[AftercareItem],
) -> bytes:
    """The calendar as bytes (CRLF line endings, folded lines).

    Parameters
    ----------
    case_id
        A stable hex digest of the case; UIDs are ``{case_id}-{role}@smpstudio``.
    timezone
        IANA zone of the studio (``Schedule.timezone``).
    session_start_time
        Local start time of every sitting.
    sessions, aftercare
        The course's sessions and dated aftercare items.
    """
    zone = zone_info(timezone)
    first = sessions[0].date
    last = max([sessions[-1].last_date] + [item.end or item.start for item in aftercare])
    stamp = dt.datetime.combine(first, dt.time(0, 0), tzinfo=dt.UTC)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "SMP treatment and aftercare")
    cal.add("x-wr-timezone", timezone)
    cal.add_component(
        Timezone.from_tzid(
            timezone,
            first_date=dt.date(first.year, 1, 1),
            last_date=dt.date(last.year + 2, 1, 1),
        )
    )
    for session in sessions:
        for k, sitting in enumerate(session.sittings, start=1):
            cal.add_component(
                _sitting_event(session, k, sitting, zone, session_start_time, case_id, stamp)
            )
    for item in aftercare:
        cal.add_component(_aftercare_event(item, len(sessions), case_id, stamp))
    return cal.to_ical()


def session_title(session: Session, sitting_number: int = 1) -> str:
    """``"SMP session 2 of 3"``, with ``" (sitting 1 of 2)"`` when the session is split."""
    title = f"SMP session {session.index} of {session.count}"
    if len(session.sittings) > 1:
        title += f" (sitting {sitting_number} of {len(session.sittings)})"
    return title


def session_description(session: Session, sitting: Sitting) -> str:
    """What the client can expect and how to prepare, in plain sentences."""
    hours, minutes = divmod(sitting.estimated_minutes, int(MINUTES_PER_HOUR))
    length = f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
    if session.index == 1:
        aim = (
            "The first layer: a soft, lighter base over the whole area. The dots look darker "
            "and larger for a few days, then settle lighter; that is expected."
        )
    elif session.index < session.count:
        aim = "Builds density: new dots go between the healed dots of the earlier sessions."
    else:
        aim = "The final session: completes the density, evens the shade" + (
            " and defines the hairline with finer single dots." if session.hairline_dots else "."
        )
    return "\n".join(
        [
            aim,
            f"About {sitting.dots:,} dots ({session.needle}). Expected time about {length}, "
            "including set-up and breaks.",
            "",
            "To prepare: shave or clip the scalp as agreed. Wash your hair that morning: the "
            "scalp must stay dry for 4 days afterwards. Eat before you come and avoid alcohol "
            "for 24 hours before. Wear a top that opens at the front. Bring a loose cotton hat.",
        ]
    )


def _sitting_event(
    session: Session,
    sitting_number: int,
    sitting: Sitting,
    zone: ZoneInfo,
    start_time: dt.time,
    case_id: str,
    stamp: dt.datetime,
) -> Event:
    start = dt.datetime.combine(sitting.date, start_time, tzinfo=zone)
    event = Event()
    event.add("uid", f"{case_id}-session-{session.index}-{sitting_number}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=sitting.estimated_minutes))
    event.add("summary", session_title(session, sitting_number))
    event.add("description", session_description(session, sitting))
    event.add("categories", ["SMP session"])
    event.add("transp", "OPAQUE")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Tomorrow: {session_title(session, sitting_number)}")
    alarm.add("trigger", dt.timedelta(days=-1))
    event.add_component(alarm)
    return event


def _aftercare_event(
    item: AftercareItem, session_count: int, case_id: str, stamp: dt.datetime
) -> Event:
    rule = item.rule
    title = rule.title
    if item.session is not None and session_count > 1:
        title += f" (after session {item.session})"
    if item.end is None:
        span = f"From {long_date(item.start)}, for the long term."
        last_day = item.start
    else:
        span = f"From {long_date(item.start)} to {long_date(item.end)}, both days included."
        last_day = item.end
    role = f"{rule.name}-{item.session if item.session is not None else 'course'}"
    event = Event()
    event.add("uid", f"{case_id}-{role}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.start)
    event.add("dtend", last_day + dt.timedelta(days=1))
    event.add("summary", title)
    event.add("description", f"{rule.text}\n\nWhy: {rule.reason}\n\n{span}")
    event.add("categories", ["SMP aftercare"])
    event.add("transp", "TRANSPARENT")
    return event
