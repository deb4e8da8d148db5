"""Aftercare rules: bundled data, day counts as the aftercare sheets say, clinic files read by the
strict loader of the case file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smpstudio.course import AftercareRule
from smpstudio.errors import InputError
from smpstudio.io.aftercare_file import load_aftercare_rules

from .helpers import plan_demo

DAY = dt.timedelta(days=1)
RULE_NAMES = {
    "keep_dry", "no_exercise", "no_shaving", "no_sun", "sun_covered", "moisturise",
    "no_swimming", "no_sauna_steam", "no_tanning", "sun_protection",
}  # fmt: skip


def _items(course, rule: str, session: int | None = None):  # type: ignore[no-untyped-def]
    return [a for a in course.aftercare if a.rule.name == rule and a.session == session]


def test_bundled_rules_load() -> None:
    rules = load_aftercare_rules()
    assert {r.name for r in rules} == RULE_NAMES
    assert all(r.text and r.title and r.reason for r in rules)


@pytest.mark.parametrize(
    ("rule", "start_day", "end_day"),
    [
        ("keep_dry", 0, 4),  # keep dry 4 days, shampoo from day 5
        ("no_exercise", 0, 6),  # light exercise from day 5, full from day 7
        ("no_shaving", 0, 9),  # foil shaver from day 4-5, razor from day 7-10
        ("no_sun", 0, 14),  # no sun 14 days strictly
        ("sun_covered", 15, 28),  # covered until day 28
        ("moisturise", 5, 14),  # moisturiser from day 5
    ],
)
def test_per_session_day_counts(rule: str, start_day: int, end_day: int) -> None:
    course = plan_demo()
    for session in course.sessions:
        (item,) = _items(course, rule, session.index)
        assert item.start == session.date + start_day * DAY
        assert item.end == session.date + end_day * DAY


@pytest.mark.parametrize("rule", ["no_swimming", "no_sauna_steam", "no_tanning"])
def test_course_rules_end_28_days_after_the_final_session(rule: str) -> None:
    course = plan_demo()
    (item,) = _items(course, rule)
    assert item.start == dt.date(2027, 1, 11)  # from the first session
    assert item.end == course.sessions[-1].date + 28 * DAY  # 2027-02-18 + 28
    assert item.end == dt.date(2027, 3, 18)
    entry = item.to_dict()
    assert entry["end"] == "2027-03-18" and "session" not in entry


def test_course_rules_follow_the_last_sitting_of_a_split_final_session() -> None:
    course = plan_demo(dots_per_session=[4500, 9000, 30000], hairline_dots_last_session=2000)
    final = course.sessions[-1]
    assert final.last_date == final.date + DAY
    (swim,) = _items(course, "no_swimming")
    assert swim.end == final.last_date + 28 * DAY
    (dry,) = _items(course, "keep_dry", final.index)
    assert (dry.start, dry.end) == (final.date, final.last_date + 4 * DAY)


def test_sun_protection_after_the_final_session_open_ended() -> None:
    course = plan_demo()
    (item,) = _items(course, "sun_protection", 3)
    assert item.start == course.sessions[-1].date + 29 * DAY
    assert item.end is None and item.to_dict()["end"] is None


def test_plan_entries_are_sorted_and_iso() -> None:
    entries = [a.to_dict() for a in plan_demo().aftercare]
    assert [e["start"] for e in entries] == sorted(e["start"] for e in entries)
    assert {e["rule"] for e in entries} == RULE_NAMES
    dt.date.fromisoformat(entries[0]["start"])


GOOD_RULE = """\
version: 1
rules:
  - name: keep_dry
    applies: each_session
    start_day: 0
    end_day: 3
    title: Keep dry
    text: Keep it dry.
    reason: It heals.
"""


@pytest.mark.parametrize(
    ("text", "field_end"),
    [
        (GOOD_RULE.replace("end_day: 3", "end_day: -2"), "rules[0].end_day"),
        (GOOD_RULE.replace("start_day: 0", "start_day: 5"), "rules[0].end_day"),
        (GOOD_RULE.replace("start_day: 0", "start_day: two"), "rules[0].start_day"),
        (GOOD_RULE.replace("each_session", "every_week"), "rules[0].applies"),
        (GOOD_RULE.replace("    reason: It heals.\n", ""), "rules[0].reason"),
        (GOOD_RULE.replace("title: Keep dry", "title: ''"), "rules[0].title"),
        (GOOD_RULE + "    colour: red\n", "rules[0].colour"),
        (GOOD_RULE.replace("name: keep_dry", "name: Keep Dry"), "rules[0].name"),
        (GOOD_RULE.replace("version: 1", "version: 2"), "version"),
        ("version: 1\nrules: []\n", "rules"),
        (GOOD_RULE + GOOD_RULE[GOOD_RULE.index("  - name") :], "rules[1].name"),
    ],
)
def test_bad_rules_file_names_the_field(tmp_path: Path, text: str, field_end: str) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_aftercare_rules(path)
    assert err.value.field == f"{path}:{field_end}"


def test_unreadable_or_malformed_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        load_aftercare_rules(tmp_path / "missing.yaml")
    assert err.value.field == "aftercare_path"
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [\n  - {name: x\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_aftercare_rules(bad)
    assert err.value.field.startswith(str(bad)) and "line" in str(err.value)


def test_the_strict_loader_of_the_case_file_refuses_repeated_keys(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(GOOD_RULE.replace("    end_day: 3\n", "    end_day: 3\n    end_day: 4\n"))
    with pytest.raises(InputError, match="given once") as err:
        load_aftercare_rules(path)
    assert err.value.field == f"{path}:end_day"


def test_wrong_types_are_not_coerced(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(GOOD_RULE.replace("end_day: 3", "end_day: '3'"), encoding="utf-8")
    with pytest.raises(InputError, match="a whole number") as err:
        load_aftercare_rules(path)
    assert err.value.field == f"{path}:rules[0].end_day"


def test_a_rule_value_checks_its_days() -> None:
    with pytest.raises(InputError, match="end_day"):
        AftercareRule(name="x", applies="each_session", start_day=5, end_day=3, title="t",
                      text="t", reason="r")  # fmt: skip


def test_clinic_file_replaces_the_bundled_rules(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    course = plan_demo(aftercare_rules=load_aftercare_rules(path))
    assert [(a.rule.name, a.end) for a in course.aftercare] == [
        ("keep_dry", s.date + 3 * DAY) for s in course.sessions
    ]
