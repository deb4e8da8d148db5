"""Write the sample report for a look by eye: ``python -m tests.report.sample_report [PATH]``.

Uses the sample plan with warnings (split sessions, high sun) and simple drawn pictures of the
right size, so the layout can be checked on screen and in print (e.g. with wkhtmltopdf).
Default output: /tmp/report_sample.html.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from smpstudio.report import render_report

from .helpers import IMAGE_KEYS, sample_plan

SKIN_RGB = (182, 147, 124)
DOT_RGB = {"fresh": (80, 72, 70), "healed": (111, 95, 87), "faded": (130, 110, 98)}


def drawn_png(key: str, size_px: int = 480) -> bytes:
    """A stand-in head picture: a skin-coloured oval, dotted unless ``before``."""
    image = Image.new("RGB", (size_px, size_px), (240, 240, 238))
    draw = ImageDraw.Draw(image)
    pad = size_px // 10
    draw.ellipse((pad, pad, size_px - pad, size_px - pad), fill=SKIN_RGB)
    state = key.rsplit("-", 1)[-1].removesuffix(".png")
    if state in DOT_RGB or key == "design.png" or key.startswith("closeups/"):
        rng = np.random.default_rng([len(key), 1])
        centre, radius = size_px / 2, size_px / 2 - 1.6 * pad
        points = rng.uniform(-radius, radius, size=(2500, 2))
        points = points[np.hypot(points[:, 0], points[:, 1]) < radius]
        colour = DOT_RGB.get(state, (60, 50, 45))
        for x, y in points:
            draw.ellipse(
                (centre + x - 1.5, centre + y - 1.5, centre + x + 1.5, centre + y + 1.5),
                fill=colour,
            )
    draw.text((pad // 2, pad // 4), key, fill=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def main(argv: list[str]) -> Path:
    target = Path(argv[0]) if argv else Path("/tmp/report_sample.html")
    images = {key: drawn_png(key) for key in IMAGE_KEYS}
    target.write_bytes(render_report(sample_plan(with_warnings=True), images))
    return target


if __name__ == "__main__":
    print(main(sys.argv[1:]))
