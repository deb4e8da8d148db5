"""The top-view chart picture (render/chart_picture.py): a PNG with the bald area tinted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from smpstudio.case.model import Loss
from smpstudio.head import Head
from smpstudio.loss import assess_loss
from smpstudio.regions import build_regions
from smpstudio.render.chart_picture import BALD_TINT, draw_assessment_chart


def test_picture_marks_bald_area(male_head: Head, tmp_path: Path) -> None:
    regions = build_regions(male_head)
    a = assess_loss(Loss(pattern="norwood-6"), male_head.chart, regions, np.random.default_rng(1))
    out = draw_assessment_chart(male_head.chart, regions, a, tmp_path / "n6.png", size_px=400)
    img = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert img.shape == (400, 400, 3)
    # the vertex (picture centre) is bald for Norwood 6: tinted toward the bald colour
    centre = img[195:205, 195:205].reshape(-1, 3).mean(axis=0)
    clean = draw_assessment_chart(male_head.chart, regions, None, tmp_path / "c.png", size_px=400)
    centre_clean = np.asarray(Image.open(clean).convert("RGB")).astype(int)[195:205, 195:205]
    d_bald = np.linalg.norm(centre - np.array(BALD_TINT))
    d_clean = np.linalg.norm(centre_clean.reshape(-1, 3).mean(axis=0) - np.array(BALD_TINT))
    assert d_bald < d_clean
    assert img[5:20].min() < 100  # the "ANTERIOR" label is at the top
