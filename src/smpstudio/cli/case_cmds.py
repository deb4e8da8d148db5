"""``smp demo``, ``smp assess`` and ``smp plan``: commands that read a case file."""

from __future__ import annotations

import datetime as dt
import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from smpstudio.case.model import Case
from smpstudio.errors import InputError
from smpstudio.io.case_file import load_case, parse_case_text

DEMO_CASE = "norwood-5-male.yaml"


def today() -> dt.date:
    """The planning date: ``SMP_TODAY`` (ISO date) if set, else the system date."""
    text = os.environ.get("SMP_TODAY")
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError("SMP_TODAY", text, "an ISO date YYYY-MM-DD") from None


def demo_case_text() -> str:
    """The bundled demo case (``smpstudio/data/norwood-5-male.yaml``)."""
    return resources.files("smpstudio.data").joinpath(DEMO_CASE).read_text(encoding="utf-8")


def _load(path: str) -> Case:
    return load_case(path, today=today())


@click.command("assess")
@click.argument("case_file", metavar="CASE.yaml", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print plan.json's head, regions and loss.")
def assess_command(case_file: str, as_json: bool) -> None:
    """Head geometry, scalp regions and hair-loss areas of a case."""
    from smpstudio.planning.assess import assess_case

    assessment = assess_case(_load(case_file))
    if as_json:
        click.echo(json.dumps(assessment.to_dict(), indent=2))
    else:
        print_assessment(assessment.to_dict())


@click.command("plan")
@click.argument("case_file", metavar="CASE.yaml", type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None, help="Override the seed.")
@click.option("--size", "size_px", type=click.IntRange(256, 4096), default=1024, show_default=True)
def plan_command(case_file: str, out_dir: str, seed: int | None, size_px: int) -> None:
    """The whole plan: plan.json, dots.csv, views, calendar and report."""
    case = _load(case_file)
    _write_plan(case, out_dir=out_dir, seed=seed, size_px=size_px)


@click.command("demo")
@click.option("--out", "out_dir", default="smp-demo", show_default=True)
@click.option("--size", "size_px", type=click.IntRange(256, 4096), default=1024, show_default=True)
def demo_command(out_dir: str, size_px: int) -> None:
    """Plan the bundled example case (Norwood V man) and write everything to --out."""
    case = parse_case_text(demo_case_text(), today=today(), source=DEMO_CASE)
    _write_plan(case, out_dir=out_dir, seed=None, size_px=size_px)


def _write_plan(case: Case, *, out_dir: str, seed: int | None, size_px: int) -> None:
    from smpstudio.io.output import atomic_output_dir
    from smpstudio.io.plan_folder import plan_folder

    console = Console(stderr=True)
    with console.status("planning…"):
        outputs = plan_folder(case, seed=seed, size_px=size_px)
    with atomic_output_dir(out_dir) as tmp:
        for name, data in outputs.files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    print_assessment(outputs.summary)
    click.echo(f"\nwrote {len(outputs.files)} files to {Path(out_dir)}/:")
    for name in sorted(outputs.files):
        click.echo(f"  {name}")


def print_assessment(data: dict[str, Any]) -> None:
    """A readable table of the head, regions and loss (and plan totals when present)."""
    console = Console()
    head = data["head"]
    loss = data["loss"]
    console.print(
        f"[bold]Head[/bold]  circumference {head['circumference_mm']:.0f} mm, "
        f"length {head['length_mm']:.0f} mm, breadth {head['breadth_mm']:.0f} mm, "
        f"vertex {head['vertex_height_mm']:.0f} mm above the tragia; "
        f"hair-bearing scalp {head['scalp_area_cm2']:.0f} cm²"
    )
    console.print(
        f"[bold]Loss[/bold]  {loss['pattern']}: bald {loss['bald_area_cm2']:.0f} cm² "
        f"({100 * loss['bald_frac']:.0f}% of the scalp), nearest Norwood "
        f"{loss['nearest_norwood']}"
    )
    table = Table(title="Regions")
    table.add_column("region")
    table.add_column("area cm²", justify="right")
    table.add_column("bald cm²", justify="right")
    extra = "treated_area_cm2" in data["regions"][0]
    if extra:
        table.add_column("treated cm²", justify="right")
        table.add_column("dots/cm²", justify="right")
        table.add_column("dots", justify="right")
    for region in data["regions"]:
        row = [region["name"], f"{region['area_cm2']:.1f}", f"{region['bald_area_cm2']:.1f}"]
        if extra:
            row += [
                f"{region['treated_area_cm2']:.1f}",
                f"{region['target_density_per_cm2']:.0f}",
                f"{region['dots']:,}",
            ]
        table.add_row(*row)
    console.print(table)
