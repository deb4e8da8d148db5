from __future__ import annotations

import os

import pytest
from hypothesis import settings

from smpstudio.head import Head, build_head, mean_head

# Property tests: no per-example deadline (numba compiles inside the first example, and CI
# machines are shared); in CI the examples are derandomised so a run is reproducible.
settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(scope="session")
def male_head() -> Head:
    return build_head(mean_head("male"), "male")


@pytest.fixture(scope="session")
def female_head() -> Head:
    return build_head(mean_head("female"), "female")
