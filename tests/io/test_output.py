"""The one atomic file write and the atomic output folder (io/output.py)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from smpstudio.errors import InputError
from smpstudio.io.output import atomic_output_dir, write_atomic


def test_write_atomic_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "a.png"
    target.write_bytes(b"old")
    write_atomic(target, b"new bytes")
    assert target.read_bytes() == b"new bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png"]  # no temporary left


def test_write_atomic_sets_the_mode_when_asked(tmp_path: Path) -> None:
    write_atomic(tmp_path / "table.npz", b"x", mode=0o644)
    assert stat.S_IMODE((tmp_path / "table.npz").stat().st_mode) == 0o644


def test_write_atomic_names_the_field_for_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--paths-cache") as err:
        write_atomic(tmp_path / "nowhere" / "x.npz", b"x", field="--paths-cache")
    assert err.value.allowed == "a file in an existing folder"


def test_write_atomic_leaves_the_old_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_atomic_output_dir_is_all_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    with atomic_output_dir(out) as tmp:
        (tmp / "plan.json").write_text("{}")
    assert (out / "plan.json").read_text() == "{}"
    with pytest.raises(RuntimeError), atomic_output_dir(out) as tmp:
        (tmp / "half.json").write_text("{")
        raise RuntimeError("fault half-way")
    assert sorted(p.name for p in out.iterdir()) == ["plan.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]
