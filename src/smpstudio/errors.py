"""The one exception tree of SMP Studio.

::

    SmpError                      base of everything this package raises on purpose
    ├── InputError (ValueError)   bad input from a user: names field, value, allowed
    │   ├── CaseFileError         a case file that cannot be read or validated
    │   ├── MciFormatError        a malformed MCML .mci input (carries the line number)
    │   └── PhotoError            a client photo that cannot be used
    └── ModelError                a model asked to work outside its valid range

The core only raises; each edge (CLI, web) catches ``SmpError`` once and turns it into
an exit status or a response. ``InputError`` maps to exit status 2.
"""

from __future__ import annotations

from typing import Any


class SmpError(Exception):
    """Base class of every error SMP Studio raises on purpose."""


class InputError(SmpError, ValueError):
    """Bad input: the message names the field, the value received and what is allowed.

    Parameters
    ----------
    field
        Dotted name of the offending input, e.g. ``design.density_per_cm2``.
    value
        The value received.
    allowed
        What would have been accepted, e.g. ``"10..150"``.
    """

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}: must be {allowed}, got {value!r}")


class CaseFileError(InputError):
    """A case file that is malformed or fails validation."""


class MciFormatError(InputError):
    """A malformed MCML input file; ``line`` is 1-based."""

    def __init__(self, path: str, line: int, expected: str, got: Any) -> None:
        self.line = line
        super().__init__(f"{path}:{line}", got, expected)


class PhotoError(InputError):
    """A client photo that cannot be used (format, size, decompression bomb)."""


class ModelError(SmpError):
    """A model asked to work outside the range where it is valid."""
