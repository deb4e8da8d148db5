"""Hair loss as chart shapes with surface areas: Norwood, Ludwig, diffuse, patches, scars."""

from smpstudio.loss.assess import (
    NORWOOD_BALD_FRAC,
    LossAssessment,
    assess_loss,
    nearest_norwood,
)
from smpstudio.loss.patterns import ludwig_zone, norwood_bald

__all__ = [
    "NORWOOD_BALD_FRAC",
    "LossAssessment",
    "assess_loss",
    "ludwig_zone",
    "nearest_norwood",
    "norwood_bald",
]
