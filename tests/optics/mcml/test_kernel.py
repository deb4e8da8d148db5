"""The numba kernel against the plain-Python reference; invariants; reproducibility."""

from __future__ import annotations

import math

import numba
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smpstudio.errors import InputError
from smpstudio.optics.mcml import Grid, Layer, run_mcml
from smpstudio.optics.mcml.kernel import _fresnel
from smpstudio.optics.mcml.reference import fresnel_reflectance, reference_mcml

# Three layers with index steps at every boundary, one of them a clear absorbing layer, below a
# medium of higher index: every branch of the boundary code (refraction, total internal
# reflection both ways, clear-layer stepping, the carried step) is exercised.
MISMATCHED = [
    Layer(n=1.45, mua_per_cm=4.0, mus_per_cm=60.0, g=0.8, thickness_cm=0.02),
    Layer(n=1.33, mua_per_cm=3.0, mus_per_cm=0.0, g=0.0, thickness_cm=0.01),
    Layer(n=1.6, mua_per_cm=6.0, mus_per_cm=40.0, g=0.3, thickness_cm=0.05),
]


def test_kernel_matches_plain_python_reference() -> None:
    kw = {"n_above": 1.0, "n_below": 1.7}
    fast = run_mcml(MISMATCHED, photons=200_000, seed=4, **kw)
    slow = reference_mcml(MISMATCHED, photons=6_000, rng=np.random.default_rng(4), **kw)
    assert fast.specular_reflectance == slow.specular_reflectance
    pairs = [
        (fast.diffuse_reflectance, fast.diffuse_reflectance_stderr,
         slow.diffuse_reflectance, slow.diffuse_reflectance_stderr),
        (fast.transmittance, fast.transmittance_stderr,
         slow.transmittance, slow.transmittance_stderr),
    ] + [
        (fast.absorbed_by_layer[i], fast.absorbed_by_layer_stderr[i],
         slow.absorbed_by_layer[i], slow.absorbed_by_layer_stderr[i])
        for i in range(3)
    ]  # fmt: skip
    for a, sa, b, sb in pairs:
        assert abs(a - b) < 3.0 * math.hypot(sa, sb)
        assert sb < 0.02  # the comparison has teeth


@settings(deadline=None)
@given(cos_i=st.floats(0.0, 1.0), n1=st.floats(1.0, 2.0), n2=st.floats(1.0, 2.0))
def test_fresnel_kernel_matches_textbook_form(cos_i: float, n1: float, n2: float) -> None:
    r_fast, ct_fast = _fresnel(n1, n2, cos_i)
    r_ref, ct_ref = fresnel_reflectance(n1, n2, cos_i)
    if cos_i < 1e-6 or (n1 > n2 and abs(n1 / n2 * math.sqrt(1 - cos_i**2) - 1.0) < 1e-9):
        return  # grazing or at the critical angle: both saturate, at slightly different cut-offs
    assert r_fast == pytest.approx(r_ref, abs=1e-9)
    assert ct_fast == pytest.approx(ct_ref, abs=1e-9)


layers_st = st.builds(
    Layer,
    n=st.floats(1.0, 1.8),
    mua_per_cm=st.floats(0.5, 50.0),
    mus_per_cm=st.one_of(st.just(0.0), st.floats(1.0, 300.0)),
    g=st.floats(-0.9, 0.99),
    thickness_cm=st.floats(0.001, 0.2),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    layers=st.lists(layers_st, min_size=1, max_size=4),
    semi_infinite=st.booleans(),
    n_above=st.floats(1.0, 1.6),
    n_below=st.floats(1.0, 1.6),
    seed=st.integers(0, 2**32),
)
def test_energy_is_conserved(
    layers: list[Layer], semi_infinite: bool, n_above: float, n_below: float, seed: int
) -> None:
    if semi_infinite:
        last = layers[-1]
        layers[-1] = Layer(n=last.n, mua_per_cm=last.mua_per_cm, mus_per_cm=last.mus_per_cm,
                           g=last.g, thickness_cm=math.inf)  # fmt: skip
    res = run_mcml(layers, n_above=n_above, n_below=n_below, photons=3000, seed=seed)
    total = res.specular_reflectance + res.diffuse_reflectance + res.absorbed + res.transmittance
    assert total == pytest.approx(1.0, abs=1e-4)
    assert res.absorbed == pytest.approx(res.absorbed_by_layer.sum(), abs=1e-12)
    assert min(res.diffuse_reflectance, res.absorbed, res.transmittance) >= 0.0


def test_same_seed_same_numbers_on_any_thread_count() -> None:
    grid = Grid(dz_cm=0.005, dr_cm=0.005, nz=20, nr=20)
    kw = {"n_above": 1.0, "n_below": 1.0, "photons": 20_000, "seed": 9, "grid": grid}
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = run_mcml(MISMATCHED, **kw)
        numba.set_num_threads(before)
        many = run_mcml(MISMATCHED, **kw)
    finally:
        numba.set_num_threads(before)
    for key in ("diffuse_reflectance", "diffuse_reflectance_stderr", "transmittance", "absorbed"):
        assert getattr(one, key) == getattr(many, key)
    assert np.array_equal(one.absorbed_by_layer, many.absorbed_by_layer)
    assert np.array_equal(one.rd_r_per_cm2, many.rd_r_per_cm2)
    assert np.array_equal(one.a_z_per_cm, many.a_z_per_cm)
    other = run_mcml(MISMATCHED, **{**kw, "seed": 10})
    assert other.diffuse_reflectance != one.diffuse_reflectance


def test_grid_tallies_integrate_to_totals() -> None:
    grid = Grid(dz_cm=0.002, dr_cm=0.01, nz=50, nr=40)
    res = run_mcml(MISMATCHED, n_above=1.0, n_below=1.0, photons=20_000, seed=1, grid=grid)
    assert res.rd_r is not None and res.a_z is not None
    ring_cm2 = math.pi * (2 * np.arange(grid.nr) + 1) * grid.dr_cm**2
    assert float(np.sum(res.rd_r * ring_cm2)) == pytest.approx(res.diffuse_reflectance, rel=1e-9)
    assert float(np.sum(res.a_z * grid.dz_cm)) == pytest.approx(res.absorbed, rel=1e-9)
    assert res.rd_r[0] > res.rd_r[20] > 0.0  # falls off with radius


def test_clear_layer_depth_profile_is_beer_lambert() -> None:
    # A(z) of a pure absorber is mua exp(-mua z) averaged over each bin, exactly.
    grid = Grid(dz_cm=0.1, dr_cm=0.1, nz=12, nr=1)
    absorber = Layer(n=1.0, mua_per_cm=2.0, mus_per_cm=0.0, g=0.0, thickness_cm=1.0)
    res = run_mcml([absorber], n_above=1.0, n_below=1.0, photons=20, seed=1, grid=grid)
    edges = np.minimum(np.arange(13) * 0.1, 1.0)
    expected = (np.exp(-2.0 * edges[:-1]) - np.exp(-2.0 * edges[1:])) / 0.1
    assert res.a_z == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"photons": 5}, "photons"),
        ({"batches": 1}, "batches"),
        ({"seed": -1}, "seed"),
        ({"n_above": 0.0}, "n_above"),
    ],
)
def test_bad_arguments_are_input_errors(kwargs: dict[str, float], field: str) -> None:
    base = {"n_above": 1.0, "n_below": 1.0, "photons": 100, "seed": 1, **kwargs}
    with pytest.raises(InputError) as err:
        run_mcml(MISMATCHED, **base)  # type: ignore[arg-type]
    assert err.value.field == field


def test_bad_layers_are_input_errors() -> None:
    with pytest.raises(InputError, match=r"layer\.g"):
        Layer(n=1.4, mua_per_cm=1.0, mus_per_cm=10.0, g=1.5, thickness_cm=0.1)
    with pytest.raises(InputError, match=r"layer\.mua_per_cm"):
        Layer(n=1.4, mua_per_cm=math.nan, mus_per_cm=10.0, g=0.5, thickness_cm=0.1)
    inf_first = Layer(n=1.4, mua_per_cm=1.0, mus_per_cm=10.0, g=0.5, thickness_cm=math.inf)
    with pytest.raises(InputError, match="only the last layer"):
        run_mcml([inf_first, MISMATCHED[0]], n_above=1, n_below=1, photons=100, seed=1)
    no_absorption = Layer(n=1.4, mua_per_cm=0.0, mus_per_cm=10.0, g=0.5, thickness_cm=math.inf)
    with pytest.raises(InputError, match="run_white_mcml"):
        run_mcml([no_absorption], n_above=1, n_below=1, photons=100, seed=1)
    with pytest.raises(InputError, match="at least one layer"):
        run_mcml([], n_above=1, n_below=1, photons=100, seed=1)
