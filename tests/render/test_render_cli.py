"""``smp render`` and ``smp render-photo`` through the real entry point (exit codes, files)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from smpstudio.cli import main as cli_main
from smpstudio.cli.case_cmds import demo_case_text

from .scenes import small_scene


@pytest.fixture(autouse=True)
def _commands(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        cli_main,
        "_OPTIONAL_COMMANDS",
        [
            ("smpstudio.cli.render_cmds", "render_command"),
            ("smpstudio.cli.render_cmds", "render_photo_command"),
        ],
    )
    monkeypatch.setenv("SMP_TODAY", "2026-11-01")


@pytest.fixture()
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(demo_case_text(), encoding="utf-8")
    return path


@pytest.fixture()
def photo(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    pixels = np.clip(rng.normal([190, 150, 130], 6, (240, 320, 3)), 0, 255).astype(np.uint8)
    path = tmp_path / "photo.jpg"
    Image.fromarray(pixels).save(path, quality=92)
    return path


def test_render_photo_writes_a_labelled_png(tmp_path: Path, case_file: Path, photo: Path) -> None:
    mask = tmp_path / "mask.json"
    mask.write_text(json.dumps({"polygon_px": [[40, 40], [280, 40], [280, 200], [40, 200]]}))
    out = tmp_path / "preview.png"
    code = cli_main.run(
        [
            "render-photo",
            str(photo),
            "--mask",
            str(mask),
            "--mm-per-px",
            "0.1",
            "--case",
            str(case_file),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    with Image.open(out) as image:
        assert image.size == (320, 240) and image.format == "PNG"


@pytest.mark.parametrize(
    ("mask_points", "scale", "field"),
    [
        ([[40, 40], [400, 40], [280, 200]], "0.1", "mask.polygon_px"),  # outside the photo
        ([[40, 40], [280, 40], [280, 200]], "0", "mm_per_px"),
        ([[40, 40], [280, 40], [280, 200]], "7.5", "mm_per_px"),
    ],
)
def test_render_photo_bad_input_exits_2_with_one_line(
    tmp_path: Path,
    case_file: Path,
    photo: Path,
    capsys: pytest.CaptureFixture[str],
    mask_points: list[list[int]],
    scale: str,
    field: str,
) -> None:
    mask = tmp_path / "mask.json"
    mask.write_text(json.dumps(mask_points))
    out = tmp_path / "preview.png"
    code = cli_main.run(
        [
            "render-photo",
            str(photo),
            "--mask",
            str(mask),
            "--mm-per-px",
            scale,
            "--case",
            str(case_file),
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and field in err
    assert not out.exists()


def test_render_photo_refuses_a_non_image(
    tmp_path: Path, case_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"GIF89a not really")
    mask = tmp_path / "mask.json"
    mask.write_text("[[1, 1], [5, 1], [5, 5]]")
    code = cli_main.run(
        [
            "render-photo",
            str(fake),
            "--mask",
            str(mask),
            "--mm-per-px",
            "0.1",
            "--case",
            str(case_file),
            "--out",
            str(tmp_path / "o.png"),
        ]
    )
    assert code == 2 and "photo" in capsys.readouterr().err


def test_render_draws_one_view_of_the_plan(
    tmp_path: Path, case_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import smpstudio.planning.treatment_plan as treatment_plan
    import smpstudio.render.plan_scene as plan_scene

    monkeypatch.setattr(treatment_plan, "plan_case", lambda case, **kw: ("plan", case, kw))
    monkeypatch.setattr(plan_scene, "scene_for_plan", lambda plan: small_scene())
    for view, size in (("top", 256), ("closeup-crown", 256), ("chart", 256)):
        out = tmp_path / f"{view}.png"
        code = cli_main.run(
            [
                "render",
                str(case_file),
                "--view",
                view,
                "--state",
                "fresh",
                "--size",
                str(size),
                "--out",
                str(out),
            ]
        )
        assert code == 0
        image = Image.open(io.BytesIO(out.read_bytes()))
        assert image.size == ((400, 400) if view.startswith("closeup") else (size, size))


def test_render_refuses_unknown_views(tmp_path: Path, case_file: Path) -> None:
    code = cli_main.run(
        ["render", str(case_file), "--view", "side", "--out", str(tmp_path / "x.png")]
    )
    assert code == 2
