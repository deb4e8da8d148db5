"""``smp render-photo`` on a front photo through the real entry point: JSON, files, refusals."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from smpstudio.cli import main as cli_main
from smpstudio.cli.case_cmds import demo_case_text

from .helpers import DATA


@pytest.fixture(autouse=True)
def _commands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        cli_main, "_OPTIONAL_COMMANDS", [("smpstudio.cli.render_cmds", "render_photo_command")]
    )
    monkeypatch.setenv("SMP_TODAY", "2026-11-01")


@pytest.fixture()
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(demo_case_text(), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_main.run(["render-photo", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_front_photo_needs_nothing_but_the_case(
    tmp_path: Path, case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "preview.png"
    code, stdout, err = _run(
        capsys, str(DATA / "astronaut.png"), "--case", str(case_file), "--out", str(out), "--json"
    )
    assert code == 0, err
    info = json.loads(stdout)
    assert info["view"] == "front" and info["dots"] > 0
    assert {"eye_left", "eye_right", "glabella"} <= set(info["landmarks_px"])
    assert 1.2 < info["mm_per_px"] < 1.7 and info["mm_per_px_sd"] > 0
    assert set(info["pose"]) >= {"yaw_deg", "pitch_deg", "roll_deg"}
    assert len(info["hairline_px"]) > 10
    with Image.open(out) as picture:
        assert picture.size == (512, 512)
    # The practitioner moves the glabella: the run takes it, and the echo of the earlier
    # output is accepted as the correction file.
    info["landmarks_px"]["glabella"] = [226.0, 93.0]
    fixed = tmp_path / "landmarks.json"
    fixed.write_text(json.dumps(info))
    code, stdout, err = _run(
        capsys, str(DATA / "astronaut.png"), "--case", str(case_file), "--out", str(out),
        "--landmarks", str(fixed), "--json",
    )  # fmt: skip
    assert code == 0, err
    again = json.loads(stdout)
    assert again["landmarks_px"]["glabella"] == [226.0, 93.0]
    assert again["landmarks_source"] == "detector+given"


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--view", "top"], "--view"),
        (["--mask", "m.json"], "--mask/--mm-per-px"),
        (["--mm-per-px", "0.2"], "--mask/--mm-per-px"),
        (["--focal-35mm", "2"], "focal"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    tmp_path: Path, case_file: Path, capsys: pytest.CaptureFixture[str], extra: list[str],
    needle: str,
) -> None:  # fmt: skip
    out = tmp_path / "preview.png"
    code, _, err = _run(
        capsys, str(DATA / "astronaut.png"), "--case", str(case_file), "--out", str(out), *extra
    )
    assert code == 2 and needle in err and not out.exists()
    assert err.strip().splitlines()[-1].count(needle.split("/")[0]) >= 1  # one closing line


@pytest.mark.parametrize("kind", ["wall", "small"])
def test_photos_that_cannot_be_fitted_exit_2_saying_what_to_add(
    tmp_path: Path, case_file: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    photo = tmp_path / f"{kind}.png"
    if kind == "wall":
        Image.new("RGB", (640, 480), (150, 160, 170)).save(photo)
    else:
        Image.open(DATA / "astronaut.png").resize((200, 200)).save(photo)
    out = tmp_path / "preview.png"
    code, _, err = _run(capsys, str(photo), "--case", str(case_file), "--out", str(out))
    assert code == 2 and not out.exists()
    assert len(err.strip().splitlines()) == 1
    assert ("--landmarks" in err and "--mask" in err) if kind == "wall" else "256 pixels" in err


def test_other_views_still_take_a_mask_and_a_scale(
    tmp_path: Path, case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = np.random.default_rng(0)
    pixels = np.clip(rng.normal([190, 150, 130], 6, (240, 320, 3)), 0, 255).astype(np.uint8)
    photo = tmp_path / "top.jpg"
    Image.fromarray(pixels).save(photo, quality=92)
    mask = tmp_path / "mask.json"
    mask.write_text(json.dumps([[40, 40], [280, 40], [280, 200], [40, 200]]))
    out = tmp_path / "preview.png"
    code, stdout, err = _run(
        capsys, str(photo), "--case", str(case_file), "--out", str(out), "--view", "top",
        "--mask", str(mask), "--mm-per-px", "0.1", "--json",
    )  # fmt: skip
    assert code == 0, err
    info = json.loads(stdout)
    assert info["view"] == "top" and info["mm_per_px"] == 0.1 and info["dots"] > 100
    assert info["scale_method"] == "given" and info["mm_per_px_sd"] is None
    with Image.open(io.BytesIO(out.read_bytes())) as picture:
        assert picture.size == (320, 240)
