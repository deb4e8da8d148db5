"""The orthographic top view of the scalp chart: the plan as a flat map, at true dot size.

The chart (docs/interface.md section 2) is drawn like a map with the nose at the top and the
client's right on the right: image x is ``u_mm``, image y is ``-v_mm``. Inside the scalp
outline the skin is flat and evenly lit (the table's colour); stubble and dots are drawn at
their chart positions with their true sizes in chart millimetres (the chart is an arc-length
map, so sizes are true along the radii and within a few percent across them on the scalp).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import shapely
from PIL import Image, ImageDraw

from smpstudio.render.camera import _check_size
from smpstudio.render.raster import linear_to_srgb8, splat_dots
from smpstudio.render.scene import State, check_state
from smpstudio.render.shading import LABEL_NOTE, draw_label, png_bytes
from smpstudio.render.states import ERYTHEMA_BLUR_MM, ERYTHEMA_RADIUS_SCALE, ERYTHEMA_TINT
from smpstudio.render.stubble import segment_discs
from smpstudio.render.views import HAIR_OPACITY, SceneRenderer

FloatArray = npt.NDArray[np.float64]
CHART_MARGIN_MM = 15.0
CHART_BACKGROUND_LINEAR = 0.58


def chart_frame(renderer: SceneRenderer, size_px: int) -> tuple[float, float, float]:
    """``(u_centre, v_centre, mm_per_px)`` framing the scalp outline (or 200 mm) with margin."""
    scene = renderer.scene
    pts = np.vstack(
        [
            scene.scalp_outline_uv_mm,
            *scene.bald_outline_uv_mm,
            scene.hairline_uv_mm,
            np.zeros((1, 2)),
        ]
    )
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = float(max(hi[0] - lo[0], hi[1] - lo[1], 200.0)) + 2 * CHART_MARGIN_MM
    centre = 0.5 * (lo + hi)
    return float(centre[0]), float(centre[1]), span / size_px


def chart_linear(
    renderer: SceneRenderer, state: State | str, size_px: int
) -> npt.NDArray[np.float32]:
    """Linear-RGB chart map ``(size, size, 3)`` in ``state`` (no labels)."""
    st = check_state(state)
    size = _check_size(size_px)
    scene = renderer.scene
    uc, vc, mm = chart_frame(renderer, size)

    def to_px(uv: FloatArray) -> FloatArray:
        return np.stack([0.5 * size + (uv[:, 0] - uc) / mm, 0.5 * size - (uv[:, 1] - vc) / mm], -1)

    image = np.full((size, size, 3), CHART_BACKGROUND_LINEAR, dtype=np.float32)
    skin = renderer.skin_rgb
    if scene.scalp_outline_uv_mm.shape[0] >= 3:
        ys, xs = np.mgrid[0:size, 0:size]
        u = uc + (xs.ravel() + 0.5 - 0.5 * size) * mm
        v = vc - (ys.ravel() + 0.5 - 0.5 * size) * mm
        region = shapely.Polygon(scene.scalp_outline_uv_mm).buffer(CHART_MARGIN_MM * 0.6)
        inside = shapely.contains_xy(region, u, v).reshape(size, size)
        image[inside] = skin.astype(np.float32)
    else:
        image[:] = skin.astype(np.float32)
    hairs = renderer.stubble
    if hairs.count:
        width = hairs.width_mm / mm
        strokes = segment_discs(to_px(hairs.root_uv_mm), to_px(hairs.tip_uv_mm), width)
        rgb = renderer.hair_rgb[None, :] * hairs.shade[strokes.owner, None]
        splat_dots(
            image,
            strokes.centers_px,
            strokes.radius_px,
            rgb,
            HAIR_OPACITY,
            mode="multiply",
            multiply_reference_rgb=skin,
        )
    look = renderer.look(st)
    if look.index.size:
        xy = to_px(scene.dots.uv_mm[look.index])
        red = look.erythema
        if red.any():
            splat_dots(
                image,
                xy[red],
                ERYTHEMA_RADIUS_SCALE * look.radius_mm[red] / mm,
                skin * np.asarray(ERYTHEMA_TINT),
                1.0,
                blur_sigma_px=ERYTHEMA_BLUR_MM / mm,
                mode="multiply",
                multiply_reference_rgb=skin,
            )
        splat_dots(
            image,
            xy,
            look.radius_mm / mm,
            look.rgb,
            1.0,
            blur_sigma_px=look.blur_sigma_mm / mm,
            mode="multiply",
            multiply_reference_rgb=look.skin_rgb,
        )
    return image


def render_chart(renderer: SceneRenderer, state: State | str, size_px: int) -> bytes:
    """PNG bytes of the chart map in ``state``, with the scalp outline and a label."""
    size = _check_size(size_px)
    image = Image.fromarray(linear_to_srgb8(chart_linear(renderer, state, size)))
    scene = renderer.scene
    uc, vc, mm = chart_frame(renderer, size)
    draw = ImageDraw.Draw(image)
    outline = scene.scalp_outline_uv_mm
    if outline.shape[0] >= 2:
        px = [(0.5 * size + (u - uc) / mm, 0.5 * size - (v - vc) / mm) for u, v in outline]
        draw.line([*px, px[0]], fill=(120, 120, 120), width=max(1, size // 512))
    draw_label(image, [f"scalp chart - {state}", LABEL_NOTE])
    return png_bytes(image)
