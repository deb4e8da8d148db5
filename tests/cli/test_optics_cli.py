"""``smp optics run``: docs/interface.md section 5 (JSON keys, --photons, --seed, errors)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from smpstudio.cli.optics_cmd import JSON_KEYS, optics_group
from smpstudio.errors import MciFormatError

SAMPLE = Path(__file__).parents[1] / "optics" / "mcml" / "data" / "sample.mci"


def test_json_has_exactly_the_contract_keys() -> None:
    result = CliRunner().invoke(
        optics_group, ["run", str(SAMPLE), "--json", "--photons", "2000", "--seed", "4"]
    )
    assert result.exit_code == 0, result.output
    runs = json.loads(result.output)
    assert [r["output_file"] for r in runs] == ["sample.mco", "slab.mco"]
    expected = {
        "output_file", "photons", "seed", "specular_reflectance", "diffuse_reflectance",
        "diffuse_reflectance_stderr", "absorbed", "absorbed_stderr", "absorbed_by_layer",
        "transmittance", "transmittance_stderr", "seconds", "photons_per_second",
    }  # fmt: skip
    assert set(JSON_KEYS) == expected
    for run in runs:
        assert set(run) == expected
        assert run["photons"] == 2000 and run["seed"] == 4
        total = (
            run["specular_reflectance"] + run["diffuse_reflectance"] + run["absorbed"]
            + run["transmittance"]
        )  # fmt: skip
        assert abs(total - 1.0) < 1e-3
    assert len(runs[0]["absorbed_by_layer"]) == 3
    # The same seed gives the same numbers.
    again = CliRunner().invoke(
        optics_group, ["run", str(SAMPLE), "--json", "--photons", "2000", "--seed", "4"]
    )
    rerun = json.loads(again.output)
    assert [r["diffuse_reflectance"] for r in rerun] == [r["diffuse_reflectance"] for r in runs]


def test_table_output_is_readable() -> None:
    result = CliRunner().invoke(optics_group, ["run", str(SAMPLE), "--photons", "500"])
    assert result.exit_code == 0, result.output
    assert "diffuse reflectance" in result.output and "slab.mco" in result.output


def test_malformed_file_raises_mci_format_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mci"
    bad.write_text("1.0\n1\nout.mco A\nlots\n", encoding="utf-8")
    result = CliRunner().invoke(optics_group, ["run", str(bad), "--json"])
    assert isinstance(result.exception, MciFormatError)
    assert result.exception.line == 4


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(optics_group, ["run", str(tmp_path / "nope.mci")])
    assert result.exit_code == 2
