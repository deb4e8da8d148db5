"""``smp render`` (one picture of a plan) and ``smp render-photo`` (the photo preview)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from smpstudio.cli.case_cmds import today
from smpstudio.errors import InputError
from smpstudio.io.case_file import load_case
from smpstudio.io.output import write_atomic
from smpstudio.render.scene import PLACES, STATES, VIEWS

#: ``--view``: a camera view, the flat chart, or a close-up (the renderer's own lists).
_PICTURES = (*VIEWS, "chart", *(f"closeup-{place}" for place in PLACES))


@click.command("render")
@click.argument("case_file", metavar="CASE.yaml", type=click.Path(dir_okay=False))
@click.option(
    "--view",
    "view",
    type=click.Choice(_PICTURES),
    default="front",
    show_default=True,
    help="A camera view, the flat scalp chart, or a 2 cm close-up.",
)
@click.option("--state", type=click.Choice(STATES), default="healed", show_default=True)
@click.option(
    "--size",
    "size_px",
    type=click.IntRange(256, 4096),
    default=1024,
    show_default=True,
    help="Image side in pixels (close-ups are always 400 px at 20 px/mm).",
)
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=None, help="Override the seed.")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False))
def render_command(
    case_file: str, view: str, state: str, size_px: int, seed: int | None, out_file: str
) -> None:
    """Render one picture of the planned result as PNG."""
    from smpstudio.io.aftercare_file import load_aftercare_rules
    from smpstudio.planning.treatment_plan import plan_case
    from smpstudio.render.chartview import render_chart
    from smpstudio.render.closeups import render_closeup
    from smpstudio.render.plan_scene import scene_for_plan
    from smpstudio.render.views import SceneRenderer

    case = load_case(case_file, today=today())
    plan = plan_case(case, aftercare_rules=load_aftercare_rules(), seed=seed)
    renderer = SceneRenderer(scene_for_plan(plan))
    if view == "chart":
        data = render_chart(renderer, state, size_px)
    elif view.startswith("closeup-"):
        data = render_closeup(renderer, view.removeprefix("closeup-"), state)
    else:
        data = renderer.view_png(view, state, size_px)
    write_atomic(out_file, data)
    click.echo(f"wrote {out_file}")


@click.command("render-photo")
@click.argument("photo", metavar="PHOTO", type=click.Path(dir_okay=False))
@click.option(
    "--mask",
    "mask_file",
    required=True,
    type=click.Path(dir_okay=False),
    help='JSON: a list of [x, y] pixel points, or {"polygon_px": [...]}.',
)
@click.option(
    "--mm-per-px",
    "mm_per_px",
    required=True,
    type=float,
    help="Scale of the photo on the scalp, mm per pixel (0.01..1).",
)
@click.option("--case", "case_file", required=True, type=click.Path(dir_okay=False))
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False))
def render_photo_command(
    photo: str, mask_file: str, mm_per_px: float, case_file: str, out_file: str
) -> None:
    """Preview the healed dots in the masked scalp of a client's photo."""
    from smpstudio.io.photo_file import load_photo
    from smpstudio.render.photo import (
        PhotoDotSpec,
        check_mm_per_px,
        parse_mask,
        preview_photo,
    )

    check_mm_per_px(mm_per_px)
    case = load_case(case_file, today=today())
    image = load_photo(photo)
    try:
        mask_text = Path(mask_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("--mask", mask_file, f"a readable JSON file ({exc})") from None
    try:
        mask_data = json.loads(mask_text)
    except json.JSONDecodeError as exc:
        raise InputError(
            "--mask", mask_file, f"valid JSON ({exc.msg}, line {exc.lineno})"
        ) from None
    mask = parse_mask(mask_data, image.shape[1], image.shape[0])
    spec = PhotoDotSpec(
        density_per_cm2=case.design.density_per_cm2,
        fitzpatrick=case.skin.fitzpatrick,
        depth_mm=case.design.depth_mm,
        sessions=case.design.sessions,
        seed=case.seed,
    )
    write_atomic(out_file, preview_photo(image, mask, mm_per_px, spec))
    click.echo(f"wrote {out_file}")
