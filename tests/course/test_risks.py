"""Warnings for risky choices: each fires on its trigger and stays quiet on the demo case."""

from __future__ import annotations

from smpstudio.case.model import Client, Loss, Patch

from .helpers import make_case, plan_demo


def _warnings(**case_overrides: object) -> list[str]:
    return list(plan_demo(case=make_case(**case_overrides)).warnings)


def test_demo_case_has_no_warnings() -> None:
    assert plan_demo().warnings == ()


def test_depth_outside_published_band() -> None:
    # SMP practice: warn below 0.1 mm (sloughs with the epidermis), above 1.0 mm (blow-out).
    (shallow,) = _warnings(design__depth_mm=0.05)
    assert "0.05 mm" in shallow and "epidermis" in shallow
    (deep,) = _warnings(design__depth_mm=1.2)
    assert "1.2 mm" in deep and "blue" in deep
    assert _warnings(design__depth_mm=0.1) == [] and _warnings(design__depth_mm=1.0) == []


def test_density_far_from_follicle_density() -> None:
    # Caucasian FU density 90/cm2: 40/cm2 is 0.44 x, 110/cm2 is 1.22 x; 65 is 0.72 x.
    (sparse,) = _warnings(design__density_per_cm2=40.0)
    assert "0.44 x" in sparse and "90" in sparse
    (dense,) = _warnings(design__density_per_cm2=110.0)
    assert "1.22 x" in dense
    # The same 65/cm2 is 1.0 x for an African client (65 FU/cm2): no warning.
    african = make_case(client=Client(sex="male", age_years=41, ethnicity="african"))
    assert plan_demo(case=african).warnings == ()


def test_too_many_impressions_in_one_sitting() -> None:
    # 20,000 dots at 2 per second fit in 240 min (212 min) but exceed about 14,000 impressions.
    course = plan_demo(
        case=make_case(design__impressions_per_second=2.0), dots_per_session=[4500, 9000, 20000]
    )
    (warning,) = course.warnings
    assert "Session 3" in warning and "20,000" in warning and "14,000" in warning


def test_split_sitting_below_limit_has_no_impression_warning() -> None:
    course = plan_demo(dots_per_session=[4500, 9000, 26000], hairline_dots_last_session=1000)
    assert len(course.sessions[-1].sittings) == 2
    assert [w for w in course.warnings if "impressions" in w] == []


def test_tricopigmentation_for_stable_loss() -> None:
    (warning,) = _warnings(design__technique="tricopigmentation")
    assert "Tricopigmentation" in warning and "0.5-3 years" in warning


def test_smp_for_active_alopecia_patches() -> None:
    loss = Loss(pattern="none", patches=(Patch(u_mm=35, v_mm=-40, rx_mm=18, ry_mm=18),))
    warnings = plan_demo(
        case=make_case(loss=loss, design__sessions=4),
        dots_per_session=[1000, 1000, 1000, 1000],
        hairline_dots_last_session=0,
    ).warnings
    assert any("grow back" in w for w in warnings)
    trico = make_case(loss=loss, design__sessions=4, design__technique="tricopigmentation")
    assert not any(
        "grow back" in w or "Tricopigmentation" in w
        for w in plan_demo(
            case=trico, dots_per_session=[1000] * 4, hairline_dots_last_session=0
        ).warnings
    )


def test_session_count_for_pattern_loss() -> None:
    course = plan_demo(case=make_case(design__sessions=6), dots_per_session=[4000] * 6)
    assert any("6 sessions" in w and "2-4" in w for w in course.warnings)


def test_scars_warn_about_fewer_sessions_and_faster_fading() -> None:
    warnings = plan_demo(scars_treated=True).warnings
    assert any("3 sessions may be too few for scar tissue" in w for w in warnings)
    assert any("Scar tissue" in w for w in warnings)


def test_high_sun_and_odd_rate() -> None:
    assert any("High sun" in w for w in _warnings(schedule__sun_exposure="high"))
    assert any("impression rate" in w for w in _warnings(design__impressions_per_second=3.0))
