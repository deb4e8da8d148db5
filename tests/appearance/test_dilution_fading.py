"""Dilution and fading change a dot's colour as practitioners see it (docs/optics.md s. 3).

SMP practice (docs/references.md): session 1 is deliberately lighter (more dilution),
healed dots read 0-3 shades lighter than fresh, and fading to the touch-up date is visible.
The pigment calibration (optics/pigment.py, fill_frac) must keep the colour responsive to the
load over 0.3-1.5 instead of saturating into one shade. Type III at 0.3 mm is the reference.
"""

from __future__ import annotations

import numpy as np
import pytest

from smpstudio import appearance
from smpstudio.appearance.table import load_table
from smpstudio.optics import colour as col
from smpstudio.optics.pigment import FRESH_PIGMENT_FRAC, pigment_frac_for

TABLE = load_table()
WL_550 = TABLE.wavelengths_nm.tolist().index(550.0)

# The loads of the plan's states (course/ and render/states.py): session 3 ink (dilution 0.15)
# healed, fresh, faded to ~70 % (touch-up date), and session 1 ink (dilution 0.45) healed.
HEALED = pigment_frac_for(dilution_frac=0.15)
FRESH = pigment_frac_for(dilution_frac=0.15, fresh=True)
FADED = pigment_frac_for(dilution_frac=0.15, remaining_frac=0.7)
SESSION_1 = pigment_frac_for(dilution_frac=0.45)


def deficit_550(fitzpatrick: int, depth_mm: float, pigment_frac: float) -> float:
    """Reflectance deficit 1 - R_dot / R_skin at 550 nm."""
    r = TABLE.dot_spectra(fitzpatrick, depth_mm, pigment_frac)[WL_550]
    return 1.0 - float(r) / float(TABLE.skin_reflectance[fitzpatrick - 1, WL_550])


def dot_to_dot_de(fitzpatrick: int, depth_mm: float, frac_a: float, frac_b: float) -> float:
    a = appearance.lookup(fitzpatrick, depth_mm, frac_a).dot_lab
    b = appearance.lookup(fitzpatrick, depth_mm, frac_b).dot_lab
    return float(col.delta_e_ciede2000(a, b))


def test_loads_of_the_plan_states():
    assert (HEALED, FRESH, FADED, SESSION_1) == pytest.approx((0.85, 1.275, 0.595, 0.55))
    assert FRESH_PIGMENT_FRAC * HEALED == pytest.approx(FRESH)


@pytest.mark.parametrize("fitzpatrick", [2, 3, 5])
def test_contrast_falls_strictly_with_load_from_fresh_neat_to_faded(fitzpatrick):
    """From 1.5 (fresh neat) down to 0.3, every 0.1 less pigment is a lighter dot."""
    loads = np.round(np.arange(1.5, 0.3 - 1e-9, -0.1), 6)
    looks = [appearance.lookup(fitzpatrick, 0.3, float(f)) for f in loads]
    de = np.array([a.delta_e2000 for a in looks])
    lightness = np.array([a.dot_lab[0] for a in looks])
    deficit = np.array([deficit_550(fitzpatrick, 0.3, float(f)) for f in loads])
    assert np.all(np.diff(de) < -0.3), de  # not saturated anywhere in the working range
    assert np.all(np.diff(lightness) > 0.15), lightness
    assert np.all(np.diff(deficit) < -0.004), deficit


def test_session_one_and_faded_dots_are_visibly_lighter():
    """Type III, 0.3 mm: session 1 vs session 3 ink, faded vs healed, healed vs fresh."""
    assert dot_to_dot_de(3, 0.3, HEALED, SESSION_1) > 3.0
    assert dot_to_dot_de(3, 0.3, HEALED, FADED) > 2.5
    # healed reads lighter than fresh, by a few shades rather than a different colour
    assert 1.5 < dot_to_dot_de(3, 0.3, FRESH, HEALED) < 6.0
    lab = {f: appearance.lookup(3, 0.3, f).dot_lab[0] for f in (FRESH, HEALED, FADED, SESSION_1)}
    assert lab[FRESH] < lab[HEALED] < lab[FADED] < lab[SESSION_1]


def test_calibration_targets_type_iii_at_0_3_mm():
    """The targets the pigment calibration was chosen for (docs/optics.md section 3)."""
    neat = appearance.lookup(3, 0.3, 1.0)
    drop = neat.skin_lab[0] - neat.dot_lab[0]
    assert 12.0 < drop < 16.0  # a clearly dark dot, lighter than a saturated black tattoo
    assert 0.33 < deficit_550(3, 0.3, 1.0) < 0.43
    assert 0.25 < deficit_550(3, 0.3, SESSION_1) < 0.35
    assert deficit_550(3, 0.3, SESSION_1) < 0.85 * deficit_550(3, 0.3, 1.0)
    # still far from black: the deficit keeps growing up to fresh neat pigment (load 1.5)
    assert deficit_550(3, 0.3, 1.5) - deficit_550(3, 0.3, 1.0) > 0.02


def test_deficit_is_concave_and_near_proportional_at_low_load():
    """Small loads darken in proportion (single shading); more pigment shades less per unit."""
    loads = np.array([0.05, 0.1, 0.2, 0.4, 0.8, 1.6])
    d = np.array([deficit_550(3, 0.3, float(f)) for f in loads])
    per_load = d / loads
    assert np.all(np.diff(per_load) < 0)
    assert d[0] / d[1] > 0.45  # doubling a small load nearly doubles the deficit
