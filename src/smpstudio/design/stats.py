"""The density map's cells for the statistics of a dot field: surface areas, interior cells.

Density is counted from the dots and measured on the curved surface (cells weighted by the
chart's area element). The regularity of the dots (Clark-Evans, in
:func:`smpstudio.design.spatial_stats.clark_evans_ratio_at`) counts only "interior" dots
(planned density steady within 3 mm and not near the edge), which removes the edge bias
without Donnelly's correction.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import ndimage

from smpstudio.design.density import DensityMap

FloatArray = npt.NDArray[np.float64]
INTERIOR_RADIUS_MM = 3.0
INTERIOR_STEADY_FRAC = 0.85


def interior_cells(density_map: DensityMap) -> npt.NDArray[np.bool_]:
    """Cells where the planned density is steady within ``INTERIOR_RADIUS_MM``."""
    d = density_map.density_per_mm2
    r = max(1, round(INTERIOR_RADIUS_MM / density_map.step_mm))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    footprint = (yy**2 + xx**2) <= r * r
    local_min = ndimage.minimum_filter(d, footprint=footprint, mode="constant", cval=0.0)
    return (d > 0) & (local_min >= INTERIOR_STEADY_FRAC * d)


def cell_area_mm2(density_map: DensityMap, metric: FloatArray) -> FloatArray:
    """Surface area of every chart cell, mm2 (area element times the cell's chart area)."""
    det = metric[..., 0] * metric[..., 2] - metric[..., 1] ** 2
    return np.sqrt(np.maximum(det, 0.0)) * density_map.step_mm**2
