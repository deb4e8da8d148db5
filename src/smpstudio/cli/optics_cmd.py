"""``smp optics run FILE.mci``: MCML Monte Carlo on an MCML input file
(docs/interface.md section 5).

The command only parses arguments, calls the core and prints; errors (``SmpError``) propagate to
the central handler in ``smpstudio.cli.main``.
"""

from __future__ import annotations

import json
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from smpstudio.io.mci_file import read_mci

JSON_KEYS = (
    "output_file",
    "photons",
    "seed",
    "specular_reflectance",
    "diffuse_reflectance",
    "diffuse_reflectance_stderr",
    "absorbed",
    "absorbed_stderr",
    "absorbed_by_layer",
    "transmittance",
    "transmittance_stderr",
    "seconds",
    "photons_per_second",
)


@click.group(name="optics")
def optics_group() -> None:
    """Light transport in skin: Monte Carlo (MCML) runs."""


@optics_group.command(name="run")
@click.argument("mci_file", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per run.")
@click.option(
    "--photons",
    type=click.IntRange(min=10),
    default=None,
    help="Photon packets per run (overrides the file's count).",
)
@click.option(
    "--seed", type=click.IntRange(min=0), default=1, show_default=True, help="Random seed."
)
def run_command(mci_file: str, as_json: bool, photons: int | None, seed: int) -> None:
    """Run every simulation in the MCML input file MCI_FILE."""
    mci = read_mci(mci_file)
    rows: list[dict[str, Any]] = []
    for run in mci.runs:
        result = run.run(seed=seed, photons=photons)
        rows.append({"output_file": run.output_file, **result.to_dict()})
    if as_json:
        click.echo(json.dumps([{key: row[key] for key in JSON_KEYS} for row in rows], indent=2))
        return
    console = Console()
    for row in rows:
        console.print(_table(row))


def _table(row: dict[str, Any]) -> Table:
    table = Table(title=f"{row['output_file']}: {row['photons']:,} packets, seed {row['seed']}")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    table.add_column("std. error", justify="right")
    table.add_row("specular reflectance Rsp", f"{row['specular_reflectance']:.6f}", "")
    for label, key in (
        ("diffuse reflectance Rd", "diffuse_reflectance"),
        ("absorbed A", "absorbed"),
        ("transmittance Tt", "transmittance"),
    ):
        table.add_row(label, f"{row[key]:.6f}", f"{row[key + '_stderr']:.6f}")
    for i, value in enumerate(row["absorbed_by_layer"], start=1):
        table.add_row(f"  absorbed in layer {i}", f"{value:.6f}", "")
    table.add_row("time", f"{row['seconds']:.2f} s", "")
    table.add_row("speed", f"{row['photons_per_second']:,.0f} packets/s", "")
    return table
