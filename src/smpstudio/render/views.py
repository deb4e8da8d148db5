"""The five views of the head in four states, and everything a camera shares across states.

For one camera the bare head (ray hits, normals, skin shading, depth buffer) and the stubble
are drawn once; each state then copies that picture and adds its dots. Dots are discs on the
skin: the centre is projected, the radius scales with the distance and with
``sqrt(|cos|)`` of the angle between the skin normal and the line of sight (the disc's
projected area is ``pi r^2 |cos|``), and dots facing away or hidden behind another part of the
body (depth test against the depth buffer) are left out. Dots and hairs are composited with
the rasteriser's ``"multiply"`` rule against the table's skin colour, so a dot darkens lit and
shaded skin by the same ratio as the appearance table predicts.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image
from scipy import ndimage

from smpstudio.optics.colour import hex_to_linear_srgb
from smpstudio.render._stubble_kernels import gaussian_path, splat_gaussian_multiply
from smpstudio.render.camera import Camera, framed_view_camera
from smpstudio.render.halo import apply_darkening, halo_darkening
from smpstudio.render.headmodel import HeadModel
from smpstudio.render.raster import coverage_image, linear_to_srgb8, splat_dots
from smpstudio.render.scene import (
    STATES,
    VIEWS,
    RenderScene,
    State,
    View,
    check_state,
    check_view,
)
from smpstudio.render.shading import LABEL_NOTE, ShadingParams, draw_label, png_bytes
from smpstudio.render.states import (
    ERYTHEMA_BLUR_MM,
    ERYTHEMA_RADIUS_SCALE,
    ERYTHEMA_TINT,
    DotLook,
    dot_look,
    skin_linear_rgb,
)
from smpstudio.render.stubble import Stubble, grow_stubble, segment_discs

FloatArray = npt.NDArray[np.float64]

HAIR_OPACITY = 0.95
SHAFT_OPACITY = 0.45
SHAFT_BLUR_MM = 0.06  # the shaft lies ~0.1 mm under the surface: a little blurred
SHAFT_WIDTH_SCALE = 1.5
# Scar tissue reads paler than the scalp around it: hypopigmented (fewer melanocytes) and
# smoother, often a little pink when young (Vancouver Scar Scale pigmentation and vascularity
# items; Sullivan et al. 1990, J Burn Care Rehabil 11:256); a rendering choice of tint.
SCAR_TINT = (1.16, 1.10, 1.09)
SCAR_EDGE_MM = 0.15
VIEW_THREADS = 2  # views rendered at once (the machine has 2 cores)
MIN_BLUR_PX = 0.3  # a finer blur of a hair's shaft moves its ink by well under a pixel: skip it
DEPTH_TOLERANCE_MM = 2.0
MIN_FACING_COS = 0.02
#: The views frame the head from this far below the glabella (brow) up: the scalp and the
#: hairline fill the picture and the faded brow closes it at the bottom.
FRAME_BELOW_BROW_MM = 25.0


@dataclass(frozen=True, kw_only=True)
class Projected:
    """Points seen by one camera: pixel centres, depth, scale and which are visible."""

    xy_px: FloatArray
    depth_mm: FloatArray
    px_per_mm: FloatArray
    facing_cos: FloatArray
    visible: npt.NDArray[np.bool_]


@dataclass(frozen=True, kw_only=True)
class CameraBase:
    """One camera's picture without dots, and its depth buffer (3 x 3 minimum)."""

    camera: Camera
    image: npt.NDArray[np.float32]
    depth_min_mm: npt.NDArray[np.float32]


class SceneRenderer:
    """Renders one scene from any camera; caches what the states of a view share.

    Parameters
    ----------
    scene
        What to draw.
    shading
        Lights and finish (default :class:`ShadingParams`).
    """

    def __init__(self, scene: RenderScene, shading: ShadingParams | None = None) -> None:
        self.scene = scene
        self.shading = shading or ShadingParams()
        self.head = HeadModel(scene.chart)
        self.skin_rgb = skin_linear_rgb(int(scene.skin_fitzpatrick))
        self.hair_rgb = hex_to_linear_srgb(scene.hair_colour_hex, field="hair_colour_hex")
        self._stubble: Stubble | None = None
        self._dot_normals: FloatArray | None = None
        self._looks: dict[str, DotLook] = {}
        self._bases: dict[tuple[str, int], CameraBase] = {}

    # ---------------------------------------------------------------- shared per scene

    @property
    def stubble(self) -> Stubble:
        """The scene's hairs (grown once)."""
        if self._stubble is None:
            s = self.scene
            edges = [s.scalp_outline_uv_mm, *s.bald_outline_uv_mm]
            self._stubble = grow_stubble(
                s.chart, self.head, s.follicles_uv_mm, s.hairs_per_follicle, edges
            )
        return self._stubble

    @property
    def dot_normals(self) -> FloatArray:
        """Skin normals ``(N, 3)`` at the dots."""
        if self._dot_normals is None:
            self._dot_normals = self.head.normals(self.scene.dots.xyz_mm)
        return self._dot_normals

    def look(self, state: State | str) -> DotLook:
        """The dots of ``state`` (computed once per state)."""
        st = check_state(state)
        if st not in self._looks:
            self._looks[st] = dot_look(self.scene, st)
        return self._looks[st]

    @property
    def frame_points_mm(self) -> FloatArray:
        """What the views frame ``(K, 3)``: the head from ``FRAME_BELOW_BROW_MM`` below the
        glabella up, and the outline of the hair-bearing scalp (down to the nape)."""
        z_low = float(self.head.glabella_mm[2]) - FRAME_BELOW_BROW_MM
        pts = [self.head.cap_points(z_low)]
        outline = self.scene.scalp_outline_uv_mm
        if outline.shape[0]:
            pts.append(self.scene.chart.chart_to_surface(outline))
        return np.vstack(pts)

    def view_camera(self, view: View | str, size_px: int) -> Camera:
        """The camera of a standard view, framing :attr:`frame_points_mm` from conversation
        distance (camera.framed_view_camera)."""
        v = check_view(view)
        return framed_view_camera(v, self.frame_points_mm, size_px=size_px)

    # ---------------------------------------------------------------- per camera

    def project(
        self, camera: Camera, base: CameraBase, points_mm: FloatArray, normals: FloatArray
    ) -> Projected:
        """Project surface points with their normals; depth test against ``base``."""
        xy, depth = camera.project(points_mm)
        cos = -np.einsum("ij,ij->i", normals, camera.view_dirs(points_mm))
        ppm = camera.px_per_mm(depth)
        h, w = base.depth_min_mm.shape
        col = np.floor(xy[:, 0]).astype(np.int64)
        row = np.floor(xy[:, 1]).astype(np.int64)
        inside = (col >= 0) & (col < w) & (row >= 0) & (row < h) & (depth > 0.0)
        zbuf = np.full(depth.shape, -np.inf)
        zbuf[inside] = base.depth_min_mm[row[inside], col[inside]]
        tol = DEPTH_TOLERANCE_MM + 3.0 / np.maximum(ppm, 1e-9)
        visible = inside & (cos > MIN_FACING_COS) & (depth <= zbuf + tol)
        return Projected(xy_px=xy, depth_mm=depth, px_per_mm=ppm, facing_cos=cos, visible=visible)

    def camera_base(self, camera: Camera, key: tuple[str, int] | None = None) -> CameraBase:
        """The bare head and the stubble seen by ``camera`` (cached under ``key``)."""
        if key is not None and key in self._bases:
            return self._bases[key]
        # Conversation-distance views trace the smooth bare head at half size (see trace);
        # close-ups (orthographic, 20 px/mm) keep every pixel.
        bare = self.head.trace(
            camera, self.skin_rgb, self.shading,
            half_resolution=camera.kind == "perspective" and camera.width_px >= 512,
        )  # fmt: skip
        base = CameraBase(
            camera=camera,
            image=bare.image,
            depth_min_mm=ndimage.minimum_filter(bare.depth_mm, size=3, mode="nearest"),
        )
        self.draw_scars(base)
        self.draw_stubble(base)
        if key is not None:
            self._bases[key] = base
        return base

    def draw_scars(self, base: CameraBase) -> None:
        """Lighten the skin over scar tissue: paler and smoother than the scalp around it
        (hypopigmented, with fewer melanocytes and no follicles)."""
        scene = self.scene
        if scene.scar_discs_uv_mm.shape[0] == 0:
            return
        xyz = scene.chart.chart_to_surface(scene.scar_discs_uv_mm)
        seen = self.project(base.camera, base, xyz, self.head.normals(xyz))
        k = np.flatnonzero(seen.visible)
        if k.size == 0:
            return
        squash = np.sqrt(np.clip(seen.facing_cos[k], 0.0, 1.0))
        h, w = base.image.shape[:2]
        cover = coverage_image(
            h, w, seen.xy_px[k], scene.scar_disc_radius_mm[k] * seen.px_per_mm[k] * squash,
            blur_sigma_px=SCAR_EDGE_MM * seen.px_per_mm[k],
        )  # fmt: skip
        tint = 1.0 + (np.asarray(SCAR_TINT, np.float32) - 1.0) * np.minimum(cover, 1.0)[..., None]
        np.multiply(base.image, tint.astype(np.float32), out=base.image)

    def draw_stubble(self, base: CameraBase) -> None:
        """Add the hairs (stubs and the shafts under the skin) to ``base.image``."""
        hairs = self.stubble
        if hairs.count == 0:
            return
        cam = base.camera
        seen = self.project(cam, base, hairs.root_mm, hairs.normal)
        k = np.flatnonzero(seen.visible)
        if k.size == 0:
            return
        root = seen.xy_px[k]
        ppm = seen.px_per_mm[k]
        shaft_xy, _ = cam.project(hairs.shaft_mm[k])
        tip_xy, _ = cam.project(hairs.tip_mm[k])
        width = hairs.width_mm[k] * ppm
        shaft_rgb = self.skin_rgb * np.sqrt(self.hair_rgb / self.skin_rgb)
        strokes = segment_discs(shaft_xy, root, SHAFT_WIDTH_SCALE * width)
        blur = SHAFT_BLUR_MM * ppm
        blur = np.where(blur < MIN_BLUR_PX, 0.0, blur)[strokes.owner]
        # Small blurred discs: the equal-moment Gaussian (_stubble_kernels), ~20x faster than
        # the exact blurred disc; the rest exactly. "multiply" commutes, so the split is free.
        fast = gaussian_path(strokes.radius_px, blur)
        splat_gaussian_multiply(
            base.image,
            np.ascontiguousarray(strokes.centers_px[fast]),
            np.ascontiguousarray(strokes.radius_px[fast]),
            np.ascontiguousarray(blur[fast]),
            np.ascontiguousarray(shaft_rgb / self.skin_rgb, dtype=np.float64),
            SHAFT_OPACITY,
        )
        slow = ~fast
        if slow.any():
            splat_dots(
                base.image,
                strokes.centers_px[slow],
                strokes.radius_px[slow],
                shaft_rgb,
                SHAFT_OPACITY,
                blur_sigma_px=blur[slow],
                mode="multiply",
                multiply_reference_rgb=self.skin_rgb,
            )
        strokes = segment_discs(root, tip_xy, width)
        hair_rgb = self.hair_rgb[None, :] * hairs.shade[k][strokes.owner, None]
        splat_dots(
            base.image,
            strokes.centers_px,
            strokes.radius_px,
            hair_rgb,
            HAIR_OPACITY,
            mode="multiply",
            multiply_reference_rgb=self.skin_rgb,
        )

    def draw_dots(self, base: CameraBase, state: State | str) -> npt.NDArray[np.float32]:
        """``base.image`` with the dots of ``state`` added (a new array)."""
        image = base.image.copy()
        look = self.look(state)
        if look.index.size == 0:
            return image
        pts = self.scene.dots.xyz_mm[look.index]
        seen = self.project(base.camera, base, pts, self.dot_normals[look.index])
        k = np.flatnonzero(seen.visible)
        if k.size == 0:
            return image
        ppm = seen.px_per_mm[k]
        squash = np.sqrt(np.clip(seen.facing_cos[k], 0.0, 1.0))
        radius = look.radius_mm[k] * ppm * squash
        red = k[look.erythema[k]]
        if red.size:
            rppm = seen.px_per_mm[red]
            splat_dots(
                image,
                seen.xy_px[red],
                ERYTHEMA_RADIUS_SCALE
                * look.radius_mm[red]
                * rppm
                * np.sqrt(np.clip(seen.facing_cos[red], 0.0, 1.0)),
                self.skin_rgb * np.asarray(ERYTHEMA_TINT),
                1.0,
                blur_sigma_px=ERYTHEMA_BLUR_MM * rppm,
                mode="multiply",
                multiply_reference_rgb=self.skin_rgb,
            )
        if look.halo_area_mm2.size:
            dark = halo_darkening(
                image.shape[:2],
                seen.xy_px[k],
                look.halo_area_mm2[k] * ppm**2 * squash**2,
                look.halo_sigma_mm[k] * ppm,
                1.0 - look.rgb[k] / look.skin_rgb,
            )
            apply_darkening(image, dark)
        splat_dots(
            image,
            seen.xy_px[k],
            radius,
            look.rgb[k],
            1.0,
            # An edge blur below MIN_BLUR_PX is invisible at pixel scale: draw the exact disc.
            blur_sigma_px=np.where(
                look.blur_sigma_mm[k] * ppm < MIN_BLUR_PX, 0.0, look.blur_sigma_mm[k] * ppm
            ),
            mode="multiply",
            multiply_reference_rgb=look.skin_rgb,
        )
        return image

    def view_linear(
        self, view: View | str, state: State | str, size_px: int
    ) -> npt.NDArray[np.float32]:
        """Linear-RGB picture ``(size, size, 3)`` of a standard view in a state (no label)."""
        v, st = check_view(view), check_state(state)
        base = self.camera_base(self.view_camera(v, size_px), key=(v, int(size_px)))
        return self.draw_dots(base, st)

    def view_png(self, view: View | str, state: State | str, size_px: int) -> bytes:
        """PNG bytes of a standard view in a state, labelled in the top-left corner."""
        image = Image.fromarray(linear_to_srgb8(self.view_linear(view, state, size_px)))
        draw_label(image, [f"{view} - {state}", LABEL_NOTE])
        return png_bytes(image)


def render_view(scene: RenderScene, view: View | str, state: State | str, size_px: int) -> bytes:
    """PNG bytes of one view (``top front left right back``) in one state."""
    check_view(view)
    check_state(state)
    return SceneRenderer(scene).view_png(view, state, size_px)


def render_views(renderer: SceneRenderer, size_px: int) -> dict[str, bytes]:
    """``views/{VIEW}-{STATE}.png`` for the five views x four states."""
    for state in STATES:
        renderer.look(state)  # fill the shared cache before the threads start

    def one_view(view: str) -> dict[str, bytes]:
        pngs = {f"views/{view}-{s}.png": renderer.view_png(view, s, size_px) for s in STATES}
        renderer._bases.pop((view, int(size_px)), None)  # free the view's buffers
        return pngs

    # Views are independent; the kernels release the GIL, so two threads keep both cores busy
    # through the single-threaded stages (stubble, dots, halo, PNG). Output order is fixed.
    out: dict[str, bytes] = {}
    with ThreadPoolExecutor(max_workers=VIEW_THREADS) as pool:
        for pngs in pool.map(one_view, VIEWS):
            out.update(pngs)
    return out
