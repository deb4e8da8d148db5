"""render_all: the plan folder's pictures, all of them, deterministic."""

from __future__ import annotations

import io

from PIL import Image

from smpstudio.render.outputs import render_all
from smpstudio.render.scene import STATES, VIEWS

from .scenes import small_scene


def test_render_all_names_sizes_and_bytes_are_stable() -> None:
    first = render_all(small_scene(), 96)
    want = {f"views/{v}-{s}.png" for v in VIEWS for s in STATES} | {
        "closeups/hairline-healed.png",
        "closeups/hairline-fresh.png",
        "closeups/crown-healed.png",
    }
    assert set(first) == want
    for name, data in first.items():
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG"
            assert image.size == ((400, 400) if name.startswith("closeups/") else (96, 96))
    assert render_all(small_scene(), 96) == first
    assert first["views/top-before.png"] != first["views/top-healed.png"]


def test_a_scene_without_dots_hair_or_hairline_still_renders() -> None:
    import dataclasses

    import numpy as np

    from smpstudio.render.scene import DotColumns

    bare = dataclasses.replace(
        small_scene(),
        dots=DotColumns.empty(),
        follicles_uv_mm=np.zeros((0, 2)),
        hairline_uv_mm=np.zeros((0, 2)),
        bald_outline_uv_mm=[],
    )
    out = render_all(bare, 64)
    assert len(out) == 23

    def pixels(name: str) -> np.ndarray:
        with Image.open(io.BytesIO(out[name])) as image:
            return np.asarray(image)[20:]  # below the label

    assert np.array_equal(pixels("views/front-before.png"), pixels("views/front-healed.png"))
