"""Named random streams: every random use gets its own Generator from the case seed.

``numpy.random.default_rng([seed, stream_id])`` makes independent, reproducible streams, so
adding randomness to one step never changes the output of another.
"""

from __future__ import annotations

import numpy as np

STREAMS = {
    "fue_scars": 1,
    "hairline": 2,
    "follicles": 3,
    "dots": 4,
    "dot_attributes": 5,
    "render": 6,
}


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """The generator of one named stream for this seed."""
    return np.random.default_rng([seed, STREAMS[stream]])
