"""Lighting of the skin, the background, and the finishing of a picture (labels, PNG bytes).

The light is a soft portrait setup: one key light above and to the left of the camera, a sky
(hemisphere) light from above and a faint warm bounce from below, so no part of the head goes
black. Skin is lit with "wrapped" Lambert shading, ``max(0, (n.l + w) / (1 + w))``, with a wider
wrap in red than in blue: light that enters skin re-emerges farther away at long wavelengths
(red mean free path in dermis ~1 mm vs ~0.3 mm in blue; Jacques 2013, Phys. Med. Biol.
58:R37), which softens the terminator and warms it, the look of subsurface scattering
(Green 2004, "Real-time approximations to subsurface scattering", GPU Gems ch. 16). A weak
Blinn-Phong sheen with Schlick's Fresnel term (Schlick 1994, Computer Graphics Forum
13:233) stands in for the scalp's sebum film. The sheen is a small fraction of the light, so
the colour of skin facing the key light is close to its diffuse colour from the appearance
table, and dots multiply that colour by their own contrast.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from smpstudio.render import _shade_kernels as tk
from smpstudio.render.camera import Camera

FloatArray = npt.NDArray[np.float64]

#: Background: a neutral light grey (sRGB about 200/255), linear value.
BACKGROUND_LINEAR = 0.58
LABEL_NOTE = "illustrative preview"


@dataclass(frozen=True, kw_only=True)
class ShadingParams:
    """The lights and surface finish (linear RGB, unit light = the skin's table colour)."""

    key_rgb: tuple[float, float, float] = (0.92, 0.90, 0.86)
    wrap: tuple[float, float, float] = (0.42, 0.26, 0.18)
    sky_rgb: tuple[float, float, float] = (0.22, 0.23, 0.25)
    ground_rgb: tuple[float, float, float] = (0.06, 0.05, 0.045)
    specular: float = 0.035
    shininess: float = 18.0
    texture: float = 0.035
    ao: float = 0.45
    ao_mm: float = 16.0
    vignette: float = 0.10
    background: float = BACKGROUND_LINEAR
    #: Fade the head below the brow into the background over this many mm (0: no fade).
    face_fade_mm: float = 22.0

    def vector(self, albedo: FloatArray, camera: Camera) -> FloatArray:
        """The kernel's shading vector for a skin ``albedo`` (3,) and a camera.

        The key light sits above and to the left of the camera, in front of the head.
        """
        key = -0.42 * camera.right + 0.55 * camera.up - 0.72 * camera.forward
        key = key / np.linalg.norm(key)
        vec = np.zeros(tk.N_SHADING)
        vec[tk.S_ALBEDO : tk.S_ALBEDO + 3] = albedo
        vec[tk.S_KEY_DIR : tk.S_KEY_DIR + 3] = key
        vec[tk.S_KEY_RGB : tk.S_KEY_RGB + 3] = self.key_rgb
        vec[tk.S_WRAP : tk.S_WRAP + 3] = self.wrap
        vec[tk.S_SKY_RGB : tk.S_SKY_RGB + 3] = self.sky_rgb
        vec[tk.S_GROUND_RGB : tk.S_GROUND_RGB + 3] = self.ground_rgb
        vec[tk.S_SPEC] = self.specular
        vec[tk.S_SHINE] = self.shininess
        vec[tk.S_BG : tk.S_BG + 3] = self.background
        vec[tk.S_TEX] = self.texture
        vec[tk.S_AO] = self.ao
        vec[tk.S_AO_MM] = self.ao_mm
        vec[tk.S_VIGNETTE] = self.vignette
        return vec


@cache
def _font(size_px: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.load_default(size=size_px)
    except (TypeError, OSError):  # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def draw_label(
    image: Image.Image,
    lines: list[str],
    *,
    corner: str = "top-left",
    size_px: int | None = None,
    box: bool = False,
) -> None:
    """Write ``lines`` of text in a corner of an RGB image, in dark grey (in place)."""
    side = min(image.size)
    size = size_px or max(10, side // 40)
    font = _font(size)
    draw = ImageDraw.Draw(image)
    margin = max(4, size // 2)
    heights = [draw.textbbox((0, 0), line, font=font) for line in lines]
    total_h = sum(b[3] - b[1] for b in heights) + (len(lines) - 1) * (size // 3)
    width = max(b[2] - b[0] for b in heights)
    x = margin if corner.endswith("left") else image.size[0] - margin - width
    y = margin if corner.startswith("top") else image.size[1] - margin - total_h
    if box:
        pad = size // 3
        draw.rectangle((x - pad, y - pad, x + width + pad, y + total_h + pad), fill=(245, 245, 242))
    for line, b in zip(lines, heights, strict=True):
        draw.text((x - b[0], y - b[1]), line, fill=(40, 40, 40), font=font)
        y += b[3] - b[1] + size // 3


def png_bytes(rgb8: npt.NDArray[np.uint8] | Image.Image) -> bytes:
    """PNG bytes with fixed options and no metadata (the same pixels give the same bytes)."""
    image = rgb8 if isinstance(rgb8, Image.Image) else Image.fromarray(np.ascontiguousarray(rgb8))
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False, compress_level=1)
    return buf.getvalue()
