"""Every random stream of a plan and its pictures comes from one registry (planning.streams)."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import smpstudio
from smpstudio.planning.streams import SCENE_STREAMS, STREAMS, rng_for, scene_rng

SRC = Path(smpstudio.__file__).parent
# The Monte Carlo engines seed their kernels' states from the simulation's own seed
# (optics/mcml/engine.py, optics/disc.py); everything else goes through the registry.
MAKERS = re.compile(r"default_rng\(|np\.random\.seed\(|RandomState\(|Generator\(|SeedSequence\(")


def test_stream_ids_are_unique() -> None:
    ids = [*STREAMS.values(), *SCENE_STREAMS.values()]
    assert len(ids) == len(set(ids))
    assert not set(STREAMS) & set(SCENE_STREAMS)


def test_no_module_but_the_registry_makes_a_generator() -> None:
    makers = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel in ("planning/streams.py",) or rel.startswith("optics/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MAKERS.search(line.split("#")[0]):
                makers.append(f"{rel}:{number}: {line.strip()}")
    assert makers == [], "make generators with planning.streams:\n" + "\n".join(makers)


def test_case_streams_follow_the_seed_and_are_independent() -> None:
    a = rng_for(7, "dots").random(4)
    assert np.array_equal(a, rng_for(7, "dots").random(4))
    assert not np.array_equal(a, rng_for(8, "dots").random(4))
    assert not np.array_equal(a, rng_for(7, "follicles").random(4))
    assert np.array_equal(a, np.random.default_rng([7, STREAMS["dots"]]).random(4))


def test_scene_streams_are_fixed_and_keyed() -> None:
    # The texture stream is the one the renderer always used (same bytes as before).
    assert np.array_equal(
        scene_rng("skin_texture").random(3), np.random.default_rng(0x7E).random(3)
    )
    assert np.array_equal(
        scene_rng("stubble", 12).random(3), np.random.default_rng([0x5B, 12]).random(3)
    )
    assert not np.array_equal(
        scene_rng("stubble", 12).random(3), scene_rng("stubble", 13).random(3)
    )


def test_unknown_stream_names_fail() -> None:
    with pytest.raises(KeyError):
        rng_for(1, "render")
    with pytest.raises(KeyError):
        scene_rng("dots")
