from __future__ import annotations

import pytest

from smpstudio.head import Head, build_head, mean_head


@pytest.fixture(scope="session")
def male_head() -> Head:
    return build_head(mean_head("male"), "male")


@pytest.fixture(scope="session")
def female_head() -> Head:
    return build_head(mean_head("female"), "female")
