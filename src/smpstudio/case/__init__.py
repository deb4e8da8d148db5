"""The case: one client's measurements, hair loss and design choices, fully filled in."""

from smpstudio.case.model import (
    Case,
    Client,
    DesignChoices,
    DrawnArea,
    FueScars,
    Hair,
    HeadMeasurements,
    LineScar,
    Loss,
    Patch,
    Pricing,
    Schedule,
    Skin,
)

__all__ = [
    "Case",
    "Client",
    "DesignChoices",
    "DrawnArea",
    "FueScars",
    "Hair",
    "HeadMeasurements",
    "LineScar",
    "Loss",
    "Patch",
    "Pricing",
    "Schedule",
    "Skin",
]
