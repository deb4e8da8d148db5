"""Read, validate and complete a case file: the edge between YAML and the core's :class:`Case`.

Validation is the strict loader of :mod:`smpstudio.io.strict_yaml` against
:class:`~smpstudio.io.case_schema.CaseIn`; every failure becomes one
:class:`~smpstudio.errors.CaseFileError` whose message names the field, the value received and
what is allowed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smpstudio.case.defaults import complete_case
from smpstudio.case.model import Case
from smpstudio.errors import CaseFileError
from smpstudio.io.case_schema import CaseIn
from smpstudio.io.strict_yaml import validate_yaml_text

MAX_CASE_FILE_BYTES = 1_000_000


def parse_case_text(text: str, *, today: dt.date, source: str = "case") -> Case:
    """Validate case-file text and fill in the defaults.

    Raises
    ------
    CaseFileError
        For malformed YAML or any invalid field; the message names the field and value.
    """
    validated = validate_yaml_text(
        text, CaseIn, source=source, error=CaseFileError,
        empty="a mapping of sections (client, head, ...)",
    )  # fmt: skip
    data = validated.model_dump()
    schedule = data.get("schedule") or {}
    if schedule.get("session_start_time") is not None:
        schedule["session_start_time"] = dt.time.fromisoformat(schedule["session_start_time"])
    return complete_case(data, today=today)


def load_case(path: str | Path, *, today: dt.date) -> Case:
    """Read a case file from disk, validate it and fill in the defaults."""
    path = Path(path)
    if not path.is_file():
        raise CaseFileError("case file", str(path), "an existing YAML file")
    if path.stat().st_size > MAX_CASE_FILE_BYTES:
        raise CaseFileError("case file", str(path), f"at most {MAX_CASE_FILE_BYTES} bytes")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CaseFileError("case file", str(path), "UTF-8 text") from None
    return parse_case_text(text, today=today, source=path.name)
