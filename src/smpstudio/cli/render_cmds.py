"""``smp render`` (one picture of a plan) and ``smp render-photo`` (the photo preview)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def _read_json(option: str, path: str) -> Any:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(option, path, f"a readable JSON file ({exc})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(option, path, f"valid JSON ({exc.msg}, line {exc.lineno})") from None


@click.command("render-photo")
@click.argument("photo", metavar="PHOTO", type=click.Path(dir_okay=False))
@click.option("--case", "case_file", required=True, type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="The preview: PNG, or JPEG where the name ends in .jpg or .jpeg.",
)
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="front",
    show_default=True,
    help="Which side the photo shows. A front photo is fitted on its own; others need --mask.",
)
@click.option(
    "--mask",
    "mask_file",
    default=None,
    type=click.Path(dir_okay=False),
    help='JSON: the scalp as a list of [x, y] pixel points, or {"polygon_px": [...]}.',
)
@click.option(
    "--mm-per-px",
    "mm_per_px",
    default=None,
    type=float,
    help="With --mask: the photo's scale on the scalp, mm per pixel (0.01..1).",
)
@click.option(
    "--landmarks",
    "landmarks_file",
    default=None,
    type=click.Path(dir_okay=False),
    help='JSON: corrected landmarks {"eye_left": [x, y], "eye_right": [x, y], "glabella": '
    "[x, y], ...} (or an earlier --json output); they replace the detected ones.",
)
@click.option(
    "--focal-35mm",
    "focal_35mm",
    default=None,
    type=click.FloatRange(10.0, 300.0),
    help="The camera's 35 mm equivalent focal length, where the photo's EXIF lacks it "
    "(default: the EXIF value, else 26 mm, a phone's main camera).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the fit (scale, pose, landmarks).")
def render_photo_command(
    photo: str,
    case_file: str,
    out_file: str,
    view: str,
    mask_file: str | None,
    mm_per_px: float | None,
    landmarks_file: str | None,
    focal_35mm: float | None,
    as_json: bool,
) -> None:
    """Preview the healed design on a client's photo.

    A front photo needs nothing else: the face, the scale and the head's pose are found in it.
    Other views need --mask and --mm-per-px.
    """
    from smpstudio.io.photo_file import load_photo

    if (mask_file is None) != (mm_per_px is None):
        raise InputError("--mask/--mm-per-px", "one without the other", "both together")
    if mask_file is None and view != "front":
        raise InputError(
            "--view", view, "front for a fitted photo; a photo of another view needs --mask "
            "JSON and --mm-per-px"
        )  # fmt: skip
    if mask_file is not None:
        from smpstudio.render.photo import check_mm_per_px

        check_mm_per_px(mm_per_px)  # type: ignore[arg-type]
    case = load_case(case_file, today=today())
    image = load_photo(photo)
    if mask_file is not None and mm_per_px is not None:
        info = _masked_photo(image, _read_json("--mask", mask_file), mm_per_px, case, out_file)
    else:
        given = _read_json("--landmarks", landmarks_file) if landmarks_file else None
        info = _fitted_photo(photo, image, given, focal_35mm, case, out_file)
    info = {"view": view, **info}
    click.echo(json.dumps(info) if as_json else f"wrote {out_file}")


def _masked_photo(
    image: Any, mask_data: Any, mm_per_px: float, case: Any, out_file: str
) -> dict[str, Any]:
    """The hand-made path: a scalp polygon and a scale, both given."""
    from smpstudio.render.photo import PhotoDotSpec, draw_photo_dots, parse_mask, photo_dots

    mask = parse_mask(mask_data, image.shape[1], image.shape[0])
    spec = PhotoDotSpec(
        density_per_cm2=case.design.density_per_cm2,
        fitzpatrick=case.skin.fitzpatrick,
        depth_mm=case.design.depth_mm,
        sessions=case.design.sessions,
        seed=case.seed,
    )
    dots = photo_dots(mask, mm_per_px, spec)
    note = f"scale {mm_per_px:g} mm/px as given (uncertainty not known)"
    write_atomic(out_file, draw_photo_dots(image, dots, [note]))
    return {
        "mm_per_px": mm_per_px, "mm_per_px_sd": None, "scale_method": "given",
        "landmarks_px": None, "hairline_px": [], "dots": int(dots["xy_px"].shape[0]),
    }  # fmt: skip


def _fitted_photo(
    photo: str, image: Any, given: Any, focal_35mm: float | None, case: Any, out_file: str
) -> dict[str, Any]:
    """The front photo fitted on its own (landmarks, scale, pose, scalp)."""
    from smpstudio.io.aftercare_file import load_aftercare_rules
    from smpstudio.photofit.fit import focal_35mm_from_exif
    from smpstudio.photofit.landmarks import parse_landmarks
    from smpstudio.photofit.preview import find_landmarks, render_preview
    from smpstudio.planning.treatment_plan import plan_case
    from smpstudio.render.plan_scene import scene_for_plan

    corrections = parse_landmarks(given, image.shape[1], image.shape[0]) if given else None
    landmarks = find_landmarks(image, corrections)  # refuse an unusable photo before planning
    if focal_35mm is None:
        focal_35mm = focal_35mm_from_exif(Path(photo).read_bytes())
    scene = scene_for_plan(plan_case(case, aftercare_rules=load_aftercare_rules()))
    preview = render_preview(image, scene, landmarks=landmarks, focal_35mm=focal_35mm)
    jpeg = Path(out_file).suffix.lower() in (".jpg", ".jpeg")
    write_atomic(out_file, preview.encoded("jpeg" if jpeg else "png"))
    return preview.to_dict()
