"""`smp demo`, `smp assess` and `smp plan` end to end (docs/interface.md sections 1, 3, 4)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from smpstudio.cli.main import run

CASES = sorted((Path(__file__).resolve().parents[1] / "data" / "cases").glob("*.yaml"))
VIEWS = ("top", "front", "left", "right", "back")
STATES = ("before", "fresh", "healed", "faded")
PLAN_KEYS = {
    "schema_version", "seed", "inputs", "head", "regions", "loss", "hairline", "dots",
    "sessions", "aftercare", "touch_ups", "appearance", "quote", "warnings",
}  # fmt: skip


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMP_TODAY", "2026-11-21")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "smp-demo"
    assert run(["demo", "--out", str(out), "--size", "256"]) == 0
    return out


def test_demo_writes_every_output(demo_dir: Path) -> None:
    names = {p.relative_to(demo_dir).as_posix() for p in demo_dir.rglob("*") if p.is_file()}
    expected = {f"views/{v}-{s}.png" for v in VIEWS for s in STATES}
    expected |= {"plan.json", "dots.csv", "aftercare.ics", "report.html", "design.png"}
    assert expected <= names


def test_plan_json_has_the_contract_keys(demo_dir: Path) -> None:
    plan = json.loads((demo_dir / "plan.json").read_text())
    assert PLAN_KEYS <= set(plan)
    assert plan["head"].keys() >= {"scalp_area_cm2", "circumference_mm", "vertex_height_mm"}
    for region in plan["regions"]:
        assert region.keys() >= {
            "name", "area_cm2", "bald_area_cm2", "treated_area_cm2", "target_density_per_cm2",
            "dots",
        }  # fmt: skip
    assert plan["loss"].keys() >= {"pattern", "bald_area_cm2", "bald_frac", "nearest_norwood"}
    assert plan["hairline"].keys() >= {"style", "mid_frontal_height_mm", "points_mm"}
    assert plan["dots"]["file"] == "dots.csv"
    assert sum(plan["dots"]["by_session"]) == plan["dots"]["total"]
    for session in plan["sessions"]:
        assert session.keys() >= {
            "index", "date", "dots", "cumulative_dots", "estimated_minutes", "needle",
            "dilution", "shade_hex",
        }  # fmt: skip
    assert plan["appearance"].keys() >= {
        "skin_lab", "dot_lab_fresh", "dot_lab_healed", "delta_e2000_healed", "blue_shift_index",
    }  # fmt: skip
    assert {t["kind"] for t in plan["touch_ups"]} <= {"hairline", "full"}
    assert plan["quote"].keys() >= {"currency", "lines", "total"}
    assert plan["inputs"]["design"]["density_per_cm2"] == 65.0


def test_dots_csv_matches_plan(demo_dir: Path) -> None:
    plan = json.loads((demo_dir / "plan.json").read_text())
    rows = list(csv.DictReader(io.StringIO((demo_dir / "dots.csv").read_text())))
    assert len(rows) == plan["dots"]["total"]
    assert {r["session"] for r in rows} == {"1", "2", "3"}
    regions = {r["name"]: r["dots"] for r in plan["regions"]}
    for name, count in regions.items():
        assert sum(1 for r in rows if r["region"] == name) == count


def test_calendar_parses(demo_dir: Path) -> None:
    cal = Calendar.from_ical((demo_dir / "aftercare.ics").read_bytes())
    summaries = [str(e.get("summary")) for e in cal.walk("VEVENT")]
    assert any("session 1 of 3" in s for s in summaries)
    assert any("swim" in s.lower() for s in summaries)


def test_same_case_same_bytes(demo_dir: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run(["demo", "--out", str(again), "--size", "256"]) == 0
    for name in ("plan.json", "dots.csv", "aftercare.ics", "report.html", "views/top-healed.png"):
        assert (again / name).read_bytes() == (demo_dir / name).read_bytes(), name


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_assess_every_example_case(case: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["assess", str(case), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"head", "regions", "loss"}
    assert 450 <= data["head"]["scalp_area_cm2"] <= 650
    assert run(["assess", str(case)]) == 0
    assert "Regions" in capsys.readouterr().out


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_plan_every_example_case(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan"
    assert run(["plan", str(case), "--out", str(out), "--size", "256", "--seed", "3"]) == 0
    plan = json.loads((out / "plan.json").read_text())
    assert plan["seed"] == 3
    assert plan["dots"]["total"] > 100


def test_bad_case_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("design: {density_per_cm2: 400}\n")
    out = tmp_path / "out"
    assert run(["plan", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "smp: error: design.density_per_cm2: must be 10..150, got 400"
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_existing_output_survives_bad_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous plan")
    bad = tmp_path / "bad.yaml"
    bad.write_text("client: {sex: other}\n")
    assert run(["plan", str(bad), "--out", str(out)]) == 2
    assert (out / "keep.txt").read_text() == "previous plan"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["plan"]) == 2
    assert run(["assess", "/nonexistent.yaml"]) == 2
    assert "case file: must be an existing YAML file" in capsys.readouterr().err
