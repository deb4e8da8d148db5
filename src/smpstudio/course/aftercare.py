"""Aftercare rules as data, and their dates for one course.

The rules live in ``course/data/aftercare.yaml`` (source: reference/domain.md "Aftercare"); a
clinic may pass its own file with the same schema. :func:`load_rules` validates it and raises
:class:`~smpstudio.errors.InputError` naming the offending field. :func:`schedule_aftercare`
turns the rules into dated restrictions for the sessions of a course.

Day counting: the session day is day 0; ``end_day`` is the last day a rule holds (inclusive).
"Keep dry 4 days" is days 0-4 and shampoo from day 5; "no swimming until 28 days after the
final session" ends on the final session's day 28.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

from smpstudio.course.sessions import Session
from smpstudio.errors import InputError

Applies = Literal["each_session", "final_session", "whole_course"]
APPLIES: tuple[Applies, ...] = ("each_session", "final_session", "whole_course")
RULES_VERSION = 1
_RULE_KEYS = ("name", "applies", "start_day", "end_day", "title", "text", "reason")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_DAY = 3660  # ten years: anything longer is a typo


@dataclass(frozen=True, kw_only=True)
class AftercareRule:
    """One aftercare rule: what the client does, from which day to which day."""

    name: str
    applies: Applies
    start_day: int
    end_day: int | None  # inclusive; None: open-ended ("from then on")
    title: str
    text: str
    reason: str


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


def load_rules(path: Path | str | None = None) -> tuple[AftercareRule, ...]:
    """Read and validate aftercare rules.

    Parameters
    ----------
    path
        A clinic's YAML file; None reads the bundled ``course/data/aftercare.yaml``.

    Returns
    -------
    tuple of AftercareRule, in file order.

    Raises
    ------
    InputError
        The file is missing or not YAML, or a field is wrong; ``field`` names it, e.g.
        ``clinic.yaml:rules[2].end_day``.
    """
    if path is None:
        source = "aftercare.yaml"
        text = (
            resources.files("smpstudio.course")
            .joinpath("data", "aftercare.yaml")
            .read_text(encoding="utf-8")
        )
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError("aftercare_path", source, f"a readable UTF-8 file ({exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise InputError(source, f"malformed YAML{where}", "a YAML mapping") from exc
    return parse_rules(data, source=source)


def parse_rules(data: Any, *, source: str = "aftercare") -> tuple[AftercareRule, ...]:
    """Validate already-parsed rule data (the YAML document as Python objects)."""
    if not isinstance(data, dict):
        raise InputError(source, type(data).__name__, "a mapping with keys version, rules")
    extra = sorted(set(data) - {"version", "rules"})
    if extra:
        raise InputError(f"{source}:{extra[0]}", data[extra[0]], "only the keys version, rules")
    if data.get("version") != RULES_VERSION:
        raise InputError(f"{source}:version", data.get("version"), str(RULES_VERSION))
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise InputError(f"{source}:rules", raw_rules, "a non-empty list of rules")
    rules = tuple(_parse_rule(raw, f"{source}:rules[{i}]") for i, raw in enumerate(raw_rules))
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if rule.name in seen:
            raise InputError(f"{source}:rules[{i}].name", rule.name, "a name used only once")
        seen.add(rule.name)
    return rules


def _parse_rule(raw: Any, where: str) -> AftercareRule:
    if not isinstance(raw, dict):
        raise InputError(where, raw, f"a mapping with keys {', '.join(_RULE_KEYS)}")
    for key in raw:
        if key not in _RULE_KEYS:
            raise InputError(f"{where}.{key}", raw[key], f"one of the keys {', '.join(_RULE_KEYS)}")
    for key in _RULE_KEYS:
        if key not in raw:
            raise InputError(f"{where}.{key}", None, "present")
    name = raw["name"]
    if not isinstance(name, str) or not _NAME_RE.match(name):
        raise InputError(f"{where}.name", name, "a snake_case identifier such as no_swimming")
    if raw["applies"] not in APPLIES:
        raise InputError(f"{where}.applies", raw["applies"], " | ".join(APPLIES))
    start_day = raw["start_day"]
    if not _is_day(start_day):
        raise InputError(f"{where}.start_day", start_day, f"a whole number of days 0..{_MAX_DAY}")
    end_day = raw["end_day"]
    if end_day is not None and not (_is_day(end_day) and end_day >= start_day):
        raise InputError(
            f"{where}.end_day", end_day, f"null or a whole number of days {start_day}..{_MAX_DAY}"
        )
    for key in ("title", "text", "reason"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise InputError(f"{where}.{key}", raw[key], "non-empty text")
    return AftercareRule(
        name=name,
        applies=raw["applies"],
        start_day=start_day,
        end_day=end_day,
        title=raw["title"].strip(),
        text=" ".join(raw["text"].split()),
        reason=" ".join(raw["reason"].split()),
    )


def _is_day(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_DAY


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
