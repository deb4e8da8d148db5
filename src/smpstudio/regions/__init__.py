"""The eight named regions of the hair-bearing scalp (docs/interface.md section 2)."""

from smpstudio.regions.build import Regions, build_regions, ellipse, surface_area_mm2

__all__ = ["Regions", "build_regions", "ellipse", "surface_area_mm2"]
