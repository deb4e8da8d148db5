"""White Monte Carlo: one absorption-free run, reweighted for any absorption.

With mua = 0 in every layer a packet's weight never drops, and the diffuse reflectance of the
same stack with absorption mua_i is sum_k w_k exp(-sum_i mua_i l_ki) / N over the packets k that
escape through the top, l_ki being the path of packet k in layer i (Graaff et al., Appl. Opt.
32:426 (1993); Kienle & Patterson, J. Opt. Soc. Am. A 13:2380 (1996); Alerstam et al., J. Biomed.
Opt. 13:041304 (2008)). A table over many absorption sets is then a matrix product.

Without absorption no packet ever plays Russian roulette (its weight stays 1 - Rsp), so every
packet is followed until it leaves the stack or reaches the path cap.

Path cap. Without absorption a packet in a thick or semi-infinite medium may wander for a very
long time. A packet whose total path exceeds ``max_path_cm`` is stopped; had it gone on and
escaped, its weight would have been at most w exp(-mua_min max_path_cm), mua_min being the
smallest absorption of any layer it could visit. With the default 30 cm and the weakest
absorption of bloodless, melanin-free tissue in the visible, mua_base(700 nm) = 0.25 /cm (Jacques
2013), that factor is below 6e-4, and ``truncated_weight`` reports how
much weight was stopped, so the bias bound truncated_weight x exp(-mua_min max_path_cm) is
known for every run. The bias is always downward (the reweighted Rd is a slight under-estimate).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.optics.mcml.engine import (
    STREAM_WHITE,
    build_stack,
    launch,
    split_packets,
    truncated_fraction,
    warm_up,
)
from smpstudio.optics.mcml.model import FloatArray, Layer, check_stack

DEFAULT_MAX_PATH_CM = 30.0
ROWS_PER_CHUNK = 32768  # records per block of the reweighting product (bounds memory)


@dataclass(frozen=True, kw_only=True)
class WhitePaths:
    """Escaping packets of an absorption-free run: weights and per-layer path lengths.

    Attributes
    ----------
    weights
        Shape (K,): weight of each packet that escaped through the top surface.
    path_cm
        Shape (K, n_layers): its path length in each layer (cm).
    batch
        Shape (K,): the batch (0..batches - 1) the packet belongs to.
    batch_photons
        Shape (batches,): packets launched per batch.
    photons
        Packets launched in all.
    specular_reflectance
        Fresnel reflectance of the top surface at normal incidence.
    truncated_weight
        Weight stopped by the path cap, as a fraction of ``photons``.
    max_path_cm
        The path cap.
    """

    weights: FloatArray
    path_cm: FloatArray
    batch: npt.NDArray[np.int64]
    batch_photons: npt.NDArray[np.int64]
    photons: int
    seed: int
    specular_reflectance: float
    truncated_weight: float
    max_path_cm: float
    seconds: float
    layers: tuple[Layer, ...] = field(repr=False)

    @property
    def n_layers(self) -> int:
        return int(self.path_cm.shape[1])

    def truncation_bias_bound(self, mua_per_cm: npt.ArrayLike) -> FloatArray:
        """Upper bound of the downward bias of :meth:`reflectance` due to the path cap.

        A stopped packet would have escaped, if at all, with at most its weight times
        exp(-min_i mua_i max_path_cm); the bound is that times ``truncated_weight``.

        Parameters
        ----------
        mua_per_cm
            Shape (..., n_layers), as for :meth:`reflectance`.

        Returns
        -------
        numpy.ndarray
            Shape (...), in reflectance units.
        """
        mua = self._checked(mua_per_cm)
        if math.isinf(self.max_path_cm):
            return np.zeros(mua.shape[:-1])
        return np.asarray(
            self.truncated_weight * np.exp(-mua.min(axis=-1) * self.max_path_cm), dtype=np.float64
        )

    def reflectance(self, mua_per_cm: npt.ArrayLike) -> FloatArray:
        """Diffuse reflectance for absorption coefficients ``mua_per_cm``.

        Parameters
        ----------
        mua_per_cm
            Shape (..., n_layers): absorption of each layer (1/cm), >= 0.

        Returns
        -------
        numpy.ndarray
            Shape (...): sum_k w_k exp(-sum_i mua_i l_ki) / photons.
        """
        return self._per_batch(mua_per_cm).sum(axis=-1) / self.photons

    def reflectance_with_stderr(self, mua_per_cm: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
        """Diffuse reflectance and its standard error over the batches, each shape (...)."""
        sums = self._per_batch(mua_per_cm)
        frac = sums / self.batch_photons
        stderr = frac.std(axis=-1, ddof=1) / math.sqrt(self.batch_photons.shape[0])
        return sums.sum(axis=-1) / self.photons, stderr

    def _checked(self, mua_per_cm: npt.ArrayLike) -> FloatArray:
        mua = np.asarray(mua_per_cm, dtype=np.float64)
        if mua.ndim == 0 or mua.shape[-1] != self.n_layers:
            raise InputError("mua_per_cm", mua.shape, f"an array of shape (..., {self.n_layers})")
        if not (np.all(np.isfinite(mua)) and np.all(mua >= 0.0)):
            raise InputError("mua_per_cm", "negative or non-finite values", "finite values >= 0")
        return mua

    def _per_batch(self, mua_per_cm: npt.ArrayLike) -> FloatArray:
        """Reweighted escaping weight per batch, shape (..., batches)."""
        mua = self._checked(mua_per_cm)
        flat = mua.reshape(-1, self.n_layers)
        n_batches = self.batch_photons.shape[0]
        out = np.zeros((flat.shape[0], n_batches))
        # Records are stored batch by batch, so each batch is a contiguous block of rows.
        starts = np.searchsorted(self.batch, np.arange(n_batches))
        ends = np.append(starts[1:], self.batch.shape[0])
        for b in range(n_batches):
            for lo in range(int(starts[b]), int(ends[b]), ROWS_PER_CHUNK):
                hi = min(lo + ROWS_PER_CHUNK, int(ends[b]))
                attenuation = np.exp(-(self.path_cm[lo:hi] @ flat.T))  # (rows, sets)
                out[:, b] += self.weights[lo:hi] @ attenuation
        return out.reshape(*mua.shape[:-1], n_batches)


def run_white_mcml(
    layers: Sequence[Layer],
    *,
    n_above: float,
    n_below: float,
    photons: int,
    seed: int,
    batches: int = 10,
    max_path_cm: float = DEFAULT_MAX_PATH_CM,
) -> WhitePaths:
    """Absorption-free MCML run that records each escaping packet's path in every layer.

    The layers' ``mua_per_cm`` is ignored (set to 0); n, mus, g and thickness are used as given.
    Unlike :func:`run_mcml` a clear top layer is traced rather than folded into the specular
    reflectance, so that its absorption can be applied afterwards.

    Parameters
    ----------
    layers, n_above, n_below, photons, seed, batches
        As for :func:`smpstudio.optics.mcml.run_mcml`.
    max_path_cm
        Path cap (cm), > 0 (``math.inf`` for none; only safe for thin finite stacks). See the
        module docstring for the bias it introduces and its bound.

    Returns
    -------
    WhitePaths
    """
    stack_layers = check_stack(layers, n_above, n_below)
    if not (max_path_cm > 0.0):
        raise InputError("max_path_cm", max_path_cm, "a number > 0 (math.inf for no cap)")
    if math.isinf(max_path_cm) and math.isinf(stack_layers[-1].thickness_cm):
        raise InputError("max_path_cm", max_path_cm, "finite with a semi-infinite last layer")
    stack = build_stack(stack_layers, n_above, n_below, white=True)
    split = split_packets(photons, batches, seed, STREAM_WHITE)
    n1 = stack_layers[0].n
    rsp = ((n_above - n1) / (n_above + n1)) ** 2
    warm_up()
    tallies = launch(stack, split, w_launch=1.0 - rsp, start_layer=1, grid=None, record=True,
                     max_path_cm=float(max_path_cm))  # fmt: skip
    return WhitePaths(
        weights=tallies.rec_w,
        path_cm=tallies.rec_l,
        batch=split.unit_batch[tallies.rec_unit],
        batch_photons=split.batch_photons,
        photons=photons,
        seed=seed,
        specular_reflectance=rsp,
        truncated_weight=truncated_fraction(tallies, photons),
        max_path_cm=float(max_path_cm),
        seconds=tallies.seconds,
        layers=stack_layers,
    )
