"""Step 1, assess: the head model, its regions and the hair loss in cm2."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smpstudio.case.model import Case
from smpstudio.head import Head, build_head
from smpstudio.loss import LossAssessment, assess_loss
from smpstudio.planning.streams import rng_for
from smpstudio.regions import Regions, build_regions


@dataclass(frozen=True, kw_only=True)
class Assessment:
    """Head, regions and loss of one case."""

    case: Case
    head: Head
    regions: Regions
    loss: LossAssessment

    def to_dict(self) -> dict[str, Any]:
        """The ``head``, ``regions`` and ``loss`` objects of plan.json (docs/interface.md s. 4)."""
        return {
            "head": self.head.to_dict(),
            "regions": self.regions.to_dict(self.loss.bald_area_by_region_cm2),
            "loss": self.loss.to_dict(),
        }


def assess_case(case: Case, *, seed: int | None = None) -> Assessment:
    """Build the head model, split the scalp into regions and measure the loss."""
    head = build_head(case.head, case.client.sex)
    regions = build_regions(head)
    loss = assess_loss(
        case.loss,
        head.chart,
        regions,
        rng_for(case.seed if seed is None else seed, "fue_scars"),
        existing_density_frac=case.hair.existing_density_frac,
    )
    return Assessment(case=case, head=head, regions=regions, loss=loss)
