"""Named random streams: the one registry of every random stream of a plan and its pictures.

``numpy.random.default_rng([seed, stream_id])`` makes independent, reproducible streams, so
adding randomness to one step never changes the output of another. Each use has its own
name and id here; nothing else in the package makes a generator (``tests/planning`` checks).

Two kinds:

- :data:`STREAMS`, seeded from the case (``case.seed`` or ``--seed``): the design and the
  photo preview's dots. A new seed gives a new pattern.
- :data:`SCENE_STREAMS`, fixed: the client's own head as the renderer draws it (the stubble
  of the existing hair, the skin's texture). They do not follow the plan's seed, so two
  seeds of one case show the same head with different dots.

The Monte Carlo engines of :mod:`smpstudio.optics` take their own run seed (a property of
the simulation, not of the case) and keep their stream ids beside their kernels.
"""

from __future__ import annotations

import numpy as np

#: Streams seeded from the case, by name: ``rng_for(seed, name)``.
STREAMS: dict[str, int] = {
    "fue_scars": 1,
    "hairline": 2,
    "follicles": 3,
    "dots": 4,
    "dot_attributes": 5,
    "photo_dots": 0x9F,
}
#: Streams fixed per scene, by name: ``scene_rng(name, *key)``.
SCENE_STREAMS: dict[str, int] = {
    "stubble": 0x5B,
    "skin_texture": 0x7E,
}


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """The generator of one named case stream for this seed (:data:`STREAMS`)."""
    return np.random.default_rng([seed, STREAMS[stream]])


def scene_rng(stream: str, *key: int) -> np.random.Generator:
    """The generator of one fixed scene stream (:data:`SCENE_STREAMS`), told apart by ``key``
    (for example the number of follicles, so another head grows other stubble)."""
    return np.random.default_rng([SCENE_STREAMS[stream], *key])
