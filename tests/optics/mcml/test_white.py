"""White Monte Carlo: reweighted absorption-free runs against direct runs with absorption."""

from __future__ import annotations

import math

import numpy as np
import pytest

from smpstudio.errors import InputError
from smpstudio.optics.mcml import Layer, WhitePaths, run_mcml, run_white_mcml

# Five-layer skin at 550 nm (Fitzpatrick III): epidermis, papillary dermis, upper blood net
# dermis, reticular dermis, hypodermis. Scattering from Jacques 2013, g = 0.9:
# mus' = a' (f_Ray (L/500)^-4 + (1 - f_Ray)(L/500)^-b_Mie), mus = mus' / (1 - g).
SKIN_N = (1.44, 1.39, 1.39, 1.39, 1.44)
SKIN_MUS_PER_CM = (575.6, 326.0, 326.0, 326.0, 322.8)
SKIN_THICKNESS_CM = (0.0066, 0.015, 0.01, 0.14, math.inf)
# Absorption at 550 nm: f_mel 0.08 melanin in the epidermis; blood fractions 0.01, 0.04,
# 0.01, 0.005 at saturation 0.75 (mua_blood 244 /cm) over mua_base 0.459 /cm.
MUA_550 = (30.17, 2.894, 10.20, 2.894, 1.677)
# Around 700 nm: little blood absorption, the weakest a skin model gives.
MUA_700 = (12.6, 0.3, 0.5, 0.3, 0.3)


def skin(mua: tuple[float, ...]) -> list[Layer]:
    return [
        Layer(n=n, mua_per_cm=a, mus_per_cm=s, g=0.9, thickness_cm=d)
        for n, a, s, d in zip(SKIN_N, mua, SKIN_MUS_PER_CM, SKIN_THICKNESS_CM, strict=True)
    ]


@pytest.fixture(scope="module")
def white_skin() -> WhitePaths:
    return run_white_mcml(skin(MUA_550), n_above=1.0, n_below=1.0, photons=20_000, seed=21)


@pytest.mark.parametrize(("mua", "photons"), [(MUA_550, 30_000), (MUA_700, 8_000)])
def test_reweighted_skin_matches_direct_runs(
    white_skin: WhitePaths, mua: tuple[float, ...], photons: int
) -> None:
    direct = run_mcml(skin(mua), n_above=1.0, n_below=1.0, photons=photons, seed=22)
    rd, se = white_skin.reflectance_with_stderr(np.array(mua))
    combined = math.hypot(float(se), direct.diffuse_reflectance_stderr)
    assert abs(float(rd) - direct.diffuse_reflectance) < 3.0 * combined
    assert combined < 0.02 * direct.diffuse_reflectance  # tight enough to catch a bug
    assert white_skin.specular_reflectance == direct.specular_reflectance


def test_reweighted_mismatched_finite_stack_matches_direct() -> None:
    layers = [
        Layer(n=1.5, mua_per_cm=5.0, mus_per_cm=100.0, g=0.7, thickness_cm=0.01),
        Layer(n=1.33, mua_per_cm=2.0, mus_per_cm=0.0, g=0.0, thickness_cm=0.005),
        Layer(n=1.4, mua_per_cm=1.0, mus_per_cm=60.0, g=0.0, thickness_cm=0.05),
    ]
    white = run_white_mcml(layers, n_above=1.0, n_below=1.3, photons=40_000, seed=1)
    direct = run_mcml(layers, n_above=1.0, n_below=1.3, photons=40_000, seed=2)
    rd, se = white.reflectance_with_stderr([5.0, 2.0, 1.0])
    assert abs(float(rd) - direct.diffuse_reflectance) < 3.0 * math.hypot(
        float(se), direct.diffuse_reflectance_stderr
    )
    assert white.truncated_weight == 0.0  # a thin finite stack never reaches the cap


def test_path_cap_bias_is_below_a_thousandth_of_rd(white_skin: WhitePaths) -> None:
    for mua in (MUA_550, MUA_700):
        rd = float(white_skin.reflectance(np.array(mua)))
        bound = float(white_skin.truncation_bias_bound(np.array(mua)))
        assert 0.0 < bound < 1e-3 * rd
    # Escaped packets never exceed the cap; some packets reached it in the semi-infinite skin.
    assert white_skin.path_cm.sum(axis=1).max() <= white_skin.max_path_cm + 1.0
    assert white_skin.truncated_weight > 0.0


def test_reflectance_is_vectorised(white_skin: WhitePaths) -> None:
    rng = np.random.default_rng(0)
    sets = rng.uniform(0.2, 30.0, size=(2, 3, 5))
    batch = white_skin.reflectance(sets)
    assert batch.shape == (2, 3)
    one = white_skin.reflectance(sets[1, 2])
    assert batch[1, 2] == pytest.approx(float(one), rel=1e-12)
    # Without absorption the reweighted reflectance is the plain escaping weight.
    assert float(white_skin.reflectance(np.zeros(5))) == pytest.approx(
        white_skin.weights.sum() / white_skin.photons
    )
    # More absorption, less reflectance, in every layer.
    base = np.array(MUA_550)
    for i in range(5):
        more = base.copy()
        more[i] *= 2.0
        assert white_skin.reflectance(more) < white_skin.reflectance(base)


def test_white_records_are_consistent(white_skin: WhitePaths) -> None:
    k = white_skin.weights.shape[0]
    assert white_skin.path_cm.shape == (k, 5)
    assert np.all(white_skin.weights == pytest.approx(1.0 - white_skin.specular_reflectance))
    assert np.all(white_skin.path_cm[:, 0] > 0.0)  # every escaping packet crossed the epidermis
    assert np.all(np.diff(white_skin.batch) >= 0)


def test_white_input_errors(white_skin: WhitePaths) -> None:
    with pytest.raises(InputError, match="mua_per_cm"):
        white_skin.reflectance(np.ones(4))
    with pytest.raises(InputError, match="mua_per_cm"):
        white_skin.reflectance(-np.ones(5))
    with pytest.raises(InputError, match="max_path_cm"):
        run_white_mcml(skin(MUA_550), n_above=1, n_below=1, photons=100, seed=1, max_path_cm=0)
    with pytest.raises(InputError, match="semi-infinite"):
        run_white_mcml(
            skin(MUA_550), n_above=1, n_below=1, photons=100, seed=1, max_path_cm=math.inf
        )
