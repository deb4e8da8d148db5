"""Quote: exact decimal arithmetic, total = sum of lines, sessions not sittings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smpstudio.case.model import Pricing
from smpstudio.course.quote import make_quote, money
from smpstudio.errors import InputError

from .helpers import make_case, plan_demo


def test_demo_quote_by_hand() -> None:
    # 3 x 600 = 1800.00; 198.4 cm2 x 3.50 = 694.40; 0.35 x 2494.40 = 873.04; total 3367.44.
    quote = plan_demo().quote.to_dict()
    assert quote["currency"] == "USD"
    assert [line["amount"] for line in quote["lines"]] == ["1800.00", "694.40", "873.04"]
    assert quote["total"] == "3367.44"
    assert "due about 2031-03" in quote["lines"][2]["item"]


def test_split_session_is_priced_once() -> None:
    split = plan_demo(dots_per_session=[4500, 9000, 30000], hairline_dots_last_session=2000)
    assert len(split.sessions[-1].sittings) == 2
    assert split.quote.lines[0].amount == Decimal("1800.00")


def test_half_up_rounding_without_float_error() -> None:
    # 0.1 + 0.2 in binary floating point is 0.30000000000000004; money keeps it exact.
    assert money(0.1) + money(0.2) == Decimal("0.30")
    assert money(2.675) == Decimal("2.68")  # float 2.675 is 2.67499999...; the repr is 2.675
    quote = make_quote(
        Pricing(currency="GBP", per_session=450, per_cm2=2.0, touch_up_frac=0.3),
        sessions=4,
        treated_area_cm2=12.25,  # -> 12.3 cm2 (half up)
    )
    assert [ln.amount for ln in quote.lines] == [
        Decimal("1800.00"), Decimal("24.60"), Decimal("547.38"),
    ]  # fmt: skip
    assert quote.total == Decimal("2371.98")


@settings(max_examples=80, deadline=None)
@given(
    per_session=st.decimals(min_value=0, max_value=5000, places=2),
    per_cm2=st.decimals(min_value=0, max_value=20, places=2),
    frac=st.decimals(min_value=0, max_value=1, places=2),
    area=st.floats(min_value=0, max_value=800, allow_nan=False),
    sessions=st.integers(min_value=1, max_value=7),
)
def test_total_is_the_exact_sum_of_two_decimal_lines(
    per_session: Decimal, per_cm2: Decimal, frac: Decimal, area: float, sessions: int
) -> None:
    pricing = Pricing(
        currency="EUR",
        per_session=float(per_session),
        per_cm2=float(per_cm2),
        touch_up_frac=float(frac),
    )
    quote = make_quote(pricing, sessions=sessions, treated_area_cm2=area)
    data = quote.to_dict()
    amounts = [Decimal(line["amount"]) for line in data["lines"]]
    assert all(a == a.quantize(Decimal("0.01")) and a >= 0 for a in amounts)
    assert Decimal(data["total"]) == sum(amounts)
    assert amounts[0] == per_session * sessions
    course = amounts[0] + amounts[1]
    assert abs(amounts[2] - course * frac) <= Decimal("0.005")


@pytest.mark.parametrize(
    ("pricing", "field"),
    [
        ({"per_session": -1.0}, "pricing.per_session"),
        ({"per_cm2": float("nan")}, "pricing.per_cm2"),
        ({"touch_up_frac": 1.5}, "pricing.touch_up_frac"),
    ],
)
def test_bad_pricing_names_the_field(pricing: dict[str, float], field: str) -> None:
    case = make_case(**{f"pricing__{k}": v for k, v in pricing.items()})
    with pytest.raises(InputError) as err:
        plan_demo(case=case)
    assert err.value.field == field


def test_bad_area_names_the_field() -> None:
    with pytest.raises(InputError) as err:
        plan_demo(treated_area_cm2=-5.0)
    assert err.value.field == "treated_area_cm2"
