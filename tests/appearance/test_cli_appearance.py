"""``smp appearance``: docs/interface.md section 6 output and exit status 2 on bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from smpstudio import appearance
from smpstudio.cli.appearance_cmd import appearance_command


def _invoke(*args: str):
    return CliRunner().invoke(appearance_command, list(args))


def test_json_output_matches_lookup():
    result = _invoke("--fitzpatrick", "3", "--depth-mm", "0.3", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out == json.loads(json.dumps(appearance.lookup(3, 0.3, 1.0).to_dict()))


def test_dilution_lightens_the_dot():
    neat = json.loads(_invoke("--fitzpatrick", "2", "--depth-mm", "0.3", "--json").output)
    diluted = json.loads(
        _invoke("--fitzpatrick", "2", "--depth-mm", "0.3", "--dilution", "0.5", "--json").output
    )
    assert diluted["dot"]["lab"][0] > neat["dot"]["lab"][0]
    assert diluted["delta_e2000"] < neat["delta_e2000"]


def test_years_fade_the_dot():
    healed = json.loads(_invoke("--fitzpatrick", "2", "--depth-mm", "0.3", "--json").output)
    faded = _invoke("--fitzpatrick", "2", "--depth-mm", "0.3", "--years", "4", "--json")
    assert faded.exit_code == 0, faded.output
    assert json.loads(faded.output)["delta_e2000"] < healed["delta_e2000"]


def test_readable_output_and_warning():
    result = _invoke("--fitzpatrick", "4", "--depth-mm", "1.5")
    assert result.exit_code == 0, result.output
    assert "CIEDE2000" in result.output and "deep" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["--fitzpatrick", "7", "--depth-mm", "0.3"],
        ["--fitzpatrick", "3", "--depth-mm", "5"],
        ["--fitzpatrick", "3", "--depth-mm", "0.3", "--dilution", "0.95"],
        ["--fitzpatrick", "3", "--depth-mm", "0.3", "--years", "-1"],
        ["--fitzpatrick", "3", "--depth-mm", "0.3", "--technique", "tattoo"],
        ["--fitzpatrick", "3"],
        ["--fitzpatrick", "three", "--depth-mm", "0.3"],
    ],
)
def test_bad_input_exits_2(args):
    result = _invoke(*args)
    assert result.exit_code == 2
    assert "Error" in result.output
