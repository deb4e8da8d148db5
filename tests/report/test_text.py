"""Formatting helpers of the report: money, dates, durations, colours, plain words."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.report.text import (
    MISSING,
    esc,
    fmt_date,
    fmt_duration,
    fmt_money,
    fmt_month,
    lab_to_hex,
    safe_hex,
    swatch,
)
from smpstudio.report.words import (
    contrast_words,
    coolness_words,
    fitzpatrick_words,
    pattern_words,
    plain_text,
    style_words,
    tone_words,
)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.50", "USD", "USD 1,234.50"),
        ("1234567.5", "EUR", "EUR 1,234,567.50"),
        ("0.05", "GBP", "GBP 0.05"),
        ("999", "USD", "USD 999.00"),
        ("-1500.00", "USD", "USD \N{MINUS SIGN}1,500.00"),
        (1800, "USD", "USD 1,800.00"),
        ("12.3<b>", "USD", "USD 12.3&lt;b&gt;"),
        ("NaN", "USD", "USD NaN"),
        ("Infinity", "USD", "USD Infinity"),
        ("1e40", "USD", "USD 1e40"),
        ("2.675", "USD", "USD 2.68"),
        (None, "USD", "USD not available"),
        ("10.00", "<i>", "&lt;i&gt; 10.00"),
        ("10.00", None, "10.00"),
    ],
)
def test_money(amount: object, currency: object, expected: str) -> None:
    assert fmt_money(amount, currency) == expected


def test_money_keeps_every_cent_of_a_large_amount() -> None:
    # 2**53 + 1 cents is not representable as a float; the Decimal path must keep it.
    assert fmt_money("90071992547409.93", "USD") == "USD 90,071,992,547,409.93"


@pytest.mark.parametrize(
    ("iso", "expected"),
    [
        ("2027-01-11", "Monday 11 January 2027"),
        ("2000-01-01", "Saturday 1 January 2000"),
        ("1970-01-01", "Thursday 1 January 1970"),
        ("2024-02-29", "Thursday 29 February 2024"),
    ],
)
def test_dates_name_the_weekday(iso: str, expected: str) -> None:
    assert fmt_date(iso) == expected
    assert fmt_date(iso, weekday=False) == expected.split(" ", 1)[1]


def test_unreadable_dates_are_escaped_not_dropped() -> None:
    assert fmt_date("soon <b>") == "soon &lt;b&gt;"
    assert fmt_date(None) == MISSING
    assert fmt_month("2031-03-18") == "March 2031"


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0, "0 min"), (45, "45 min"), (60, "1 h"), (185, "3 h 5 min"), (184.2, "3 h 5 min"),
     (-3, MISSING), ("x", MISSING), (None, MISSING)],
)  # fmt: skip
def test_durations(minutes: object, expected: str) -> None:
    assert fmt_duration(minutes) == expected


@pytest.mark.parametrize(
    ("lab", "expected"),
    [
        # sRGB primaries and greys in CIELAB D65 (Lindbloom's calculator; IEC 61966-2-1).
        ((100.0, 0.0, 0.0), "#FFFFFF"),
        ((0.0, 0.0, 0.0), "#000000"),
        ((53.585, 0.0, 0.0), "#808080"),
        ((53.2408, 80.0925, 67.2032), "#FF0000"),
        ((87.7347, -86.1827, 83.1793), "#00FF00"),
        ((32.2970, 79.1875, -107.8602), "#0000FF"),
    ],
)
def test_lab_to_hex_published_values(lab: tuple[float, float, float], expected: str) -> None:
    assert lab_to_hex(lab) == expected


@settings(max_examples=60, deadline=None)
@given(
    st.floats(5, 95),
    st.floats(-40, 40),
    st.floats(-40, 40),
)
def test_lab_to_hex_matches_colour_science(l_star: float, a_star: float, b_star: float) -> None:
    colour = pytest.importorskip("colour")
    lab = np.array([l_star, a_star, b_star])
    srgb = colour.XYZ_to_sRGB(colour.Lab_to_XYZ(lab))
    expected = np.round(255 * np.clip(srgb, 0, 1)).astype(int)
    got = lab_to_hex(tuple(lab))
    assert got is not None
    channels = np.array([int(got[i : i + 2], 16) for i in (1, 3, 5)])
    assert np.max(np.abs(channels - expected)) <= 1


def test_bad_colours_never_reach_the_page() -> None:
    assert lab_to_hex([1, 2]) is None and lab_to_hex([1, "x", 3]) is None
    assert lab_to_hex("abc") is None
    assert safe_hex("#a1b2c3") == "#A1B2C3"
    for bad in ("#12345", "red", "#123456;x", None, 7):
        assert safe_hex(bad) is None and swatch(bad) == ""
    assert 'fill="#A1B2C3"' in swatch("#a1b2c3")


def test_escape() -> None:
    assert esc("<a href='x'>&</a>") == "&lt;a href=&#x27;x&#x27;&gt;&amp;&lt;/a&gt;"
    assert esc(None) == MISSING


def test_plain_words() -> None:
    assert pattern_words("norwood-5").startswith("Norwood V: receding temples and thinning crown")
    assert pattern_words("ludwig-2").startswith("Ludwig II")
    assert pattern_words("<x>") == "&lt;x&gt;"
    assert style_words("mature")[0] == "Mature"
    assert fitzpatrick_words(3) == "Fitzpatrick type III (light brown, tans gradually)"
    assert fitzpatrick_words(6.0).startswith("Fitzpatrick type VI (")
    assert fitzpatrick_words(7) == "Fitzpatrick type 7"
    assert fitzpatrick_words("<x>") == "Fitzpatrick type &lt;x&gt;"
    assert "rounded" in style_words("female")[1]
    text = plain_text(
        "Dot density 40 per cm2 is 0.44 x the client's density (Fitzpatrick 5); "
        "split on 2027-01-11, 2027-01-12; due about 2031-03; design.max_session_minutes"
    )
    assert text == (
        "Dot density 40 per cm² is 0.44 \N{MULTIPLICATION SIGN} your density (skin type V); "
        "split on 11 January 2027, 12 January 2027; due about March 2031; "
        "the session length limit"
    )


@pytest.mark.parametrize(
    ("delta_e", "words"),
    [(0.5, "almost invisible"), (3, "very subtle"), (7, "soft"), (17.8, "clearly visible"),
     (30, "strong"), (60, "very strong, high-contrast"), (-1, None), ("x", None)],
)  # fmt: skip
def test_contrast_words(delta_e: object, words: str | None) -> None:
    assert contrast_words(delta_e) == words


def test_tone_and_coolness_words() -> None:
    assert tone_words([20.0, 0.5, -0.5]) == "very dark grey"
    assert tone_words([41.7, 4.6, 6.9]) == "medium grey-brown"
    assert tone_words([35.0, 8.0, 14.0]) == "dark brown"
    assert tone_words([45.0, -2.0, -12.0]) == "medium blue-grey"
    assert tone_words([45.0]) is None
    assert coolness_words(0.0) == "neutral, with no blue cast"
    assert coolness_words(0.21) == "slightly cool"
    assert coolness_words(0.6) == "noticeably cool, with a bluish cast"
    assert coolness_words(None) is None


def test_dates_are_locale_free() -> None:
    # The names come from the module, not strftime: every weekday of a week in order.
    week = [fmt_date(dt.date(2027, 1, 11) + dt.timedelta(days=i)).split()[0] for i in range(7)]
    assert week == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
