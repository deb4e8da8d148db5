"""Formatting for the client report: escaping, numbers, money, dates, durations, colours.

Every string that comes from a plan passes through :func:`esc` (``html.escape`` with quotes):
the case file is user input. Dates use the English names below rather than ``strftime``, whose
output depends on the machine's locale, so that the same plan gives the same bytes anywhere.
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

from smpstudio.units import MINUTES_PER_HOUR, mm_to_cm

MISSING = "not available"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_HEX_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")

# CIE 1931 2-degree D65 white point (CIE 15:2004, table T.3), Y normalised to 1.
D65_WHITE_XYZ = (0.95047, 1.0, 1.08883)
# XYZ to linear sRGB (IEC 61966-2-1:1999).
_XYZ_TO_SRGB = (
    (3.2406, -1.5372, -0.4986),
    (-0.9689, 1.8758, 0.0415),
    (0.0557, -0.2040, 1.0570),
)
_LAB_EPSILON = 6.0 / 29.0  # CIE 15:2004, the cube-root branch of the L*a*b* inverse


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
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def fmt_date_short(value: Any) -> str:
    """``"2027-01-11"`` -> ``"Mon 11 Jan 2027"`` (for narrow table cells)."""
    day = parse_date(value)
    if day is None:
        return MISSING if value is None else esc(value)
    return f"{WEEKDAYS[day.weekday()][:3]} {day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def fmt_month(value: Any) -> str:
    """``"2031-02-03"`` -> ``"February 2031"``."""
    day = parse_date(value)
    if day is None:
        return MISSING if value is None else esc(value)
    return f"{MONTHS[day.month - 1]} {day.year}"


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
    if isinstance(value, str) and _HEX_RE.match(value.strip()):
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

    CIE 15:2004 for L*a*b* to XYZ, IEC 61966-2-1 for XYZ to sRGB. Returns None when ``lab``
    is not three finite numbers.
    """
    if not isinstance(lab, Sequence) or isinstance(lab, str) or len(lab) != 3:
        return None
    values = [number(v) for v in lab]
    if any(v is None for v in values):
        return None
    l_star, a_star, b_star = (float(v) for v in values)  # type: ignore[arg-type]
    fy = (l_star + 16.0) / 116.0
    fx, fz = fy + a_star / 500.0, fy - b_star / 200.0

    def inverse(f: float) -> float:
        return f**3 if f > _LAB_EPSILON else 3.0 * _LAB_EPSILON**2 * (f - 4.0 / 29.0)

    xyz = [w * inverse(f) for w, f in zip(D65_WHITE_XYZ, (fx, fy, fz), strict=True)]
    channels = []
    for row in _XYZ_TO_SRGB:
        linear = min(1.0, max(0.0, sum(m * c for m, c in zip(row, xyz, strict=True))))
        encoded = 12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055
        channels.append(round(255.0 * encoded))
    return "#" + "".join(f"{c:02X}" for c in channels)


def pretty_units(text: str) -> str:
    """Escaped text with ``cm2`` shown as cm² and `` x `` as a multiplication sign."""
    out = re.sub(r"(?<=\bcm)2\b", "\N{SUPERSCRIPT TWO}", esc(text))
    return out.replace(" x ", " \N{MULTIPLICATION SIGN} ")
