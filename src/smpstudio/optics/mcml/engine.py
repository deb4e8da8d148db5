"""Run MCML: set up the layer arrays and random streams, call the kernel, reduce the tallies.

Wang, L.-H., Jacques, S. L. & Zheng, L.-Q., "MCML - Monte Carlo modeling of light transport in
multi-layered tissues", Comput. Methods Programs Biomed. 47:131-146 (1995); the MCML manual
(Wang & Jacques 1992) for the details kept here (specular reflection with a glass top layer,
critical angles, tally normalisation).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smpstudio.errors import InputError
from smpstudio.optics.mcml.kernel import T_ABS, T_RD, T_TRUNC, T_TT, simulate_units
from smpstudio.optics.mcml.model import FloatArray, Grid, Layer, McmlResult, check_stack

STREAM_DIRECT = 0x4D434D4C  # "MCML": stream id of run_mcml
STREAM_WHITE = 0x57484954  # "WHIT": stream id of run_white_mcml
UNITS_TARGET = 64  # work units per run (load balance up to 64 threads); fixed, not per thread


@dataclass(frozen=True, kw_only=True)
class Stack:
    """Layer arrays in MCML's indexing: 0 above, 1..nl the layers, nl + 1 below."""

    n: FloatArray
    mua: FloatArray
    mus: FloatArray
    g: FloatArray
    z0: FloatArray
    z1: FloatArray
    cos_crit_up: FloatArray
    cos_crit_dn: FloatArray

    @property
    def n_layers(self) -> int:
        return int(self.n.shape[0]) - 2


def build_stack(
    layers: Sequence[Layer], n_above: float, n_below: float, *, white: bool = False
) -> Stack:
    """Layer arrays for the kernel; ``white`` sets every mua to 0."""
    stack = check_stack(layers, n_above, n_below)
    nl = len(stack)
    n = np.array([n_above, *(lay.n for lay in stack), n_below], dtype=np.float64)
    mua = np.array([0.0, *(lay.mua_per_cm for lay in stack), 0.0], dtype=np.float64)
    if white:
        mua[:] = 0.0
    mus = np.array([0.0, *(lay.mus_per_cm for lay in stack), 0.0], dtype=np.float64)
    g = np.array([0.0, *(lay.g for lay in stack), 0.0], dtype=np.float64)
    bottoms = np.cumsum([lay.thickness_cm for lay in stack])
    z0 = np.zeros(nl + 2)
    z1 = np.zeros(nl + 2)
    z0[1:-1] = np.concatenate([[0.0], bottoms[:-1]])
    z1[1:-1] = bottoms
    z0[-1] = z1[-1] = bottoms[-1]
    cos_crit_up = np.zeros(nl + 2)
    cos_crit_dn = np.zeros(nl + 2)
    for i in range(1, nl + 1):
        # MCML CriticalAngle: cos of the critical angle where n drops across the boundary.
        if n[i] > n[i - 1]:
            cos_crit_up[i] = math.sqrt(1.0 - (n[i - 1] / n[i]) ** 2)
        if n[i] > n[i + 1]:
            cos_crit_dn[i] = math.sqrt(1.0 - (n[i + 1] / n[i]) ** 2)
    return Stack(
        n=n, mua=mua, mus=mus, g=g, z0=z0, z1=z1, cos_crit_up=cos_crit_up, cos_crit_dn=cos_crit_dn
    )


def specular_reflectance(layers: Sequence[Layer], n_above: float, n_below: float) -> float:
    """MCML Rspecular: Fresnel reflectance at normal incidence of the top surface.

    With a glass top layer (mua = mus = 0) it includes the multiple reflections inside it:
    r1 + (1 - r1)^2 r2 / (1 - r1 r2) (MCML manual, eq. 3.3).
    """
    stack = check_stack(layers, n_above, n_below)
    n1 = stack[0].n
    r1 = ((n_above - n1) / (n_above + n1)) ** 2
    if not stack[0].is_glass:
        return r1
    n2 = stack[1].n if len(stack) > 1 else n_below
    r2 = ((n1 - n2) / (n1 + n2)) ** 2
    return r1 + (1.0 - r1) ** 2 * r2 / (1.0 - r1 * r2)


@dataclass(frozen=True, kw_only=True)
class PacketSplit:
    """How packets are split: batches (for standard errors) made of work units (for threads)."""

    batch_photons: npt.NDArray[np.int64]  # (batches,)
    unit_photons: npt.NDArray[np.int64]  # (units,)
    unit_batch: npt.NDArray[np.int64]  # (units,)
    states: npt.NDArray[np.uint64]  # (units, 4)


def split_packets(photons: int, batches: int, seed: int, stream: int) -> PacketSplit:
    """Split ``photons`` into ``batches`` and each batch into units with their own streams.

    The split and the streams depend only on (photons, batches, seed, stream), never on the
    number of threads, so a run is reproducible on any machine.
    """
    _check_int("photons", photons, 1)
    _check_int("batches", batches, 2)
    _check_int("seed", seed, 0)
    if photons < batches:
        raise InputError("photons", photons, f"at least the number of batches ({batches})")
    per_unit = max(1, math.ceil(UNITS_TARGET / batches))
    batch_photons = np.array(
        [photons // batches + (b < photons % batches) for b in range(batches)], dtype=np.int64
    )
    unit_photons = np.array(
        [p // per_unit + (j < p % per_unit) for p in batch_photons for j in range(per_unit)],
        dtype=np.int64,
    )
    unit_batch = np.repeat(np.arange(batches, dtype=np.int64), per_unit)
    states = np.array(
        [
            np.random.SeedSequence([seed, stream, u]).generate_state(4, dtype=np.uint64)
            for u in range(unit_photons.shape[0])
        ],
        dtype=np.uint64,
    )
    return PacketSplit(
        batch_photons=batch_photons, unit_photons=unit_photons, unit_batch=unit_batch, states=states
    )


@dataclass(frozen=True, kw_only=True)
class Tallies:
    """Raw per-unit tallies of one kernel call."""

    scal: FloatArray  # (units, 3 + nl)
    rd_r: FloatArray  # (units, nr)
    a_z: FloatArray  # (units, nz)
    rec_w: FloatArray  # (records,)
    rec_l: FloatArray  # (records, nl)
    rec_unit: npt.NDArray[np.int64]  # (records,)
    seconds: float


def launch(
    stack: Stack,
    split: PacketSplit,
    *,
    w_launch: float,
    start_layer: int,
    grid: Grid | None,
    record: bool,
    max_path_cm: float,
) -> Tallies:
    """Run the kernel on every unit of ``split`` and return the raw tallies."""
    nl = stack.n_layers
    units = split.unit_photons.shape[0]
    if grid is None:
        dz, nz, dr, nr = 1.0, 0, 1.0, 0
    else:
        dz, nz, dr, nr = grid.dz_cm, grid.nz, grid.dr_cm, grid.nr
    offsets = np.concatenate([[0], np.cumsum(split.unit_photons)[:-1]]).astype(np.int64)
    n_rec_max = int(split.unit_photons.sum()) if record else 0
    scal = np.zeros((units, 3 + nl))
    rd_r = np.zeros((units, nr))
    a_z = np.zeros((units, nz))
    rec_w = np.zeros(n_rec_max)
    rec_l = np.zeros((n_rec_max, nl))
    rec_n = np.zeros(units, dtype=np.int64)
    states = split.states.copy()
    t0 = time.perf_counter()
    simulate_units(
        states, split.unit_photons, offsets, float(w_launch), int(start_layer),
        stack.n, stack.mua, stack.mus, stack.g, stack.z0, stack.z1,
        stack.cos_crit_up, stack.cos_crit_dn, float(max_path_cm),
        float(dz), int(nz), float(dr), int(nr), scal, rd_r, a_z, bool(record), rec_w, rec_l, rec_n,
    )  # fmt: skip
    seconds = time.perf_counter() - t0
    keep = np.zeros(n_rec_max, dtype=bool)
    rec_unit = np.zeros(n_rec_max, dtype=np.int64)
    for u in range(units if record else 0):
        lo = offsets[u]
        keep[lo : lo + rec_n[u]] = True
        rec_unit[lo : lo + rec_n[u]] = u
    return Tallies(
        scal=scal,
        rd_r=rd_r,
        a_z=a_z,
        rec_w=rec_w[keep],
        rec_l=rec_l[keep],
        rec_unit=rec_unit[keep],
        seconds=seconds,
    )


def warm_up() -> None:
    """Compile (or load from cache) the kernel outside any timed region."""
    stack = build_stack([Layer(n=1.0, mua_per_cm=1.0, mus_per_cm=1.0, g=0.0, thickness_cm=1.0)],
                        1.0, 1.0)  # fmt: skip
    split = split_packets(2, 2, 0, 0)
    for record in (False, True):
        launch(stack, split, w_launch=1.0, start_layer=1, grid=None, record=record,
               max_path_cm=math.inf)  # fmt: skip


def run_mcml(
    layers: Sequence[Layer],
    *,
    n_above: float,
    n_below: float,
    photons: int,
    seed: int,
    batches: int = 10,
    grid: Grid | None = None,
) -> McmlResult:
    """Monte Carlo light transport in a multi-layered medium by the MCML method.

    A normally incident pencil beam of ``photons`` packets, split into ``batches`` independent
    batches for the standard errors. Each batch (in fact each of its work units) has its own
    deterministic random stream, so the same seed gives the same numbers on any thread count.

    Parameters
    ----------
    layers
        The layers from the top down; only the last may have ``thickness_cm = math.inf``.
    n_above, n_below
        Refractive indices of the ambient media above and below.
    photons
        Number of packets, >= batches.
    seed
        Non-negative integer seed.
    batches
        Independent batches, >= 2 (MCML validation uses 10).
    grid
        Optional tally grid for Rd(r) and A(z).

    Returns
    -------
    McmlResult

    Raises
    ------
    InputError
        Bad layers, indices or counts; a semi-infinite layer without absorption (packets in it
        would never end: use :func:`run_white_mcml` there).
    """
    stack_layers = check_stack(layers, n_above, n_below)
    last = stack_layers[-1]
    if math.isinf(last.thickness_cm) and last.mua_per_cm == 0.0:
        raise InputError(
            f"layers[{len(stack_layers) - 1}].mua_per_cm",
            last.mua_per_cm,
            "> 0 for a semi-infinite layer (use run_white_mcml for absorption-free runs)",
        )
    stack = build_stack(stack_layers, n_above, n_below)
    split = split_packets(photons, batches, seed, STREAM_DIRECT)
    rsp = specular_reflectance(stack_layers, n_above, n_below)
    start_layer = 2 if stack_layers[0].is_glass else 1  # MCML LaunchPhoton
    warm_up()
    tallies = launch(stack, split, w_launch=1.0 - rsp, start_layer=start_layer, grid=grid,
                     record=False, max_path_cm=math.inf)  # fmt: skip
    nl = len(stack_layers)
    per_batch = np.zeros((batches, 3 + nl))
    np.add.at(per_batch, split.unit_batch, tallies.scal)
    frac = per_batch / split.batch_photons[:, None]
    total = tallies.scal.sum(axis=0) / photons
    stderr = frac.std(axis=0, ddof=1) / math.sqrt(batches)
    absorbed_frac = frac[:, T_ABS:].sum(axis=1)
    rd_r = a_z = None
    if grid is not None:
        ring_cm2 = math.pi * (2.0 * np.arange(grid.nr) + 1.0) * grid.dr_cm**2
        rd_r = tallies.rd_r.sum(axis=0) / (photons * ring_cm2)
        a_z = tallies.a_z.sum(axis=0) / (photons * grid.dz_cm)
    seconds = tallies.seconds
    return McmlResult(
        specular_reflectance=rsp,
        diffuse_reflectance=float(total[T_RD]),
        diffuse_reflectance_stderr=float(stderr[T_RD]),
        absorbed=float(total[T_ABS:].sum()),
        absorbed_stderr=float(absorbed_frac.std(ddof=1) / math.sqrt(batches)),
        absorbed_by_layer=total[T_ABS:].copy(),
        absorbed_by_layer_stderr=stderr[T_ABS:].copy(),
        transmittance=float(total[T_TT]),
        transmittance_stderr=float(stderr[T_TT]),
        photons=photons,
        seed=seed,
        batches=batches,
        seconds=seconds,
        photons_per_second=photons / seconds if seconds > 0.0 else math.inf,
        grid=grid,
        rd_r_per_cm2=rd_r,
        a_z_per_cm=a_z,
        layers=stack_layers,
    )


def truncated_fraction(tallies: Tallies, photons: int) -> float:
    """Weight of packets stopped by the path cap, as a fraction of the launched photons."""
    return float(tallies.scal[:, T_TRUNC].sum() / photons)


def _check_int(name: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InputError(name, value, f"an integer >= {minimum}")
