"""Formatting for the client report: escaping, numbers, money, dates, durations, colours.

Every string that comes from a plan passes through :func:`esc` (``html.escape`` with quotes):
the case file is user input. Dates use the locale-free English names of
:mod:`smpstudio.course.dates`, so that the same plan gives the same bytes anywhere.
Every helper accepts whatever the plan holds and returns :data:`MISSING` for what it cannot
read, so that a partial plan still renders.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from smpstudio.course.dates import long_date, month_year, short_date
from smpstudio.optics import colour as col
from smpstudio.units import MINUTES_PER_HOUR, mm_to_cm

MISSING = "not available"


def esc(value: Any) -> str:
    """HTML-escape any value from the plan (``None`` becomes :data:`MISSING`)."""
    if value is None:
        return MISSING
    return html.escape(str(value), quote=True)


def get(data: Any, *keys: str | int, default: Any = None) -> Any:
    """``data[k1][k2]...`` through dicts and lists, or ``default`` where a step is missing."""
    for key in keys:
        if isinstance(key, int) and isinstance(data, Sequence) and not isinstance(data, str):
            if not -len(data) <= key < len(data):
                return default
            data = data[key]
        elif isinstance(key, str) and isinstance(data, Mapping) and key in data:
            data = data[key]
        else:
            return default
    return default if data is None else data


def number(value: Any) -> float | None:
    """A finite float from a plan value (int, float or numeric string), else None."""
    if isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def fmt_int(value: Any) -> str:
    """A count with thousands separators: ``12000`` -> ``"12,000"``."""
    x = number(value)
    return MISSING if x is None else f"{round(x):,}"


def fmt_num(value: Any, decimals: int = 1) -> str:
    """A number with thousands separators and fixed decimals: ``198.44`` -> ``"198.4"``."""
    x = number(value)
    return MISSING if x is None else f"{x:,.{decimals}f}"


def fmt_cm_from_mm(length_mm: Any) -> str:
    """Millimetres shown in centimetres with one decimal: ``78`` -> ``"7.8 cm"``."""
    x = number(length_mm)
    return MISSING if x is None else f"{mm_to_cm(x):.1f} cm"


def fmt_percent(frac: Any, decimals: int = 0) -> str:
    """A fraction 0..1 as a percentage: ``0.384`` -> ``"38%"``."""
    x = number(frac)
    return MISSING if x is None else f"{100.0 * x:.{decimals}f}%"


def fmt_money(amount: Any, currency: Any) -> str:
    """Money with thousands separators and the currency code: ``"USD 1,234.50"``.

    ``amount`` is the plan's exact decimal string (``"1234.50"``); it is never passed
    through a float, so no cent is lost. Unreadable amounts are shown escaped as given.
    """
    code = esc(currency) if currency else ""
    try:
        value = Decimal(str(amount).strip())
        # Half-up, as smpstudio.course.quote rounds; plan amounts already have 2 decimals.
        value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):  # not a number, NaN, inf, or too large
        return f"{code} {esc(amount)}".strip()
    text = f"{value:,.2f}"
    if text.startswith("-"):
        text = "\N{MINUS SIGN}" + text[1:]
    return f"{code} {text}".strip()


def parse_date(value: Any) -> dt.date | None:
    """An ISO date (``"2027-01-11"``) from the plan, else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def fmt_date(value: Any, *, weekday: bool = True) -> str:
    """``"2027-01-11"`` -> ``"Monday 11 January 2027"`` (British order, locale-free)."""
    day = parse_date(value)
    if day is None:
        return MISSING if value is None else esc(value)
    return long_date(day, weekday=weekday)


def fmt_date_short(value: Any) -> str:
    """``"2027-01-11"`` -> ``"Mon 11 Jan 2027"`` (for narrow table cells)."""
    day = parse_date(value)
    if day is None:
        return MISSING if value is None else esc(value)
    return short_date(day)


def fmt_month(value: Any) -> str:
    """``"2031-02-03"`` -> ``"February 2031"``."""
    day = parse_date(value)
    if day is None:
        return MISSING if value is None else esc(value)
    return month_year(day)


def fmt_duration(minutes: Any) -> str:
    """Minutes as hours and minutes: ``185`` -> ``"3 h 5 min"``, ``45`` -> ``"45 min"``."""
    x = number(minutes)
    if x is None or x < 0:
        return MISSING
    total = math.ceil(x)
    hours, mins = divmod(total, int(MINUTES_PER_HOUR))
    if hours == 0:
        return f"{mins} min"
    return f"{hours} h" if mins == 0 else f"{hours} h {mins} min"


def safe_hex(value: Any) -> str | None:
    """A ``#RRGGBB`` colour in upper case, or None (never lets other text into CSS or SVG)."""
    if isinstance(value, str) and col.is_srgb_hex(value.strip()):
        return value.strip().upper()
    return None


def swatch(hex_colour: Any, *, label: bool = True, size_mm: float = 6.0) -> str:
    """A colour square as inline SVG (prints even when the browser drops backgrounds).

    Returns an empty string for anything that is not ``#RRGGBB``.
    """
    colour = safe_hex(hex_colour)
    if colour is None:
        return ""
    svg = (
        f'<svg class="swatch" width="{size_mm:g}mm" height="{size_mm:g}mm" viewBox="0 0 10 10" '
        f'role="img" aria-label="colour {colour}"><rect x="0.5" y="0.5" width="9" height="9" '
        f'fill="{colour}" stroke="#555555" stroke-width="0.6"/></svg>'
    )
    return f'{svg} <span class="hex">{colour}</span>' if label else svg


def lab_to_hex(lab: Any) -> str | None:
    """CIELAB (D65, 2-degree observer) to an sRGB ``#RRGGBB``, clipped to the gamut.

    :func:`smpstudio.optics.colour.lab_to_srgb_hex` (CIE 15:2004, IEC 61966-2-1). Returns None
    when ``lab`` is not three finite numbers.
    """
    if not isinstance(lab, Sequence) or isinstance(lab, str) or len(lab) != 3:
        return None
    values = [number(v) for v in lab]
    if any(v is None for v in values):
        return None
    return col.lab_to_srgb_hex([float(v) for v in values])  # type: ignore[arg-type]


def pretty_units(text: str) -> str:
    """Escaped text with ``cm2`` shown as cm² and `` x `` as a multiplication sign."""
    out = re.sub(r"(?<=\bcm)2\b", "\N{SUPERSCRIPT TWO}", esc(text))
    return out.replace(" x ", " \N{MULTIPLICATION SIGN} ")
