"""Aftercare rules as values, and their dates for one course.

The bundled rules live in ``course/data/aftercare.yaml`` (sources in its header); a clinic may
use its own file with the same schema. The edge reads and validates either
(:func:`smpstudio.io.aftercare_file.load_aftercare_rules`) and hands the course
:class:`AftercareRule` values; :func:`schedule_aftercare` turns them into dated restrictions
for the sessions of a course.

Day counting: the session day is day 0; ``end_day`` is the last day a rule holds (inclusive).
"Keep dry 4 days" is days 0-4 and shampoo from day 5; "no swimming until 28 days after the
final session" ends on the final session's day 28.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from smpstudio.course.sessions import Session
from smpstudio.errors import InputError

Applies = Literal["each_session", "final_session", "whole_course"]
APPLIES: tuple[Applies, ...] = get_args(Applies)


@dataclass(frozen=True, kw_only=True)
class AftercareRule:
    """One aftercare rule: what the client does, from which day to which day.

    Days count from the session day (day 0); ``end_day`` is inclusive, None for open-ended
    ("from then on"). ``title`` is the calendar title, ``text`` what the client does,
    ``reason`` why.
    """

    name: str
    applies: Applies
    start_day: int
    end_day: int | None
    title: str
    text: str
    reason: str

    def __post_init__(self) -> None:
        if self.applies not in APPLIES:
            raise InputError(f"aftercare.{self.name}.applies", self.applies, " | ".join(APPLIES))
        if self.start_day < 0 or (self.end_day is not None and self.end_day < self.start_day):
            raise InputError(
                f"aftercare.{self.name}.end_day", self.end_day, f">= start_day {self.start_day}"
            )


@dataclass(frozen=True, kw_only=True)
class AftercareItem:
    """A rule placed on the calendar: dates are inclusive; ``end`` None means open-ended."""

    rule: AftercareRule
    start: dt.date
    end: dt.date | None
    session: int | None  # 1-based session it follows; None for whole-course rules

    def to_dict(self) -> dict[str, Any]:
        """The plan.json ``aftercare`` entry."""
        out: dict[str, Any] = {
            "rule": self.rule.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end is not None else None,
            "title": self.rule.title,
            "text": self.rule.text,
            "reason": self.rule.reason,
        }
        if self.session is not None:
            out["session"] = self.session
        return out


def schedule_aftercare(
    rules: Sequence[AftercareRule], sessions: Sequence[Session]
) -> tuple[AftercareItem, ...]:
    """Date every rule for a course.

    ``each_session`` rules run from each session's first sitting + ``start_day`` to its last
    sitting + ``end_day``; ``final_session`` rules do the same for the final session only;
    ``whole_course`` rules run from the first session + ``start_day`` to the final session's
    last sitting + ``end_day``. Items are sorted by start date, then rule order.
    """
    if not sessions:
        raise InputError("sessions", 0, "at least one session")
    items: list[tuple[dt.date, int, AftercareItem]] = []
    for order, rule in enumerate(rules):
        spans: list[tuple[dt.date, dt.date, int | None]]
        if rule.applies == "each_session":
            spans = [(s.date, s.last_date, s.index) for s in sessions]
        elif rule.applies == "final_session":
            spans = [(sessions[-1].date, sessions[-1].last_date, sessions[-1].index)]
        else:
            spans = [(sessions[0].date, sessions[-1].last_date, None)]
        for first, last, index in spans:
            start = first + dt.timedelta(days=rule.start_day)
            end = None if rule.end_day is None else last + dt.timedelta(days=rule.end_day)
            item = AftercareItem(rule=rule, start=start, end=end, session=index)
            items.append((start, order, item))
    items.sort(key=lambda entry: (entry[0], entry[1]))
    return tuple(item for _, _, item in items)
