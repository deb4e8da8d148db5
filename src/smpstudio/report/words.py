"""Plain words for the client: hair-loss patterns, hairline styles, regions, colours, warnings.

The pattern descriptions follow the Norwood-Hamilton and Ludwig scales as summarised in
Norwood 1975 and Ludwig 1977. The colour words (how strong and how cool a
healed dot looks) use thresholds chosen for this report, stated next to them; they translate
the appearance model's numbers and are not published grades.
"""

from __future__ import annotations

import math
import re
from typing import Any

from smpstudio.report.text import esc, fmt_date, fmt_month, get, number, parse_date, pretty_units

DISCLAIMER = (
    "This preview is illustrative, not a guarantee: your result depends on your skin, "
    "healing, aftercare and sun exposure."
)

# Norwood-Hamilton (men) and Ludwig (women), Norwood 1975, Ludwig 1977.
PATTERN_WORDS: dict[str, str] = {
    "none": "no pattern hair loss",
    "diffuse": "diffuse thinning spread evenly over the scalp",
    "norwood-1": "Norwood I: little or no recession; the hairline is intact",
    "norwood-2": "Norwood II: slight recession at the temples",
    "norwood-2a": "Norwood IIa: the whole front hairline has moved back slightly",
    "norwood-3": "Norwood III: deep recession at the temples",
    "norwood-3a": "Norwood IIIa: the whole front has receded, about as far back as the ears",
    "norwood-3v": "Norwood III vertex: receding temples and thinning at the crown",
    "norwood-4": (
        "Norwood IV: deeper recession at the temples and a thinning crown, "
        "with a band of hair between them"
    ),
    "norwood-4a": "Norwood IVa: the whole front has receded behind the ears",
    "norwood-5": (
        "Norwood V: receding temples and thinning crown, with only a narrow band of hair "
        "left between them"
    ),
    "norwood-5a": "Norwood Va: the front has receded all the way back to the crown",
    "norwood-6": "Norwood VI: the top is bald; the band between the front and the crown is gone",
    "norwood-7": "Norwood VII: hair remains only in a horseshoe around the sides and back",
    "ludwig-1": "Ludwig I: noticeable thinning on top, behind a preserved front hairline",
    "ludwig-2": "Ludwig II: pronounced thinning on top, behind a preserved front hairline",
    "ludwig-3": "Ludwig III: the top is nearly bald, behind a preserved front hairline",
}

STYLE_WORDS: dict[str, tuple[str, str]] = {
    "natural": (
        "Natural",
        "a soft, slightly irregular edge: the dots thin out gradually over the front few "
        "millimetres, as a real hairline does, so there is no hard line",
    ),
    "defined": (
        "Defined",
        "a crisper, sharper front edge, like a freshly lined-up buzz cut; it reads as "
        "groomed rather than grown",
    ),
    "mature": (
        "Mature",
        "a slightly higher line with gentle recession at the temples, which suits most men "
        "from their forties on and keeps looking right as you age",
    ),
    "female": (
        "Female",
        "a rounded, lower outline with no recession at the temples, blended softly into your "
        "own hair",
    ),
}

REGION_WORDS: dict[str, str] = {
    "frontal": "Front",
    "midscalp": "Mid-scalp",
    "vertex": "Crown",
    "temporal_left": "Left temple",
    "temporal_right": "Right temple",
    "parietal_left": "Left side",
    "parietal_right": "Right side",
    "occipital": "Back",
}

# How visible a healed dot is against the skin, by CIEDE2000 colour difference. Thresholds are
# this report's choice: about 2 is a just-noticeable difference at a glance (Sharma et al.
# 2005 use 1 as the threshold under close inspection); 10 and above reads as clearly
# different colours.
_CONTRAST_WORDS: tuple[tuple[float, str], ...] = (
    (2.0, "almost invisible"),
    (5.0, "very subtle"),
    (10.0, "soft"),
    (20.0, "clearly visible"),
    (35.0, "strong"),
    (math.inf, "very strong, high-contrast"),
)
# Blue-shift index (smpstudio.optics.colour.blue_shift_index): 0 is a neutral darkening;
# 0.4 means the dot keeps e^0.4 = 1.5 times more of the skin's blue than of its red.
_COOL_WORDS: tuple[tuple[float, str], ...] = (
    (0.15, "neutral, with no blue cast"),
    (0.40, "slightly cool"),
    (math.inf, "noticeably cool, with a bluish cast"),
)


def sex_word(sex: Any) -> str:
    """``"male"`` -> ``"Man"``; anything else escaped as given."""
    return {"male": "Man", "female": "Woman"}.get(str(sex), esc(sex))


def pattern_words(pattern: Any) -> str:
    """The hair-loss pattern in plain words (escaped)."""
    key = str(pattern).lower() if pattern is not None else "none"
    return esc(PATTERN_WORDS.get(key, f"{pattern}"))


def norwood_name(stage: Any) -> str:
    """A Norwood stage named: ``"5"`` -> ``"Norwood V"``, ``"3v"`` -> ``"Norwood III vertex"``."""
    key = str(stage).lower().removeprefix("norwood-").removeprefix("norwood ")
    words = PATTERN_WORDS.get(f"norwood-{key}")
    return esc(words.split(":", 1)[0]) if words else f"Norwood {esc(stage)}"


def loss_extras(loss: Any) -> list[str]:
    """Plain phrases for the case's patches, scars and drawn areas (escaped)."""
    out: list[str] = []
    patches = get(loss, "patches", default=[])
    if isinstance(patches, list) and patches:
        n = len(patches)
        out.append(f"{n} patch{'es' if n > 1 else ''} of alopecia")
    scars = get(loss, "scars", default=[])
    if isinstance(scars, list):
        lines = sum(1 for s in scars if get(s, "kind") == "line")
        fue = sum(int(number(get(s, "count")) or 0) for s in scars if get(s, "kind") == "fue")
        if lines:
            out.append(f"{lines} strip (FUT) scar{'s' if lines > 1 else ''}")
        if fue:
            out.append(f"about {fue:,} FUE punch scars")
    areas = get(loss, "areas", default=[])
    if isinstance(areas, list) and areas:
        out.append(
            f"{len(areas)} extra area{'s' if len(areas) > 1 else ''} marked by your practitioner"
        )
    return out


def style_words(style: Any) -> tuple[str, str]:
    """(name, explanation) of a hairline style, both escaped."""
    key = str(style)
    if key in STYLE_WORDS:
        return STYLE_WORDS[key]
    return esc(style), "a hairline drawn to your practitioner's design"


def region_words(name: Any) -> str:
    """A region's plain name, e.g. ``"vertex"`` -> ``"Crown"`` (escaped)."""
    return REGION_WORDS.get(str(name), esc(name))


def colour_name(colour: Any) -> str:
    """A hair-colour name for people: ``"dark_brown"`` -> ``"dark brown"`` (escaped)."""
    text = str(colour)
    if text.startswith("#"):
        return f"custom colour {esc(text)}"
    return esc(text.replace("_", " "))


def contrast_words(delta_e2000: Any) -> str | None:
    """How visible a healed dot is, from its CIEDE2000 difference to the skin."""
    x = number(delta_e2000)
    if x is None or x < 0:
        return None
    return next(words for limit, words in _CONTRAST_WORDS if x < limit)


def coolness_words(blue_shift_index: Any) -> str | None:
    """How cool (blue) a dot reads, from the blue-shift index."""
    x = number(blue_shift_index)
    if x is None:
        return None
    if x < -0.15:
        return "slightly warm"
    return next(words for limit, words in _COOL_WORDS if x < limit)


def tone_words(lab: Any) -> str | None:
    """A dot's colour in words from CIELAB: lightness, then grey, brown or blue-grey."""
    if not isinstance(lab, list | tuple) or len(lab) != 3:
        return None
    values = [number(v) for v in lab]
    if any(v is None for v in values):
        return None
    l_star, a_star, b_star = (float(v) for v in values)  # type: ignore[arg-type]
    if l_star < 25:
        light = "very dark"
    elif l_star < 40:
        light = "dark"
    elif l_star < 55:
        light = "medium"
    else:
        light = "light"
    chroma = math.hypot(a_star, b_star)
    hue_deg = math.degrees(math.atan2(b_star, a_star)) % 360.0
    if chroma < 6:
        hue = "grey"
    elif hue_deg >= 200 or b_star < 0:
        hue = "blue-grey"
    elif hue_deg < 90:
        hue = "brown" if chroma >= 12 else "grey-brown"
    else:
        hue = "olive-grey"
    return f"{light} {hue}"


_FIELD_WORDS = {
    "design.max_session_minutes": "the session length limit",
    "design.density_per_cm2": "the planned density",
    "design.sessions": "the number of sessions",
    "design.depth_mm": "the pigment depth",
}
_CLIENT_WORDS = (
    ("the client's", "your"),
    ("the client uses", "you use"),
    ("the client", "you"),
)
_ISO_DATE_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ISO_MONTH_RE = re.compile(r"\b(\d{4})-(\d{2})\b(?!-)")


def plain_text(text: Any) -> str:
    """Course text from the plan (warnings, reasons, quote items), escaped and put in words.

    ISO dates become "11 January 2027", ISO months "March 2031", setting names plain words,
    "Fitzpatrick 3" "skin type III", "the client" "you", and cm2 cm².
    """
    out = str(text)
    for field, words in _FIELD_WORDS.items():
        out = out.replace(field, words)
    for old, new in _CLIENT_WORDS:
        out = out.replace(old, new)
    out = _ISO_DATE_RE.sub(lambda m: _date_words(m, day=True), out)
    out = _ISO_MONTH_RE.sub(lambda m: _date_words(m, day=False), out)
    out = re.sub(r"\bFitzpatrick (\d)\b", lambda m: f"skin type {_roman(int(m[1]))}", out)
    return pretty_units(out)  # escapes


def _date_words(match: re.Match[str], *, day: bool) -> str:
    text = match[0] if day else f"{match[0]}-01"
    if parse_date(text) is None:
        return match[0]
    # Plain text (escaped later by plain_text): a valid date's words hold no markup.
    return fmt_date(text, weekday=False) if day else fmt_month(text)


# Fitzpatrick skin types (Fitzpatrick 1988, Arch Dermatol 124:869), in everyday words.
FITZPATRICK_WORDS = (
    "pale, always burns",
    "fair, burns easily",
    "light brown, tans gradually",
    "moderate brown, tans well",
    "dark brown, rarely burns",
    "deeply pigmented, never burns",
)


def fitzpatrick_words(skin_type: Any) -> str:
    """``3`` -> ``"Fitzpatrick type III (light brown, tans gradually)"``."""
    x = number(skin_type)
    if x is None or not 1 <= x <= 6 or x != int(x):
        return f"Fitzpatrick type {esc(skin_type)}"
    return f"Fitzpatrick type {_roman(int(x))} ({FITZPATRICK_WORDS[int(x) - 1]})"


def _roman(n: int) -> str:
    return ("I", "II", "III", "IV", "V", "VI")[n - 1] if 1 <= n <= 6 else str(n)
