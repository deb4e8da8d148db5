"""The renderer's scene of a treatment plan: the dots, outlines and scars the views draw.

The renderer itself never reads the case or the plan; this module is the one place that fills a
:class:`~smpstudio.render.scene.RenderScene` from a
:class:`~smpstudio.planning.treatment_plan.TreatmentPlan`.
"""

from __future__ import annotations

import numpy as np
import shapely

from smpstudio.case.model import LineScar
from smpstudio.planning.treatment_plan import TreatmentPlan
from smpstudio.render.scene import DotColumns, RenderScene


def scene_for_plan(plan: TreatmentPlan) -> RenderScene:
    """The renderer's scene for a treatment plan."""
    d = plan.design
    dots = DotColumns(
        uv_mm=d.dots.uv_mm, xyz_mm=d.dots.xyz_mm, diameter_mm=d.dots.diameter_mm,
        depth_mm=d.dots.depth_mm, dilution_frac=d.dots.dilution_frac, session=d.dots.session,
        on_scar=d.dots.on_scar,
    )  # fmt: skip
    bald = plan.assessment.loss.bald
    outlines = [np.asarray(g.exterior.coords) for g in getattr(bald, "geoms", [bald])
                if isinstance(g, shapely.Polygon) and not g.is_empty]  # fmt: skip
    scalp = plan.assessment.regions.scalp
    scalp_outline = np.asarray(
        (
            scalp if isinstance(scalp, shapely.Polygon) else max(scalp.geoms, key=lambda g: g.area)
        ).exterior.coords
    )
    scar_uv, scar_r = _scar_discs(plan)
    return RenderScene(
        scar_discs_uv_mm=scar_uv, scar_disc_radius_mm=scar_r,
        chart=plan.assessment.head.chart, skin_fitzpatrick=plan.case.skin.fitzpatrick,
        hair_colour_hex=plan.case.hair.colour_hex, follicles_uv_mm=d.follicles_uv_mm, dots=dots,
        faded_remaining_frac=float(plan.course.fading_summary()["pigment_remaining_frac"]),
        bald_outline_uv_mm=outlines, hairline_uv_mm=d.hairline.points_mm,
        scalp_outline_uv_mm=scalp_outline,
    )  # fmt: skip


def _scar_discs(plan: TreatmentPlan) -> tuple[np.ndarray, np.ndarray]:
    """Scar tissue as discs: each line scar sampled along its centreline (spacing 0.4 x its
    half-width), one disc per FUE punch scar."""
    centres, radii = [], []
    for scar in plan.case.loss.scars:
        if isinstance(scar, LineScar):
            line = shapely.LineString(scar.points_mm)
            half = 0.5 * scar.width_mm
            steps = np.arange(0.0, line.length + 1e-9, 0.4 * half)
            pts = shapely.get_coordinates(shapely.line_interpolate_point(line, steps))
            centres.append(pts)
            radii.append(np.full(pts.shape[0], half))
    loss = plan.assessment.loss
    if loss.fue_centres_mm.shape[0]:
        centres.append(loss.fue_centres_mm)
        radii.append(np.full(loss.fue_centres_mm.shape[0], 0.5 * loss.fue_diameter_mm))
    if not centres:
        return np.zeros((0, 2)), np.zeros(0)
    return np.concatenate(centres), np.concatenate(radii)
