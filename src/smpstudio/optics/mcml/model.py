"""Value types of the MCML engine: layers, tally grids and results.

Units follow MCML (Wang, Jacques & Zheng 1995): lengths in cm, coefficients per cm.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class Layer:
    """One laterally infinite layer of a turbid (or clear) medium.

    Parameters
    ----------
    n
        Refractive index, > 0.
    mua_per_cm
        Absorption coefficient, >= 0 (1/cm).
    mus_per_cm
        Scattering coefficient, >= 0 (1/cm). ``0`` makes a clear layer that packets cross in
        one step to the boundary, with exact Beer-Lambert attenuation.
    g
        Henyey-Greenstein anisotropy, -1..1.
    thickness_cm
        Thickness, > 0 (cm); ``math.inf`` for a semi-infinite last layer.
    """

    n: float
    mua_per_cm: float
    mus_per_cm: float
    g: float
    thickness_cm: float

    def __post_init__(self) -> None:
        _check(math.isfinite(self.n) and self.n > 0.0, "layer.n", self.n, "a number > 0")
        _check(
            math.isfinite(self.mua_per_cm) and self.mua_per_cm >= 0.0,
            "layer.mua_per_cm",
            self.mua_per_cm,
            "a number >= 0",
        )
        _check(
            math.isfinite(self.mus_per_cm) and self.mus_per_cm >= 0.0,
            "layer.mus_per_cm",
            self.mus_per_cm,
            "a number >= 0",
        )
        _check(-1.0 <= self.g <= 1.0, "layer.g", self.g, "-1..1")
        _check(
            self.thickness_cm > 0.0 and not math.isnan(self.thickness_cm),
            "layer.thickness_cm",
            self.thickness_cm,
            "a number > 0 (math.inf for a semi-infinite last layer)",
        )

    @property
    def is_glass(self) -> bool:
        """True for a clear, non-absorbing layer (MCML's 'glass': mua = mus = 0)."""
        return self.mua_per_cm == 0.0 and self.mus_per_cm == 0.0


@dataclass(frozen=True, kw_only=True)
class Grid:
    """Tally grid of MCML's ``.mci`` file: steps and bin counts in depth z and radius r.

    Parameters
    ----------
    dz_cm, dr_cm
        Bin widths (cm), > 0.
    nz, nr
        Bin counts, >= 1. As in MCML, the last bin also collects everything beyond the grid.
    na
        Number of exit-angle bins in the ``.mci`` file; kept for fidelity, not tallied.
    """

    dz_cm: float
    dr_cm: float
    nz: int
    nr: int
    na: int = 1

    def __post_init__(self) -> None:
        for name in ("dz_cm", "dr_cm"):
            value = getattr(self, name)
            _check(math.isfinite(value) and value > 0.0, f"grid.{name}", value, "a number > 0")
        for name in ("nz", "nr", "na"):
            value = getattr(self, name)
            _check(isinstance(value, int) and value >= 1, f"grid.{name}", value, "an integer >= 1")

    @property
    def r_cm(self) -> FloatArray:
        """Radial bin centres (cm), shape (nr,)."""
        return np.asarray((np.arange(self.nr) + 0.5) * self.dr_cm, dtype=np.float64)

    @property
    def z_cm(self) -> FloatArray:
        """Depth bin centres (cm), shape (nz,)."""
        return np.asarray((np.arange(self.nz) + 0.5) * self.dz_cm, dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class McmlResult:
    """Result of one MCML run; fractions of the incident power.

    ``specular_reflectance + diffuse_reflectance + absorbed + transmittance`` is 1 up to the
    (unbiased) Russian-roulette noise. Standard errors are sd / sqrt(batches) over independent
    batches. ``transmittance`` is the total: unscattered plus diffuse.

    ``rd_r_per_cm2`` (shape (nr,)) is the diffuse reflectance per unit area against radius and
    ``a_z_per_cm`` (shape (nz,)) the absorbed fraction per unit depth, both on ``grid`` (MCML's
    ``Rd_r`` and ``A_z``); both are ``None`` without a grid.
    """

    specular_reflectance: float
    diffuse_reflectance: float
    diffuse_reflectance_stderr: float
    absorbed: float
    absorbed_stderr: float
    absorbed_by_layer: FloatArray
    absorbed_by_layer_stderr: FloatArray
    transmittance: float
    transmittance_stderr: float
    photons: int
    seed: int
    batches: int
    seconds: float
    photons_per_second: float
    grid: Grid | None = None
    rd_r_per_cm2: FloatArray | None = None
    a_z_per_cm: FloatArray | None = None
    layers: tuple[Layer, ...] = field(default=(), repr=False)

    @property
    def rd_r(self) -> FloatArray | None:
        """Alias of ``rd_r_per_cm2`` (MCML's name)."""
        return self.rd_r_per_cm2

    @property
    def a_z(self) -> FloatArray | None:
        """Alias of ``a_z_per_cm`` (MCML's name)."""
        return self.a_z_per_cm

    @property
    def total_reflectance(self) -> float:
        """Specular plus diffuse reflectance."""
        return self.specular_reflectance + self.diffuse_reflectance

    def to_dict(self) -> dict[str, Any]:
        """The keys of docs/interface.md section 5 (without ``output_file``), JSON-ready."""
        return {
            "photons": self.photons,
            "seed": self.seed,
            "specular_reflectance": self.specular_reflectance,
            "diffuse_reflectance": self.diffuse_reflectance,
            "diffuse_reflectance_stderr": self.diffuse_reflectance_stderr,
            "absorbed": self.absorbed,
            "absorbed_stderr": self.absorbed_stderr,
            "absorbed_by_layer": [float(a) for a in self.absorbed_by_layer],
            "transmittance": self.transmittance,
            "transmittance_stderr": self.transmittance_stderr,
            "seconds": self.seconds,
            "photons_per_second": self.photons_per_second,
        }


def check_stack(layers: Sequence[Layer], n_above: float, n_below: float) -> tuple[Layer, ...]:
    """Validate a layer stack and the ambient indices; return the layers as a tuple.

    Raises
    ------
    InputError
        No layers, a non-Layer item, a semi-infinite layer that is not the last, or an
        ambient index that is not a number > 0.
    """
    stack = tuple(layers)
    _check(len(stack) >= 1, "layers", len(stack), "at least one layer")
    for i, layer in enumerate(stack):
        _check(isinstance(layer, Layer), f"layers[{i}]", layer, "a Layer")
        if i < len(stack) - 1:
            _check(
                math.isfinite(layer.thickness_cm),
                f"layers[{i}].thickness_cm",
                layer.thickness_cm,
                "finite (only the last layer may be semi-infinite)",
            )
    for name, value in (("n_above", n_above), ("n_below", n_below)):
        _check(math.isfinite(value) and value > 0.0, name, value, "a number > 0")
    return stack


def _check(ok: bool, field_name: str, value: object, allowed: str) -> None:
    if not ok:
        raise InputError(field_name, value, allowed)
