"""The case file: strict validation with one clear message per error, and complete defaults."""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

from smpstudio.case.defaults import HEAD_MEANS_MM, default_start
from smpstudio.errors import CaseFileError, InputError
from smpstudio.io.case_file import load_case, parse_case_text
from smpstudio.io.case_schema import CaseIn

TODAY = dt.date(2026, 11, 21)
CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
BUNDLED = Path(__file__).resolve().parents[2] / "src" / "smpstudio" / "data"


def _leaf_fields(model: type[BaseModel], prefix: str = "") -> list[tuple[str, typing.Any]]:
    leaves = []
    for name, field in model.model_fields.items():
        inner = _model_in(field.annotation)
        path = f"{prefix}{name}"
        if inner is not None and "list" not in str(field.annotation):
            leaves += _leaf_fields(inner, path + ".")
        else:
            leaves.append((path, field.annotation))
    return leaves


def _model_in(annotation: typing.Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None


def _nest(path: str, value: typing.Any) -> str:
    parts = path.split(".")
    text = f"{value}"
    for part in reversed(parts[1:]):
        text = "{" + f"{part}: {text}" + "}"
    return f"{parts[0]}: {text}"


LEAVES = _leaf_fields(CaseIn)


def test_every_scalar_field_is_reached() -> None:
    names = {path for path, _ in LEAVES}
    assert {"design.density_per_cm2", "client.sex", "schedule.start", "pricing.currency"} <= names
    assert len(names) >= 30


@pytest.mark.parametrize("path", [p for p, _ in LEAVES])
def test_wrong_type_names_the_field(path: str) -> None:
    # A mapping is the wrong type for every field of the case file.
    with pytest.raises(CaseFileError) as info:
        parse_case_text(_nest(path, "{oops: 1}"), today=TODAY)
    assert str(info.value).startswith(path), str(info.value)
    assert "must be" in str(info.value) and "got" in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("design: {density_per_cm2: 400}", "design.density_per_cm2: must be 10..150, got 400"),
        ("design: {sessions: 1}", "design.sessions: must be 2..7, got 1"),
        ("skin: {fitzpatrick: 7}", "skin.fitzpatrick: must be 1..6, got 7"),
        ("client: {sex: other}", "client.sex: must be one of male | female, got 'other'"),
        ("design: {densty: 60}", "design.densty: must be a known key"),
        ("colour: black", "colour: must be a known key (seed, client"),
        ("hair: {colour: purple}", "hair.colour: must be black | dark_brown"),
        ("hair: {existing_density_frac: 1.5}", "hair.existing_density_frac: must be 0..1"),
        ("loss: {pattern: norwood-8}", "loss.pattern: must be one of none | diffuse"),
        ("loss: {patches: [{u_mm: 1, v_mm: 2}]}", "loss.patches[0]: must be either radius_mm"),
        ("loss: {scars: [{kind: blob}]}", "loss.scars[0].kind: must be one of line | fue"),
        (
            "loss: {scars: [{kind: fue, region: crown, count: 10, diameter_mm: 1}]}",
            "loss.scars[0].region: must be one of frontal",
        ),
        (
            "loss: {scars: [{kind: line, points_mm: [[0, 0], [1, 500]], width_mm: 3}]}",
            "loss.scars[0].points_mm[1][1]: must be -300..300, got 500",
        ),
        ("schedule: {timezone: Mars/Base}", "schedule.timezone: must be an IANA time zone"),
        ("schedule: {start: '2027-01-01'}", "schedule.start: must be a date YYYY-MM-DD"),
        ("pricing: {currency: usd}", "pricing.currency: must be a three-letter currency code"),
        ("client: {age_years: 30.5}", "client.age_years: must be a whole number, got 30.5"),
        ("design: {sessions: true}", "design.sessions: must be a whole number, got True"),
        ("design: {density_per_cm2: '60'}", "design.density_per_cm2: must be a number, got '60'"),
        ("head: {circumference_mm: .nan}", "head.circumference_mm: must be 480..680, got nan"),
        ("seed: 1\nseed: 2", "seed: must be given once, got 'a repeat at line 2'"),
        ("a: [1, 2", "case line 1: must be well-formed YAML"),
        ("- 1\n- 2", "case: must be a mapping of sections"),
        ("schedule: {start: 2027-13-01}", "case: must be well-formed YAML with real dates"),
    ],
)
def test_bad_values_give_one_clear_message(text: str, message: str) -> None:
    with pytest.raises(CaseFileError) as info:
        parse_case_text(text, today=TODAY)
    assert str(info.value).startswith(message), str(info.value)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, InputError) and isinstance(info.value, ValueError)


def test_empty_case_gets_every_default() -> None:
    case = parse_case_text("", today=TODAY)
    assert case.client.sex == "male"
    assert case.head.circumference_mm == HEAD_MEANS_MM["male"]["circumference_mm"]
    assert case.design.density_per_cm2 == 72  # 0.8 x 90 follicular units per cm2
    assert case.design.sessions == 3
    assert case.schedule.start == default_start(TODAY) == dt.date(2026, 11, 30)
    assert case.schedule.start.weekday() == 0


def test_defaults_follow_sex_age_and_ethnicity() -> None:
    woman = parse_case_text("client: {sex: female, age_years: 35, ethnicity: african}", today=TODAY)
    assert woman.design.style == "female"
    assert woman.head.breadth_mm == HEAD_MEANS_MM["female"]["breadth_mm"]
    assert woman.skin.fitzpatrick == 5 and woman.hair.colour == "black"
    assert woman.design.mid_frontal_height_mm == 58.0
    older = parse_case_text("client: {age_years: 60}", today=TODAY)
    assert older.design.style == "mature" and older.design.mid_frontal_height_mm == 84.0
    scars = parse_case_text(
        "loss: {scars: [{kind: fue, region: occipital, count: 100, diameter_mm: 1.0}]}",
        today=TODAY,
    )
    assert scars.design.sessions == 4
    trico = parse_case_text("design: {technique: tricopigmentation}", today=TODAY)
    assert trico.design.depth_mm < parse_case_text("", today=TODAY).design.depth_mm


def test_hex_hair_colour_and_round_trip_to_dict() -> None:
    case = parse_case_text("hair: {colour: '#a0b0c0'}\nseed: 9", today=TODAY)
    assert case.hair.colour_hex == "#A0B0C0"
    data = case.to_dict()
    assert data["seed"] == 9 and data["schedule"]["start"] == "2026-11-30"


@pytest.mark.parametrize(
    "name", ["norwood-5-male", "fut-scar", "ludwig-2-female", "alopecia-patches"]
)
def test_example_cases_load(name: str) -> None:
    path = CASES / f"{name}.yaml"
    case = load_case(path, today=TODAY)
    assert case.loss.pattern in {"norwood-5", "norwood-3", "ludwig-2", "none"}


def test_bundled_demo_case_matches_the_example_copy() -> None:
    header, copy = (CASES / "norwood-5-male.yaml").read_text().split("\n", 1)
    assert header.startswith("# Copied from")
    assert (BUNDLED / "norwood-5-male.yaml").read_text() == copy


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="case file: must be an existing YAML file"):
        load_case(tmp_path / "nope.yaml", today=TODAY)
