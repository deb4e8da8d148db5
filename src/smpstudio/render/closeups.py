"""Close-ups: 2 cm x 2 cm of the skin at 20 px per mm, where a practitioner judges the work.

Two places matter most: the front hairline (the image centred 5 mm behind the mid-frontal
hairline point, so the soft edge and the forehead below it both show) and the crown (the
vertex), where the whorl and the densest field are. The camera is orthographic, looking
straight down the skin normal at the centre, with image "up" toward the vertex for the
hairline (the hairline seen face to face, forehead at the bottom) and toward the nose for the
crown (as in the top view). At this scale the dots and hairs are drawn at true size, so a
5 mm scale bar is added.

Skin micro-texture (only visible here): faint mottling (value noise at 0.6 mm), the skin's
cross-hatched furrows (the "microrelief", furrows 20-100 um wide bounding plateaus ~0.3-1 mm
across; Lagarde et al. 2005, Skin Res Technol 11:47), and pores at the follicle openings of
the bald skin, which keeps its vellus follicles (miniaturised, not lost; Whiting 1993,
J Am Acad Dermatol 28:755): 100-150 per cm2, 0.05-0.08 mm across.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from smpstudio.errors import InputError
from smpstudio.planning.streams import scene_rng
from smpstudio.render.camera import Camera, orthographic
from smpstudio.render.raster import linear_to_srgb8, splat_dots
from smpstudio.render.scene import PLACES, State, Where, check_state
from smpstudio.render.shading import LABEL_NOTE, draw_label, png_bytes
from smpstudio.render.views import CameraBase, SceneRenderer

FloatArray = npt.NDArray[np.float64]

CLOSEUP_SIDE_MM = 20.0
CLOSEUP_PX_PER_MM = 20.0
HAIRLINE_SETBACK_MM = 5.0
SCALE_BAR_MM = 5.0
PORES_PER_CM2 = 120.0
PORE_RADIUS_MM = 0.025
PORE_BLUR_MM = 0.015
PORE_DARKENING = 0.12
MOTTLE_SCALE_MM = 0.6
MOTTLE_AMPLITUDE = 0.025
FURROW_SPACING_MM = 0.45
FURROW_AMPLITUDE = 0.035


def mid_frontal_point(hairline_uv_mm: FloatArray) -> FloatArray:
    """Chart point ``(2,)`` where the hairline crosses the midline (u = 0), else its front-most.

    Raises
    ------
    InputError
        For an empty hairline.
    """
    hl = np.asarray(hairline_uv_mm, dtype=np.float64).reshape(-1, 2)
    if hl.shape[0] == 0:
        raise InputError("hairline_uv_mm", "no points", "the designed hairline (H, 2)")
    u = hl[:, 0]
    cross = np.flatnonzero((u[:-1] <= 0.0) & (u[1:] >= 0.0) | (u[:-1] >= 0.0) & (u[1:] <= 0.0))
    if cross.size:
        best = None
        for i in cross:
            du = u[i + 1] - u[i]
            w = 0.5 if du == 0.0 else -u[i] / du
            pt = hl[i] + w * (hl[i + 1] - hl[i])
            if best is None or pt[1] > best[1]:
                best = pt
        return np.asarray(best)
    return np.asarray(hl[int(np.argmax(hl[:, 1]))])


def closeup_centre_uv(renderer: SceneRenderer, where: Where | str) -> FloatArray:
    """Chart point ``(2,)`` at the centre of a close-up."""
    if where == "crown":
        return np.zeros(2)
    if where != "hairline":
        raise InputError("closeup", where, " | ".join(PLACES))
    scene = renderer.scene
    if scene.hairline_uv_mm.shape[0]:
        front = mid_frontal_point(scene.hairline_uv_mm)
    elif scene.scalp_outline_uv_mm.shape[0]:  # no designed hairline: the natural one
        front = mid_frontal_point(scene.scalp_outline_uv_mm)
    else:
        return np.zeros(2)
    s = float(np.hypot(*front))
    if s <= HAIRLINE_SETBACK_MM:
        return np.zeros(2)
    return np.asarray(front * (1.0 - HAIRLINE_SETBACK_MM / s))


def closeup_camera(renderer: SceneRenderer, where: Where | str) -> Camera:
    """Orthographic camera 2 cm across, down the skin normal at the close-up's centre."""
    uv = closeup_centre_uv(renderer, where)
    return camera_at(renderer, uv, toward_nose=where == "crown")


def camera_at(renderer: SceneRenderer, uv: FloatArray, *, toward_nose: bool) -> Camera:
    """Close-up camera at chart point ``uv`` with "up" toward the nose or toward the vertex."""
    chart = renderer.scene.chart
    centre = chart.chart_to_surface(uv)[0]
    normal = renderer.head.normals(centre[None, :])[0]
    s = float(np.hypot(*uv))
    if toward_nose or s < 1.0:
        up = np.array([0.0, 1.0, 0.0])
    else:  # toward the vertex, along the chart radius
        step = max(s - 1.0, 0.0) / s
        up = chart.chart_to_surface(uv * step)[0] - centre
    size = round(CLOSEUP_SIDE_MM * CLOSEUP_PX_PER_MM)
    return orthographic(centre, -normal, up, size_px=size, mm_per_px=1.0 / CLOSEUP_PX_PER_MM)


def add_skin_texture(base: CameraBase, skin_rgb: FloatArray) -> None:
    """Multiply the close-up's skin by its micro-texture, in place (deterministic)."""
    cam = base.camera
    h, w = base.image.shape[:2]
    mm = cam.mm_per_px
    ys, xs = np.mgrid[0:h, 0:w]
    x_mm = (xs + 0.5 - 0.5 * w) * mm
    y_mm = (0.5 * h - ys - 0.5) * mm
    rng = scene_rng("skin_texture")
    tex = 1.0 + MOTTLE_AMPLITUDE * _value_noise(x_mm / MOTTLE_SCALE_MM, y_mm / MOTTLE_SCALE_MM, rng)
    warp = _value_noise(x_mm / 1.5, y_mm / 1.5, rng)
    for angle_deg in (50.0, -40.0):
        a = math.radians(angle_deg)
        phase = (x_mm * math.cos(a) + y_mm * math.sin(a)) / FURROW_SPACING_MM + 1.5 * warp
        tex -= FURROW_AMPLITUDE * np.abs(np.sin(math.pi * phase)) ** 12
    np.multiply(base.image, tex[:, :, None].astype(np.float32), out=base.image)
    n_pores = round(PORES_PER_CM2 * (w * mm) * (h * mm) / 100.0)
    pores = rng.uniform(0.0, 1.0, (n_pores, 2)) * np.array([w, h])
    splat_dots(
        base.image,
        pores,
        PORE_RADIUS_MM / mm,
        skin_rgb * (1.0 - PORE_DARKENING),
        1.0,
        blur_sigma_px=PORE_BLUR_MM / mm,
        mode="multiply",
        multiply_reference_rgb=skin_rgb,
    )


def _value_noise(x: FloatArray, y: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Smooth 2-D value noise in -0.5..0.5 on the unit lattice (a random lattice per call)."""
    x0, y0 = np.floor(x), np.floor(y)
    ix = (x0 - x0.min()).astype(np.int64)
    iy = (y0 - y0.min()).astype(np.int64)
    lattice = rng.uniform(-0.5, 0.5, (int(iy.max()) + 2, int(ix.max()) + 2))
    fx, fy = x - x0, y - y0
    ux, uy = fx * fx * (3 - 2 * fx), fy * fy * (3 - 2 * fy)
    top = lattice[iy, ix] * (1 - ux) + lattice[iy, ix + 1] * ux
    bottom = lattice[iy + 1, ix] * (1 - ux) + lattice[iy + 1, ix + 1] * ux
    return np.asarray(top * (1 - uy) + bottom * uy)


def closeup_base(
    renderer: SceneRenderer, where: Where | str, camera: Camera | None = None
) -> CameraBase:
    """The close-up without dots (cached per place; ``camera`` overrides the place's)."""
    key = (f"closeup-{where}", 0)
    if key not in renderer._bases:
        cam = camera or closeup_camera(renderer, where)
        bare = renderer.head.trace(cam, renderer.skin_rgb, renderer.shading)
        base = CameraBase(camera=cam, image=bare.image, depth_min_mm=bare.depth_mm)
        add_skin_texture(base, renderer.skin_rgb)
        renderer.draw_stubble(base)
        renderer._bases[key] = base
    return renderer._bases[key]


def closeup_linear(
    renderer: SceneRenderer, where: Where | str, state: State | str
) -> npt.NDArray[np.float32]:
    """Linear-RGB close-up ``(400, 400, 3)`` of ``where`` in ``state`` (no labels)."""
    st = check_state(state)
    return renderer.draw_dots(closeup_base(renderer, where), st)


def draw_scale_bar(image: Image.Image, px_per_mm: float, length_mm: float = SCALE_BAR_MM) -> None:
    """A ``length_mm`` bar with its label in the bottom-left corner (in place)."""
    draw = ImageDraw.Draw(image)
    length = round(length_mm * px_per_mm)
    side = min(image.size)
    margin = max(8, side // 25)
    thick = max(3, side // 100)
    x0, y1 = margin, image.size[1] - margin
    draw.rectangle((x0 - 6, y1 - thick - 26, x0 + length + 6, y1 + 6), fill=(245, 245, 242))
    draw.rectangle((x0, y1 - thick, x0 + length, y1), fill=(30, 30, 30))
    from smpstudio.render.shading import _font

    draw.text((x0, y1 - thick - 22), f"{length_mm:g} mm", fill=(30, 30, 30), font=_font(16))


def render_closeup(renderer: SceneRenderer, where: Where | str, state: State | str) -> bytes:
    """PNG bytes of a labelled close-up with its scale bar."""
    image = Image.fromarray(linear_to_srgb8(closeup_linear(renderer, where, state)))
    draw_label(
        image,
        [f"{where} - {state}", f"{CLOSEUP_PX_PER_MM:g} px/mm, {LABEL_NOTE}"],
        size_px=15,
        box=True,
    )
    draw_scale_bar(image, CLOSEUP_PX_PER_MM)
    return png_bytes(image)
