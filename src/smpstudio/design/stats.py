"""Statistics of a dot field per region: counts, realised density, regularity.

Density is counted from the dots and measured on the curved surface (cells weighted by the
chart's area element). Regularity is the Clark-Evans ratio R = mean nearest-neighbour distance
/ (0.5 / sqrt(density)) (Clark & Evans 1954, Ecology 35:445): 1 for a random pattern, about 2.15
for a hexagonal lattice; follicles are more regular than random (Sick et al. 2006), so a design
aims at 1.3-1.9. The planned density varies, so each dot's distance is normalised by the
planned density at that dot; only "interior" dots count (planned density steady within 3 mm
and not near the edge), which removes the edge bias without Donnelly's correction.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import ndimage
from scipy.spatial import cKDTree

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


def clark_evans(
    xyz_mm: FloatArray, density_per_mm2_at_dots: FloatArray, use: npt.NDArray[np.bool_]
) -> float | None:
    """Density-normalised Clark-Evans ratio over the dots flagged ``use``.

    Nearest neighbours are searched among ALL dots in 3-D (chord = surface distance at these
    scales); ``None`` when fewer than 30 dots qualify.
    """
    if int(np.count_nonzero(use)) < 30 or xyz_mm.shape[0] < 2:
        return None
    dist, _ = cKDTree(xyz_mm).query(xyz_mm[use], k=2)
    expected = 0.5 / np.sqrt(density_per_mm2_at_dots[use])
    return float(np.mean(dist[:, 1] / expected))


def cell_area_mm2(density_map: DensityMap, metric: FloatArray) -> FloatArray:
    """Surface area of every chart cell, mm2 (area element times the cell's chart area)."""
    det = metric[..., 0] * metric[..., 2] - metric[..., 1] ** 2
    return np.sqrt(np.maximum(det, 0.0)) * density_map.step_mm**2
