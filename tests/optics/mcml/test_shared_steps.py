"""The walk steps both Monte Carlo kernels share (optics/mcml/kernel.py): the step to the next
interaction or boundary, the direction update and Russian roulette."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smpstudio.optics.mcml.kernel import (
    COS_ZERO,
    ROULETTE_CHANCE,
    hop,
    roulette,
    spin_direction,
    step_in_tissue,
)

STATE = tuple(np.random.SeedSequence(11).generate_state(4, dtype=np.uint64))
unit = st.floats(-1.0, 1.0, allow_nan=False)


def _direction(ux: float, uy: float) -> tuple[float, float, float]:
    """A unit direction, kept away from the vertical (where MCML switches to a limiting form)."""
    norm = math.hypot(ux, uy)
    if norm < 0.15:
        ux, uy = (0.15, 0.0) if norm == 0.0 else (ux / norm * 0.15, uy / norm * 0.15)
    elif norm > 0.999:
        ux, uy = ux / norm * 0.999, uy / norm * 0.999
    return ux, uy, math.sqrt(max(0.0, 1.0 - ux * ux - uy * uy))


@given(unit, unit, st.booleans(), unit, st.floats(0.0, 2.0 * math.pi))
def test_spin_keeps_unit_length_and_turns_by_theta(
    ux: float, uy: float, down: bool, cost: float, psi: float
) -> None:
    ux, uy, uz = _direction(ux, uy)
    uz = uz if down else -uz
    sint = math.sqrt(1.0 - cost * cost)
    nx, ny, nz = spin_direction(ux, uy, uz, cost, sint, math.cos(psi), math.sin(psi))
    assert abs(uz) <= COS_ZERO
    assert nx * nx + ny * ny + nz * nz == pytest.approx(1.0, abs=1e-9)
    assert nx * ux + ny * uy + nz * uz == pytest.approx(cost, abs=1e-9)


def test_spin_of_a_vertical_packet_uses_the_limiting_form() -> None:
    assert spin_direction(0.0, 0.0, 1.0, 0.6, 0.8, 1.0, 0.0) == pytest.approx((0.8, 0.0, 0.6))
    assert spin_direction(0.0, 0.0, -1.0, 0.6, 0.8, 0.0, 1.0) == pytest.approx((0.0, 0.8, -0.6))


def test_roulette_is_unbiased_and_kills_zero_weight() -> None:
    state = STATE
    survivors, total = 0, 0.0
    for _ in range(20_000):
        alive, w, *rest = roulette(1e-5, *state)
        state = tuple(np.uint64(x) for x in rest)
        survivors += alive
        total += w if alive else 0.0
        if alive:
            assert w == pytest.approx(1e-5 / ROULETTE_CHANCE)
    assert survivors / 20_000 == pytest.approx(ROULETTE_CHANCE, abs=0.01)
    assert total / 20_000 == pytest.approx(1e-5, rel=0.1)  # expected weight unchanged
    assert roulette(0.0, *STATE)[0] is False


def test_step_is_cut_at_the_boundary_and_the_rest_carried() -> None:
    # A carried step of 3 mean free paths in a layer of mut = 10 per cm, 0.1 cm to the bottom.
    s, hit, sleft, *state = step_in_tissue(3.0, 10.0, 0.0, 1.0, 0.0, 0.1, *STATE)
    assert (hit, s, sleft) == (True, pytest.approx(0.1), pytest.approx(2.0))
    assert tuple(np.uint64(x) for x in state) == STATE  # a carried step draws no number
    s, hit, sleft, *_ = step_in_tissue(0.5, 10.0, 0.1, -1.0, 0.0, 0.2, *STATE)
    assert (hit, s, sleft) == (False, pytest.approx(0.05), 0.0)
    s, hit, sleft, *state = step_in_tissue(0.0, 10.0, 0.05, 0.0, 0.0, 0.1, *STATE)
    assert not hit and s > 0.0 and sleft == 0.0  # uz = 0 never reaches a boundary
    assert tuple(np.uint64(x) for x in state) != STATE  # a fresh step draws a number


def test_hop_lands_exactly_on_the_boundary_it_hits() -> None:
    assert hop(0.0, 0.0, 0.02, 0.6, 0.0, 0.8, 0.1, False, 0.0, 0.1) == pytest.approx(
        (0.06, 0.0, 0.1)
    )
    x, y, z = hop(0.0, 0.0, 0.02, 0.0, 0.6, -0.8, 0.025, True, 0.0, 0.1)
    assert (x, y, z) == (0.0, pytest.approx(0.015), 0.0)  # exactly the top, not 2e-18
