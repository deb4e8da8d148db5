"""``smp appearance``: predicted colour of a healed or faded dot against the skin
(docs/interface.md section 6).

The command only parses, calls the core (:func:`smpstudio.appearance.lookup`) and prints;
errors propagate to the central handler in ``smpstudio.cli.main``.
"""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from smpstudio.appearance.model import MAX_DEPTH_MM, MIN_DEPTH_MM
from smpstudio.optics.pigment import MAX_DILUTION_FRAC, pigment_frac_for

MAX_YEARS = 30.0


@click.command(name="appearance")
@click.option("--fitzpatrick", type=click.IntRange(1, 6), required=True, help="Skin type 1..6.")
@click.option(
    "--depth-mm",
    type=click.FloatRange(MIN_DEPTH_MM, MAX_DEPTH_MM),
    required=True,
    help="Pigment depth below the skin surface (mm).",
)
@click.option(
    "--dilution",
    "dilution_frac",
    type=click.FloatRange(0.0, MAX_DILUTION_FRAC),
    default=0.0,
    show_default=True,
    help="Water fraction of the ink mix.",
)
@click.option(
    "--years",
    type=click.FloatRange(0.0, MAX_YEARS),
    default=0.0,
    show_default=True,
    help="Years since healing (0 = freshly healed).",
)
@click.option(
    "--technique",
    type=click.Choice(["smp", "tricopigmentation"]),
    default="smp",
    show_default=True,
)
@click.option(
    "--sun-exposure",
    type=click.Choice(["low", "moderate", "high"]),
    default="moderate",
    show_default=True,
    help="Sun exposure over the years (fading).",
)
@click.option("--json", "as_json", is_flag=True, help="Print docs/interface.md section 6 as JSON.")
def appearance_command(
    fitzpatrick: int,
    depth_mm: float,
    dilution_frac: float,
    years: float,
    technique: str,
    sun_exposure: str,
    as_json: bool,
) -> None:
    """Predicted colour of a healed (or faded) dot against the surrounding skin."""
    from smpstudio.appearance import lookup

    remaining = 1.0
    if years > 0.0:
        from smpstudio.course.fading import pigment_remaining_frac

        remaining = float(
            pigment_remaining_frac(
                years, technique=technique, sun_exposure=sun_exposure, fitzpatrick=fitzpatrick
            )
        )
    frac = pigment_frac_for(
        dilution_frac=dilution_frac, remaining_frac=min(max(remaining, 0.0), 1.0)
    )
    result = lookup(fitzpatrick, depth_mm, frac)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    console = Console()
    table = Table(title=f"Fitzpatrick {fitzpatrick}, pigment at {depth_mm:g} mm")
    table.add_column("")
    table.add_column("L*a*b* (D65, 2 deg)", justify="right")
    table.add_column("sRGB")
    table.add_column("")
    for name, lab, hex_ in (
        ("skin", result.skin_lab, result.skin_srgb_hex),
        ("dot", result.dot_lab, result.dot_srgb_hex),
    ):
        swatch = Text("      ", style=f"on {hex_.lower()}")
        table.add_row(name, " / ".join(f"{v:.1f}" for v in lab), hex_, swatch)
    console.print(table)
    console.print(
        f"pigment load {frac:.2f} of neat healed (dilution {dilution_frac:g}, "
        f"{remaining:.0%} left after {years:g} years, {technique})"
    )
    console.print(
        f"contrast CIEDE2000 {result.delta_e2000:.1f}; delta b* {result.delta_b:+.1f}; "
        f"blue shift index {result.blue_shift_index:+.2f} (> 0: bluer than the skin); "
        f"blur sigma {result.blur_sigma_mm:.2f} mm"
    )
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
