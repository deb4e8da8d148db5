"""Per-dot attributes: healed diameter, depth, dilution and needle.

Numbers from SMP practice (docs/references.md): healed dots of 0.12 mm from a 1RL needle (0.20-0.25
mm) at the hairline and 0.20 mm from a 3RL needle (0.25-0.30 mm) in the body (range 0.07-0.30);
pigment in the upper dermis at 0.3 mm (tricopigmentation shallower). Natural variation keeps the
field from looking stamped: log-normal diameters and normal depths, clipped to the ranges
practitioners achieve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smpstudio.design.build_up import SCAR_EXTRA_DILUTION_FRAC, session_dilution_fracs
from smpstudio.design.needles import BODY_NEEDLE, HAIRLINE_NEEDLE
from smpstudio.optics.pigment import MAX_DILUTION_FRAC


@dataclass(frozen=True, kw_only=True)
class DotStyle:
    """Tunable dot-attribute defaults (SMP practice)."""

    hairline_diameter_mm: float = 0.12  # 1RL healed
    body_diameter_mm: float = 0.20  # 3RL healed
    diameter_log_sd: float = 0.12  # natural spread of healed size
    min_diameter_mm: float = 0.07
    max_diameter_mm: float = 0.30
    depth_sd_frac: float = 0.12  # spread of depth as a fraction of the planned depth
    min_depth_mm: float = 0.05
    max_depth_mm: float = 2.0
    hairline_needle: str = HAIRLINE_NEEDLE.code
    body_needle: str = BODY_NEEDLE.code
    # Dots within this distance behind the hairline use the fine needle; over the next
    # `fine_to_body_mm` the mix shifts to the body needle.
    fine_zone_mm: float = 6.0
    fine_to_body_mm: float = 6.0


def dot_attributes(
    *,
    hairline_distance_mm: npt.NDArray[np.float64],
    session: npt.NDArray[np.int64],
    on_scar: npt.NDArray[np.bool_],
    sessions: int,
    depth_mm: float,
    rng: np.random.Generator,
    style: DotStyle | None = None,
) -> dict[str, npt.NDArray[np.float64] | npt.NDArray[np.str_]]:
    """Diameter, depth, dilution and needle for each dot.

    Parameters
    ----------
    hairline_distance_mm
        (N,) distance of each dot behind the designed hairline along the scalp (large where
        there is no hairline nearby).
    session
        (N,) 1-based session placing each dot.
    on_scar
        (N,) whether the dot lies on scar tissue.
    sessions
        Number of sessions of the course.
    depth_mm
        Planned pigment depth.
    rng
        Generator for the natural variation.
    """
    style = style or DotStyle()
    n = hairline_distance_mm.shape[0]
    # Probability of the fine (1RL) needle: 1 in the first few mm, fading to 0 behind.
    t = np.clip((hairline_distance_mm - style.fine_zone_mm) / style.fine_to_body_mm, 0.0, 1.0)
    fine = rng.random(n) >= t
    base = np.where(fine, style.hairline_diameter_mm, style.body_diameter_mm)
    diameter = base * np.exp(rng.normal(0.0, style.diameter_log_sd, n))
    diameter = np.clip(diameter, style.min_diameter_mm, style.max_diameter_mm)
    depth = depth_mm * (1.0 + rng.normal(0.0, style.depth_sd_frac, n))
    depth = np.clip(depth, style.min_depth_mm, style.max_depth_mm)
    dilution_frac = session_dilution_fracs(sessions)[session - 1] + np.where(
        on_scar, SCAR_EXTRA_DILUTION_FRAC, 0
    )
    needle = np.where(fine, style.hairline_needle, style.body_needle)
    return {
        "diameter_mm": diameter,
        "depth_mm": depth,
        "dilution_frac": np.clip(dilution_frac, 0.0, MAX_DILUTION_FRAC),
        "needle": needle,
    }
