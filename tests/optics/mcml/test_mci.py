"""The .mci reader: MCML 1.0 input files; errors name the line."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from smpstudio.errors import InputError, MciFormatError
from smpstudio.io.mci_file import read_mci
from smpstudio.optics.mcml import Grid, Layer, parse_mci

SAMPLE = Path(__file__).parent / "data" / "sample.mci"

ONE_RUN = """1.0
1
out.mco A
1000
0.01 0.02
40 50 30
2
1.0
1.37 1.0 100.0 0.9 0.1
1.37 1.0 10.0 0.0 0.1
1.0
"""


def test_reads_mcml_sample_with_two_runs() -> None:
    mci = read_mci(SAMPLE)
    assert mci.version == 1.0
    assert len(mci.runs) == 2
    first, second = mci.runs
    assert first.output_file == "sample.mco" and first.output_format == "A"
    assert first.photons == 2000
    assert first.grid == Grid(dz_cm=0.01, dr_cm=0.01, nz=40, nr=50, na=1)
    assert first.layers[2] == Layer(n=1.37, mua_per_cm=2, mus_per_cm=10, g=0.7, thickness_cm=0.2)
    assert (first.n_above, first.n_below) == (1.0, 1.0)
    assert second.output_format == "A" and second.grid.dz_cm == pytest.approx(0.002)
    assert second.layers == (Layer(n=1, mua_per_cm=10, mus_per_cm=90, g=0.75, thickness_cm=0.02),)


def test_run_uses_the_file_grid_and_photons() -> None:
    run = read_mci(SAMPLE).runs[1]
    res = run.run(seed=3)
    assert res.photons == 1000 and res.grid == run.grid
    assert res.a_z is not None and res.a_z.shape == (10,)
    assert run.run(seed=3, photons=500).photons == 500


def test_semi_infinite_last_layer_is_accepted() -> None:
    text = ONE_RUN.replace("1.37 1.0 10.0 0.0 0.1", "1.37 1.0 10.0 0.0 inf")
    assert math.isinf(parse_mci(text).runs[0].layers[1].thickness_cm)


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        ("1.0\n1\nout", "2.0\n1\nout", 1, "file version"),
        ("out.mco A", "out.mco X", 3, "format A|B"),
        ("1000\n", "many\n", 4, "photon packets"),
        ("1000\n", "-5\n", 4, "photon packets"),
        ("0.01 0.02", "0.01", 5, "dz dr"),
        ("0.01 0.02", "0.01 -1", 5, "dz dr"),
        ("40 50 30", "40 50.5 30", 6, "bins"),
        ("1.37 1.0 100.0 0.9 0.1", "1.37 1.0 100.0 0.9", 9, "layer 1"),
        ("1.37 1.0 100.0 0.9 0.1", "1.37 1.0 100.0 1.9 0.1", 9, "g -1..1"),
        ("1.37 1.0 100.0 0.9 0.1", "1.37 1.0 100.0 0.9 inf", 9, "d finite"),
        ("1.37 1.0 10.0 0.0 0.1", "1.37 -1.0 10.0 0.0 0.1", 10, "mua_per_cm"),
        ("1.0\n", "1.0\n4 5\n", 12, "end of file"),
    ],
)
def test_errors_name_the_line(old: str, new: str, line: int, expected: str) -> None:
    head, sep, tail = ONE_RUN.rpartition(old)  # the last occurrence
    text = head + new + tail if not old.startswith("1.0\n1\n") else ONE_RUN.replace(old, new, 1)
    assert sep == old
    with pytest.raises(MciFormatError) as err:
        parse_mci(text, path="x.mci")
    assert err.value.line == line
    assert f"x.mci:{line}" in str(err.value)
    assert expected in str(err.value)
    assert isinstance(err.value, InputError)


def test_truncated_file_names_the_line_after_the_end() -> None:
    text = "\n".join(ONE_RUN.splitlines()[:9])  # stops after layer 1
    with pytest.raises(MciFormatError, match="end of file") as err:
        parse_mci(text, path="cut.mci")
    assert err.value.line == 10


def test_comments_and_blank_lines_keep_line_numbers() -> None:
    text = "# header\n\n" + ONE_RUN.replace("1000\n", "1000   # photons\n\n# grid next\nabc\n")
    with pytest.raises(MciFormatError) as err:
        parse_mci(text)
    assert err.value.line == 9


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="mci_file"):
        read_mci(tmp_path / "missing.mci")
