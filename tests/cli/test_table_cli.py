"""``smp table build`` / ``smp table calibrate``: the table build's arguments and files live at
the edge (the core builds arrays and reads or writes nothing)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import numpy as np
import pytest

from smpstudio.cli import main as cli_main
from smpstudio.io.appearance_files import WhitePathsFolder


def test_table_commands_are_hidden_from_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main.run(["--help"]) == 0
    assert "table" not in capsys.readouterr().out.split("Commands:")[1]


def test_build_writes_the_arrays_atomically_and_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smpstudio.appearance.build as build

    seen: dict[str, object] = {}

    def fake_build(model: object, **kwargs: object) -> dict[str, np.ndarray]:
        seen.update(kwargs)
        return {"dot_reflectance": np.ones((2, 2))}

    monkeypatch.setattr(build, "build_arrays", fake_build)
    out = tmp_path / "table.npz"
    code = cli_main.run(["table", "build", "--photons", "500", "--seed", "3", "--out", str(out),
                         "--paths-cache", str(tmp_path / "white")])  # fmt: skip
    assert code == 0
    assert seen["photons"] == 500 and seen["seed"] == 3
    assert isinstance(seen["paths_cache"], WhitePathsFolder)
    with np.load(out) as npz:
        assert npz["dot_reflectance"].shape == (2, 2)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.npz"]


def test_build_refuses_bad_numbers(tmp_path: Path) -> None:
    assert cli_main.run(["table", "build", "--photons", "5", "--out", str(tmp_path / "t")]) == 2


def test_white_paths_folder_round_trip(tmp_path: Path) -> None:
    cache = WhitePathsFolder(tmp_path / "white")
    assert cache.load("abc") is None
    cache.save("abc", {"weights": np.arange(3.0), "seconds": np.float64(1.5)})
    kept = cache.load("abc")
    assert kept is not None and kept["weights"].tolist() == [0.0, 1.0, 2.0]
    assert [p.name for p in (tmp_path / "white").iterdir()] == ["white-abc.npz"]


def test_calibrate_prints_parameters_and_rows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import smpstudio.appearance.calibrate as calibrate

    def fake(
        *, photons: int, seed: int, fit: bool, paths_cache: object = None
    ) -> tuple[dict[str, object], list[dict]]:
        return {"photons": photons, "fit": fit}, [{"fitzpatrick": 1}, {"fitzpatrick": 2}]

    monkeypatch.setattr(calibrate, "calibration_report", fake)
    assert cli_main.run(["table", "calibrate", "--photons", "1000", "--fit"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [{"photons": 1000, "fit": True}, {"fitzpatrick": 1}, {"fitzpatrick": 2}]
