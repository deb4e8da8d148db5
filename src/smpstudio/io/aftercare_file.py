"""Read and validate aftercare rules: the bundled ones or a clinic's own file.

The file is YAML with the schema below (the bundled ``course/data/aftercare.yaml`` documents it
in its header), validated by the same strict loader as the case file
(:mod:`smpstudio.io.strict_yaml`): unknown keys, wrong types, out-of-range days, duplicate
keys and malformed YAML are all errors whose message names the field, e.g.
``clinic.yaml:rules[2].end_day``. The core receives :class:`~smpstudio.course.AftercareRule`
values and never reads the file itself.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from smpstudio.course.aftercare import AftercareRule, Applies
from smpstudio.errors import InputError
from smpstudio.io.strict_yaml import validate_yaml_text

RULES_VERSION = 1
MAX_DAY = 3660  # ten years: anything longer is a typo
MAX_AFTERCARE_FILE_BYTES = 1_000_000
BUNDLED_SOURCE = "aftercare.yaml"
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_Strict = ConfigDict(extra="forbid", strict=True, frozen=True)
Day = Annotated[int, Field(ge=0, le=MAX_DAY)]


class AftercareRuleIn(BaseModel):
    """One rule as written in the file (every key required)."""

    model_config = _Strict
    name: str
    applies: Applies
    start_day: Day
    end_day: Day | None
    title: str
    text: str
    reason: str

    @field_validator("name")
    @classmethod
    def _identifier(cls, value: str) -> str:
        if not _NAME_RE.match(value):
            raise ValueError("allowed:a snake_case identifier such as no_swimming")
        return value

    @field_validator("end_day")
    @classmethod
    def _not_before_start(cls, value: int | None, info: ValidationInfo) -> int | None:
        start = info.data.get("start_day")
        if value is not None and start is not None and value < start:
            raise ValueError(f"allowed:null or a whole number of days {start}..{MAX_DAY}")
        return value

    @field_validator("title", "text", "reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("allowed:non-empty text")
        return value


class AftercareFileIn(BaseModel):
    """The whole file: ``version`` and a non-empty list of ``rules``."""

    model_config = _Strict
    version: Literal[1]
    rules: Annotated[list[AftercareRuleIn], Field(min_length=1, max_length=200)]


def parse_aftercare_text(text: str, *, source: str) -> tuple[AftercareRule, ...]:
    """Validate the text of an aftercare file; the rules in file order.

    Raises
    ------
    InputError
        Naming ``source:field``; rule names must be unique.
    """
    validated = validate_yaml_text(
        text, AftercareFileIn, source=source, field_prefix=f"{source}:",
        empty="a mapping with keys version, rules",
    )  # fmt: skip
    seen: set[str] = set()
    for i, rule in enumerate(validated.rules):
        if rule.name in seen:
            raise InputError(f"{source}:rules[{i}].name", rule.name, "a name used only once")
        seen.add(rule.name)
    return tuple(
        AftercareRule(
            name=r.name,
            applies=r.applies,
            start_day=r.start_day,
            end_day=r.end_day,
            title=r.title.strip(),
            text=" ".join(r.text.split()),
            reason=" ".join(r.reason.split()),
        )
        for r in validated.rules
    )


def load_aftercare_rules(path: Path | str | None = None) -> tuple[AftercareRule, ...]:
    """Aftercare rules from a clinic's file, or the bundled ones when ``path`` is None.

    Raises
    ------
    InputError
        The file is missing, too large or not UTF-8 (field ``aftercare_path``), or not valid
        (see :func:`parse_aftercare_text`).
    """
    if path is None:
        text = (
            resources.files("smpstudio.course")
            .joinpath("data", BUNDLED_SOURCE)
            .read_text(encoding="utf-8")
        )
        return parse_aftercare_text(text, source=BUNDLED_SOURCE)
    source = str(path)
    try:
        if Path(path).stat().st_size > MAX_AFTERCARE_FILE_BYTES:
            raise InputError("aftercare_path", source, f"at most {MAX_AFTERCARE_FILE_BYTES} bytes")
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("aftercare_path", source, f"a readable UTF-8 file ({exc})") from exc
    return parse_aftercare_text(text, source=source)
