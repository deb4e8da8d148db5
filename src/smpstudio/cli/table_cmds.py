"""``smp table build`` and ``smp table calibrate``: maintainers' commands for the appearance
table (docs/optics.md). Hidden from ``smp --help``: practitioners never need them."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from smpstudio.appearance.build import DEFAULT_PHOTONS, DEFAULT_SEED


@click.group("table", hidden=True)
def table_group() -> None:
    """Rebuild or check the packaged appearance table (maintainers)."""


@table_group.command("build")
@click.option("--photons", type=click.IntRange(100), default=DEFAULT_PHOTONS, show_default=True)
@click.option("--seed", type=click.IntRange(0), default=DEFAULT_SEED, show_default=True)
@click.option(
    "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Table file to write (default: the packaged appearance_table.npz).",
)  # fmt: skip
@click.option(
    "--paths-cache", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Folder that keeps the white Monte Carlo runs for reuse (e.g. build/white-paths).",
)  # fmt: skip
def build_command(photons: int, seed: int, out_file: Path | None, paths_cache: Path | None) -> None:
    """Regenerate the appearance table (about 5 minutes on 2 cores)."""
    from smpstudio.appearance.build import build_arrays
    from smpstudio.appearance.model import AppearanceModel
    from smpstudio.io.appearance_files import WhitePathsFolder, default_table_path, write_table

    start = time.perf_counter()
    cache = WhitePathsFolder(paths_cache) if paths_cache is not None else None
    arrays = build_arrays(AppearanceModel(), photons=photons, seed=seed, log=True,
                          paths_cache=cache)  # fmt: skip
    out = out_file or default_table_path()
    write_table(arrays, out)
    seconds = time.perf_counter() - start
    click.echo(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB) in {seconds:.0f} s")


@table_group.command("calibrate")
@click.option("--photons", type=click.IntRange(100), default=DEFAULT_PHOTONS, show_default=True)
@click.option("--seed", type=click.IntRange(0), default=DEFAULT_SEED, show_default=True)
@click.option("--fit", is_flag=True, help="Refit the skin instead of checking the defaults.")
@click.option(
    "--paths-cache", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="The build's white-run folder: check or fit on the table's own packets.",
)  # fmt: skip
def calibrate_command(photons: int, seed: int, fit: bool, paths_cache: Path | None) -> None:
    """Skin colour of the model against measured skin (JSON lines)."""
    from smpstudio.appearance.calibrate import calibration_report
    from smpstudio.io.appearance_files import WhitePathsFolder

    cache = WhitePathsFolder(paths_cache) if paths_cache is not None else None
    params, rows = calibration_report(photons=photons, seed=seed, fit=fit, paths_cache=cache)
    click.echo(json.dumps(params))
    for row in rows:
        click.echo(json.dumps(row))
