"""The price quote: exact decimal money from the case's pricing.

Lines (SMP practice, docs/references.md "cost": the price varies with area, number of sessions
and city, and touch-ups cost a fraction of the first course):

1. sessions: ``pricing.per_session`` x the number of SESSIONS. A session split into sittings on
   consecutive days is still one session: the split is the studio's scheduling, the client
   buys one layer of the build-up.
2. treated area: ``pricing.per_cm2`` x the treated area in cm2 (rounded to 0.1 cm2 first, so
   the line reads as quantity x unit price).
3. expected touch-up: ``pricing.touch_up_frac`` x the course (lines 1 + 2). It is an expected
   future cost, listed so the client sees the whole price of keeping the result.

Every amount is a :class:`decimal.Decimal` rounded half-up to 2 decimals; the total is the exact
sum of the lines. In plan.json amounts are strings such as ``"1234.50"`` so that no reader
loses a cent to binary floating point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from smpstudio.case.model import Pricing
from smpstudio.errors import InputError

CENT = Decimal("0.01")
AREA_STEP_CM2 = Decimal("0.1")


@dataclass(frozen=True, kw_only=True)
class QuoteLine:
    item: str
    amount: Decimal


@dataclass(frozen=True, kw_only=True)
class Quote:
    currency: str
    lines: tuple[QuoteLine, ...]

    @property
    def total(self) -> Decimal:
        """The exact sum of the lines."""
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def to_dict(self) -> dict[str, Any]:
        """plan.json ``quote``: amounts as 2-decimal strings."""
        return {
            "currency": self.currency,
            "lines": [{"item": ln.item, "amount": f"{ln.amount:.2f}"} for ln in self.lines],
            "total": f"{self.total:.2f}",
        }


def money(value: float | int | str | Decimal) -> Decimal:
    """A money amount rounded half-up to the cent; floats go through their shortest repr."""
    return _decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _decimal(value: float | int | str | Decimal) -> Decimal:
    # Decimal(str(0.1)) is 0.1 exactly; Decimal(0.1) would carry the binary error.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def make_quote(
    pricing: Pricing,
    *,
    sessions: int,
    treated_area_cm2: float,
    touch_up_due: str | None = None,
) -> Quote:
    """Build the quote.

    Parameters
    ----------
    pricing
        The case's pricing: currency, per_session, per_cm2 (money), touch_up_frac (0..1).
    sessions
        Sessions in the course (not sittings), >= 1.
    treated_area_cm2
        Treated scalp area, cm2, >= 0.
    touch_up_due
        When the touch-up is expected (e.g. ``"2031-02"``), for the line's wording.
    """
    for name in ("per_session", "per_cm2"):
        value = getattr(pricing, name)
        if not (math.isfinite(value) and value >= 0):
            raise InputError(f"pricing.{name}", value, ">= 0")
    if not (math.isfinite(pricing.touch_up_frac) and 0 <= pricing.touch_up_frac <= 1):
        raise InputError("pricing.touch_up_frac", pricing.touch_up_frac, "0..1")
    if not (math.isfinite(treated_area_cm2) and treated_area_cm2 >= 0):
        raise InputError("treated_area_cm2", treated_area_cm2, "finite and >= 0")
    if sessions < 1:
        raise InputError("sessions", sessions, ">= 1")
    per_session = money(pricing.per_session)
    per_cm2 = money(pricing.per_cm2)
    area_cm2 = _decimal(treated_area_cm2).quantize(AREA_STEP_CM2, rounding=ROUND_HALF_UP)
    session_line = QuoteLine(
        item=f"{sessions} sessions x {per_session} {pricing.currency}",
        amount=money(per_session * sessions),
    )
    area_line = QuoteLine(
        item=f"Treated area {area_cm2} cm2 x {per_cm2} {pricing.currency}/cm2",
        amount=money(per_cm2 * area_cm2),
    )
    course = session_line.amount + area_line.amount
    frac = _decimal(pricing.touch_up_frac)
    when = f", due about {touch_up_due}" if touch_up_due else ""
    touch_up_line = QuoteLine(
        item=f"Expected touch-up ({frac * 100:.0f}% of the course{when})",
        amount=money(course * frac),
    )
    return Quote(currency=pricing.currency, lines=(session_line, area_line, touch_up_line))
