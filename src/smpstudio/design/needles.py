"""SMP needles: the round-liner groupings that place the body and the hairline dots.

SMP practice (clinic and trainer publications; no peer-reviewed source): a 3-point round liner
(3RL) of 0.25-0.30 mm for the body, a single-point round liner (1RL) of 0.20-0.25 mm for the
finer hairline dots; gauge #06 = 0.20 mm, #08 = 0.25 mm, #10 = 0.30 mm. The design picks a
needle per dot by its code; the course and plan.json describe it with :func:`describe_needle`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NeedleUse = Literal["body", "hairline"]


@dataclass(frozen=True, kw_only=True)
class Needle:
    """One needle grouping: ``code`` as practitioners write it, its diameter in mm."""

    code: str
    diameter_mm: float
    use: NeedleUse

    @property
    def description(self) -> str:
        """``"3RL 0.30 mm"``: the code and the diameter."""
        return f"{self.code} {self.diameter_mm:.2f} mm"


BODY_NEEDLE = Needle(code="3RL", diameter_mm=0.30, use="body")
HAIRLINE_NEEDLE = Needle(code="1RL", diameter_mm=0.20, use="hairline")
#: The needles the design places dots with, by code.
NEEDLES: dict[str, Needle] = {n.code: n for n in (BODY_NEEDLE, HAIRLINE_NEEDLE)}


def describe_needle(code: str, *, with_use: bool = False) -> str:
    """``"3RL 0.30 mm"`` (``with_use``: ``"3RL 0.30 mm (body)"``) for a needle code.

    A code not in :data:`NEEDLES` (a clinic's own needle) is described by the code alone.
    """
    if code not in NEEDLES:
        return code
    needle = NEEDLES[code]
    return f"{needle.description} ({needle.use})" if with_use else needle.description
