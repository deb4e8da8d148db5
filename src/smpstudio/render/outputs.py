"""Every picture of a plan as PNG bytes, named as in the plan folder (docs/interface.md section 4).

PNG bytes are deterministic: fixed Pillow options, no metadata, and every random stream
(stubble, skin texture) fixed per scene, so the same scene gives the same bytes.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from smpstudio.render.closeups import render_closeup
from smpstudio.render.scene import STATES, RenderScene
from smpstudio.render.views import SceneRenderer, render_views

#: The close-ups ``render_all`` makes: (place, state).
CLOSEUPS: tuple[tuple[str, str], ...] = (
    ("hairline", "healed"),
    ("hairline", "fresh"),
    ("crown", "healed"),
)


def render_all(scene: RenderScene, size_px: int) -> dict[str, bytes]:
    """``views/{VIEW}-{STATE}.png`` (5 views x 4 states, ``size_px`` square) and the close-ups
    ``closeups/hairline-healed.png``, ``closeups/hairline-fresh.png``,
    ``closeups/crown-healed.png`` (400 x 400 px at 20 px/mm).

    The head's geometry, shading and stubble are computed once per view and shared by its
    four states.
    """
    renderer = SceneRenderer(scene)
    for each_state in STATES:
        renderer.look(each_state)  # fill the shared cache before any thread starts
    # The close-ups run beside the views (their kernels release the GIL); order is fixed.
    with ThreadPoolExecutor(max_workers=1) as pool:
        closeups = [pool.submit(render_closeup, renderer, where, look) for where, look in CLOSEUPS]
        out = render_views(renderer, size_px)
        for (where, look), job in zip(CLOSEUPS, closeups, strict=True):
            out[f"closeups/{where}-{look}.png"] = job.result()
    return out
