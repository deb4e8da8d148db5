"""The head as the renderer sees it: the fitted surface plus a neck, traced by a camera.

The fitted surface of :mod:`smpstudio.head.surface` is a closed ovoid (the cranial vault and,
below the scalp, a smooth continuation where the face and jaw would be). A neck, an elliptic
cylinder under the head, makes the side, front and back views read as a head on shoulders
without inventing a face. Neck size from ANSUR II (Gordon et al. 2014, NATICK/TR-15/007): neck
circumference 398 mm (men) for head breadth 154 mm and length 200 mm, i.e. an ellipse of
half-width 0.75 x the head's half-breadth and half-depth 0.62 x its half-length
(perimeter 2 pi sqrt((58^2 + 63^2) / 2) = 380 mm at the collar, a little above the
measurement's level). The neck's axis stands 6 mm behind the head's centre line, under the
ear canals (the cervical spine lies behind the tragion; Farkas 1994).

Ears, ellipsoids 62 x 34 x 14 mm (ear length and breadth of adult men, Farkas 1994,
"Anthropometry of the Head and Face": 62-63 and 34-35 mm), centred just behind and above the
tragion, their long axis inclined 17 degrees backward and their back edge turned out 25
degrees (ear inclination and auriculocephalic angle, same source), are enough for the front,
back and side views to read as a head.

The model has no face, so the views are framed on the scalp (from a little below the brow to
above the vertex) and below the brow the front of the head fades into the background: from
the glabella's height down over ``ShadingParams.face_fade_mm``, in front of the ears
(``FACE_FADE_Y_FRAC``: a ramp from 15 % to 40 % of the way from the ear canals to the glabella,
in front of the sideburns; the ears and the back of the head stay). The glabella stands at
23 % of the vertex height above the ear canals, on the front of the midline (head.fit, after
Farkas 1994).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from smpstudio.head.chart import ScalpChart
from smpstudio.head.fit import GLABELLA_Z_FRAC_OF_HEIGHT, ray_hits
from smpstudio.head.surface import P_YC, P_ZC, derivs_kernel
from smpstudio.render import _shade_kernels as sk
from smpstudio.render import _trace_kernels as tk
from smpstudio.render.camera import Camera
from smpstudio.render.shading import ShadingParams

FloatArray = npt.NDArray[np.float64]

NECK_HALF_WIDTH_PER_HALF_BREADTH = 0.75
NECK_HALF_DEPTH_PER_HALF_LENGTH = 0.62
NECK_BEHIND_CENTRE_MM = 6.0
EAR_SEMI_AXES_MM = (7.0, 17.0, 31.0)  # thickness, breadth, length (halves)
EAR_CENTRE_YZ_MM = (-12.0, 8.0)  # behind and above the tragion (the frame's origin)
EAR_OUT_MM = 2.0  # centre outside the head surface
EAR_INCLINATION_DEG = 17.0
EAR_FLARE_DEG = 25.0
FACE_FADE_Y_FRAC = (0.15, 0.4)


@dataclass(frozen=True, kw_only=True)
class BaseRender:
    """One camera's view of the bare head (no hair, no dots).

    Attributes
    ----------
    image : (H, W, 3) float32 linear RGB, shaded skin and background.
    depth_mm : (H, W) float32 depth along the camera's forward axis, inf off the body.
    kind : (H, W) int8, 0 background, 1 head, 2 neck, 3 ear.
    """

    image: npt.NDArray[np.float32]
    depth_mm: npt.NDArray[np.float32]
    kind: npt.NDArray[np.int8]


class HeadModel:
    """Ray-tracing tables of one fitted head (built once per scene, reused by every view).

    Parameters
    ----------
    chart
        The head's scalp chart; its ``params`` define the surface.
    """

    def __init__(self, chart: ScalpChart) -> None:
        self.prm = np.ascontiguousarray(chart.params, dtype=np.float64)
        self.table = tk.azimuth_table(self.prm)
        theta, phi = np.meshgrid(np.linspace(0, math.pi, 121), np.linspace(-math.pi, math.pi, 241))
        r = derivs_kernel(theta.ravel(), phi.ravel(), self.prm)[:, 0]
        st = np.sin(theta.ravel())
        pts = np.stack(
            [
                r * st * np.sin(phi.ravel()),
                self.prm[P_YC] + r * st * np.cos(phi.ravel()),
                self.prm[P_ZC] + r * np.cos(theta.ravel()),
            ],
            axis=-1,
        )
        self.surface_samples_mm = pts
        self.r_bound_mm = float(r.max()) * 1.02 + 1.0
        self.bounds_min_mm = pts.min(axis=0)
        self.bounds_max_mm = pts.max(axis=0)
        half_breadth = 0.5 * (self.bounds_max_mm[0] - self.bounds_min_mm[0])
        half_length = 0.5 * (self.bounds_max_mm[1] - self.bounds_min_mm[1])
        neck = [
            self.prm[P_YC] - NECK_BEHIND_CENTRE_MM,
            NECK_HALF_WIDTH_PER_HALF_BREADTH * half_breadth,
            NECK_HALF_DEPTH_PER_HALF_LENGTH * half_length,
            self.prm[P_ZC],
        ]
        self.body = np.concatenate([neck, self._ear(-1.0), self._ear(1.0)])

    def _ear(self, side: float) -> FloatArray:
        """Ear ellipsoid on the client's left (-1) or right (+1): centre, axes, semi-axes."""
        y, z = EAR_CENTRE_YZ_MM
        surface = ray_hits(self.prm, np.array([0.0, y, z]), np.array([[side, 0.0, 0.0]]))[0]
        centre = np.array([surface[0] + side * EAR_OUT_MM, y, z])
        inc = math.radians(EAR_INCLINATION_DEG)
        flare = math.radians(EAR_FLARE_DEG)
        vertical = np.array([0.0, -math.sin(inc), math.cos(inc)])
        forward = np.array([0.0, math.cos(inc), math.sin(inc)])
        lateral = np.array([side, 0.0, 0.0])
        # Turn the back edge out: rotate forward/lateral about the vertical axis.
        fwd = math.cos(flare) * forward - math.sin(flare) * lateral
        lat = math.cos(flare) * lateral + math.sin(flare) * forward
        axes = np.stack([lat, fwd, vertical])
        return np.concatenate([centre, axes.ravel(), EAR_SEMI_AXES_MM])

    @property
    def centre_mm(self) -> FloatArray:
        """Centre of the head's bounding box (mm)."""
        return np.asarray(0.5 * (self.bounds_min_mm + self.bounds_max_mm))

    @property
    def vertex_mm(self) -> FloatArray:
        """The top of the head (mm)."""
        return np.array([0.0, self.prm[P_YC], self.bounds_max_mm[2]])

    @property
    def glabella_mm(self) -> FloatArray:
        """The glabella (brow), ``(3,)`` mm: on the front of the midline at 23 % of the vertex
        height (head.fit's proportion)."""
        z = GLABELLA_Z_FRAC_OF_HEIGHT * float(self.bounds_max_mm[2])
        origin = np.array([0.0, self.prm[P_YC], z])
        return np.asarray(ray_hits(self.prm, origin, np.array([[0.0, 1.0, 0.0]]))[0])

    def cap_points(self, z_min_mm: float) -> FloatArray:
        """Points ``(K, 3)`` sampled over the head's surface at heights ``>= z_min_mm`` (mm)."""
        pts = self.surface_samples_mm
        return np.asarray(pts[pts[:, 2] >= z_min_mm])

    def shading_vector(
        self, camera: Camera, skin_linear_rgb: FloatArray, shading: ShadingParams | None = None
    ) -> FloatArray:
        """The kernels' shading vector for this head: lights, finish and the face fade."""
        params = shading or ShadingParams()
        sh = params.vector(np.asarray(skin_linear_rgb, float), camera)
        if params.face_fade_mm > 0.0:
            glabella = self.glabella_mm
            y_back, y_front = (f * float(glabella[1]) for f in FACE_FADE_Y_FRAC)
            sh[sk.S_FADE_Z_TOP] = glabella[2]
            sh[sk.S_FADE_Z_BOTTOM] = glabella[2] - params.face_fade_mm
            sh[sk.S_FADE_Y_BACK] = y_back
            sh[sk.S_FADE_Y_FRONT] = y_front
        return sh

    def trace(
        self,
        camera: Camera,
        skin_linear_rgb: FloatArray,
        shading: ShadingParams | None = None,
        *,
        half_resolution: bool = False,
    ) -> BaseRender:
        """Shade the bare head seen by ``camera`` (skin of colour ``skin_linear_rgb``).

        With ``half_resolution`` (perspective views of even size) the smooth bare head is
        traced at half the size and upsampled: bilinear for the shading, nearest for depth and
        body kind. The stubble and dots drawn on top stay at full resolution.
        """
        if half_resolution and camera.width_px % 2 == 0 and camera.height_px % 2 == 0:
            half = dataclasses.replace(
                camera,
                width_px=camera.width_px // 2,
                height_px=camera.height_px // 2,
                focal_px=camera.focal_px / 2.0,
                mm_per_px=camera.mm_per_px * 2.0,
            )
            low = self.trace(half, skin_linear_rgb, shading)
            image = np.stack(
                [
                    ndimage.zoom(low.image[..., ch], 2, order=1, mode="nearest", grid_mode=True)
                    for ch in range(3)
                ],
                axis=-1,
            ).astype(np.float32)
            depth = np.repeat(np.repeat(low.depth_mm, 2, axis=0), 2, axis=1)
            kind = np.repeat(np.repeat(low.kind, 2, axis=0), 2, axis=1)
            return BaseRender(image=image, depth_mm=depth, kind=kind)
        sh = self.shading_vector(camera, skin_linear_rgb, shading)
        h, w = camera.height_px, camera.width_px
        image = np.empty((h, w, 3), dtype=np.float32)
        depth = np.empty((h, w), dtype=np.float32)
        kind = np.empty((h, w), dtype=np.int8)
        tk.render_base(
            camera.params(),
            self.prm,
            self.table,
            self.r_bound_mm,
            self.body,
            sh,
            image,
            depth,
            kind,
        )
        return BaseRender(image=image, depth_mm=depth, kind=kind)

    def normals(self, points_mm: FloatArray) -> FloatArray:
        """Outward unit normals ``(N, 3)`` of the head surface at points ``(N, 3)`` on it."""
        pts = np.ascontiguousarray(np.asarray(points_mm, dtype=np.float64).reshape(-1, 3))
        return np.asarray(tk.normals_at(pts, self.prm, self.table))

    def outside_mm(self, points_mm: FloatArray) -> FloatArray:
        """``|X - C| - R``: > 0 outside the head, mm (shape ``(N,)``)."""
        pts = np.asarray(points_mm, dtype=np.float64).reshape(-1, 3)
        return np.array([tk.outside(p[0], p[1], p[2], self.prm, self.table) for p in pts])
