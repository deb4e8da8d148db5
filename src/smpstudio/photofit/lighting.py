"""The photo's light on the scalp: body (diffuse) reflection and surface highlights apart.

Pigment in the dermis changes only the light that enters the skin and comes back out (body
reflection); the shine of an oily or shaved scalp under a flash is surface reflection, which
keeps the colour of the light and sits on top of the dots. The dichromatic reflection model
(Shafer 1985, Color Res Appl 10: 210-218) writes each pixel as

    pixel = m_body * c_skin + m_surface * c_light

with ``c_skin`` the skin's chromaticity (the median over the scalp, linear RGB normalised to
sum to one) and ``c_light`` white (a photo white-balanced to its light). Per pixel the two
weights are the least-squares solution over the three channels, the surface weight kept
between zero and what the darkest channel allows. The dots then darken the body part only,
by the appearance table's dot-to-skin ratio, which already carries the photo's shading: a dot
in shadow is as much darker as the skin around it, and a highlight stays on top of the dots.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
F32Array = npt.NDArray[np.float32]

_WHITE = np.full(3, 1.0 / 3.0)


def skin_chromaticity(pixels_linear: npt.ArrayLike) -> FloatArray:
    """Median chromaticity ``(3,)`` (sums to one) of linear-RGB pixels ``(N, 3)``."""
    p = np.asarray(pixels_linear, dtype=np.float64).reshape(-1, 3)
    total = p.sum(axis=1)
    p = p[total > 1e-4]
    if p.shape[0] == 0:
        return _WHITE.copy()
    chroma = np.median(p / p.sum(axis=1, keepdims=True), axis=0)
    return np.asarray(chroma / chroma.sum())


def split_surface(image_linear: F32Array, chroma: FloatArray) -> tuple[F32Array, F32Array]:
    """``(body, surface)`` parts of a linear-RGB image ``(H, W, 3)``; they sum to the image.

    ``surface`` is grey (equal in the three channels), at least zero and at most the pixel's
    darkest channel.
    """
    c = np.asarray(chroma, dtype=np.float64)
    basis = np.stack([c, _WHITE], axis=1)  # (3, 2)
    solve = np.linalg.pinv(basis)  # (2, 3): least squares for (m_body, m_surface)
    m_surface = np.tensordot(image_linear, solve[1].astype(np.float32), axes=([2], [0]))
    per_channel = np.clip(m_surface / 3.0, 0.0, None)
    per_channel = np.minimum(per_channel, image_linear.min(axis=2))
    surface = np.repeat(per_channel[..., None], 3, axis=2).astype(np.float32)
    body = (image_linear - surface).astype(np.float32)
    return body, surface
