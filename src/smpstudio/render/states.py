"""How each dot looks in each state: size, colour and blur from the appearance table.

Every dot's colour comes from its own depth, dilution and the client's skin type through
``appearance.lookup_many``, and its blur from ``appearance.blur_sigma_mm`` (the table's
diffusion-theory record), so the pictures and the physics agree.

* ``before``: no dots.
* ``healed`` (four weeks after the final session): the healed diameter; pigment load
  ``1 - dilution`` (optics.pigment: 1 = neat healed pigment); blur from the depth.
* ``fresh`` (right after the final session): the final session's dots are 1.7 x the healed
  diameter (SMP practice: fresh dots are 1.5-2 x the healed size), carry the fresh load
  ``1.5 (1 - dilution)`` (optics.pigment.FRESH_PIGMENT_FRAC: a third is lost while healing)
  and half the healed blur (ink still sits partly in the wound channel, above the depth the
  blur model assumes; a rendering choice), each with a faint erythema halo. Dots of earlier
  sessions are healed by then (sessions are 1-4 weeks apart; SMP practice).
* ``faded`` (at the touch-up date): healed, with the load times ``faded_remaining_frac``.

Blur: the healed diameters of SMP practice (0.12 mm 1RL, 0.20 mm 3RL) are what
practitioners measure on healed skin, so they already include the optical spread of pigment at
the standard depth (``REFERENCE_DEPTH_MM``, 0.3 mm). A dot is therefore drawn at its healed
diameter with a soft edge (``EDGE_SOFTNESS_FRAC`` of its radius) plus only the blur its depth
adds beyond the reference, ``max(b(depth) - b(0.3), 0)`` with ``b`` the table's
diffusion-theory blur. Deep pigment (blowout) spreads into a soft grey patch;
pigment at the planned depth reads as a crisp dot, as healed SMP does.

Diffuse shadow: the table's contrast is that of a laterally infinite pigment sheet, but a dot
smaller than the dermis's transport mean free path absorbs light that diffuses in from around
it, so its integrated shadow is ``E`` times its face x the sheet contrast
(:func:`capture_enhancement`, E = 3-4 for healed SMP dots), most of it spread over a
millimetre around the dot. The core keeps the healed diameter and contrast; the rest,
``(E - 1) pi r^2`` of full contrast, is drawn as a faint Gaussian halo
(:func:`halo_sigma_mm`, render.halo). Halos of neighbouring dots overlap into the even soft
"shadow" of a shaved head that treated skin shows at conversation distance.

Erythema: needling leaves a pink flush around each puncture for a day or two. It is drawn as
a soft disc of 2 x the fresh dot's radius that multiplies the skin by (1.00, 0.84, 0.84) at
its centre: the flush of mild erythema raises a* by about 5-8 units (Clarys et al. 2000,
Skin Res Technol 6:230, a* of erythema grades), which this reddening reproduces on type II-IV
skin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from smpstudio.appearance import FRESH_PIGMENT_FRAC, blur_sigma_mm, lookup_many
from smpstudio.optics.pigment import MAX_PIGMENT_FRAC, PigmentParameters
from smpstudio.render.scene import RenderScene, State, check_state

REFERENCE_DEPTH_MM = 0.3  # standard SMP depth at which the healed diameters are measured
EDGE_SOFTNESS_FRAC = 0.15  # soft edge of a healed dot, as a fraction of its radius
FloatArray = npt.NDArray[np.float64]

FRESH_DIAMETER_SCALE = 1.7
FRESH_BLUR_SCALE = 0.5
ERYTHEMA_RADIUS_SCALE = 2.0
ERYTHEMA_TINT = (1.0, 0.84, 0.84)
ERYTHEMA_BLUR_MM = 0.2
# Transport mean free path 1/mus' of the dermis at 550 nm: mus' = 42.4 [0.62 (550/500)^-4 +
# 0.38 (550/500)^-1] = 32.6 per cm (Jacques 2013, Phys Med Biol 58:R37) -> 0.31 mm.
TRANSPORT_MFP_MM = 0.31
# The shadow of a finite dot, from the project's finite-disc Monte Carlo
# (smpstudio.optics.disc; docs/optics-disc.md; 550 nm, type III, the pigment calibration of
# optics.pigment): a healed dot darkens E times its face x the infinite-sheet contrast, because
# light diffuses under and around it. Fitted over a = 0.03-0.3 mm, z = 0.1-0.8 mm, 48 points,
# within 3.3 % (rms 1.4 %) for neat pigment:
#   E = 1 + 0.73 (l*/a)^0.36 (1 - 0.33 exp(-z / 0.25 mm)) G(tau),
#   G(tau) = (1 - exp(-1.14 tau)) / (1 - exp(-1.14 tau_1)), tau = band optical depth at 550 nm.
# A dot at the very surface casts only its own shadow (factor 1 - exp(-z / 0.02 mm), <1 % at
# z >= 0.1 mm).
CAPTURE_COEFF = 0.73
CAPTURE_SIZE_EXPONENT = 0.36
CAPTURE_DEPTH_AMPLITUDE = 0.33
CAPTURE_DEPTH_MM = 0.25
CAPTURE_SURFACE_MM = 0.02
CAPTURE_TAU_COEFF = 1.14
# As a Gaussian around the dot, the Monte Carlo's shadow has sigma = 0.19 + 0.69 z mm (within
# 0.025 mm for z = 0.1-0.6 mm; 0.25 / 0.42 / 0.60 mm at z = 0.1 / 0.3 / 0.6).
HALO_SIGMA_AT_SURFACE_MM = 0.19
HALO_SIGMA_PER_DEPTH = 0.69


def capture_enhancement(
    radius_mm: npt.ArrayLike, depth_mm: npt.ArrayLike, pigment_frac: npt.ArrayLike = 1.0
) -> FloatArray:
    """Integrated shadow of a pigment dot over its face x the sheet contrast, ``E`` (>= 1).

    The finite-disc Monte Carlo fit above. The renderer draws the dot's core at its healed
    diameter with the table's (sheet) contrast, the practitioners' measured healed size, and
    spreads the remaining ``E - 1`` of the shadow as a soft Gaussian halo, so the integrated
    darkening, which is what the eye sees at conversation distance, is the Monte Carlo's.

    Parameters
    ----------
    radius_mm, depth_mm
        Dot radius (> 0) and pigment depth (>= 0), mm, broadcastable.
    pigment_frac
        Pigment load (optics.pigment: 1 = neat healed).
    """
    a = np.maximum(np.asarray(radius_mm, dtype=np.float64), 1e-6)
    z = np.maximum(np.asarray(depth_mm, dtype=np.float64), 0.0)
    load = np.maximum(np.asarray(pigment_frac, dtype=np.float64), 0.0)
    tau_unit = PigmentParameters().coverage_per_frac
    g = -np.expm1(-CAPTURE_TAU_COEFF * tau_unit * load) / -np.expm1(-CAPTURE_TAU_COEFF * tau_unit)
    depth = (1.0 - CAPTURE_DEPTH_AMPLITUDE * np.exp(-z / CAPTURE_DEPTH_MM)) * -np.expm1(
        -z / CAPTURE_SURFACE_MM
    )
    size = (TRANSPORT_MFP_MM / a) ** CAPTURE_SIZE_EXPONENT
    return np.asarray(1.0 + CAPTURE_COEFF * size * depth * g)


def core_blur_sigma_mm(radius_mm: FloatArray, depth_mm: FloatArray, fitzpatrick: int) -> FloatArray:
    """Blur of a dot's core: a soft edge plus only what depth adds beyond the reference depth
    at which the healed diameters are measured (module docstring, Blur)."""
    reference = float(np.asarray(blur_sigma_mm(np.array([REFERENCE_DEPTH_MM]), fitzpatrick))[0])
    extra = np.asarray(blur_sigma_mm(depth_mm, fitzpatrick), dtype=np.float64) - reference
    return np.asarray(np.maximum(extra, 0.0) + EDGE_SOFTNESS_FRAC * np.asarray(radius_mm))


def halo_area_mm2(
    radius_mm: FloatArray, depth_mm: FloatArray, pigment_frac: FloatArray
) -> FloatArray:
    """Area of full contrast carried by a dot's halo: ``(E - 1) pi a^2``."""
    a = np.asarray(radius_mm, dtype=np.float64)
    return np.asarray((capture_enhancement(a, depth_mm, pigment_frac) - 1.0) * np.pi * a**2)


def halo_sigma_mm(depth_mm: npt.ArrayLike) -> FloatArray:
    """Gaussian sigma (mm) of a dot's diffuse shadow at ``depth_mm`` (fit above)."""
    z = np.maximum(np.asarray(depth_mm, dtype=np.float64), 0.0)
    return np.asarray(HALO_SIGMA_AT_SURFACE_MM + HALO_SIGMA_PER_DEPTH * z)


@dataclass(frozen=True, kw_only=True)
class DotLook:
    """The drawn dots of one state (only the dots that show in it).

    Attributes
    ----------
    index : (K,) rows of ``scene.dots`` drawn.
    radius_mm : (K,) disc radius on the skin.
    rgb : (K, 3) linear RGB of the skin over the dot (appearance table).
    blur_sigma_mm : (K,) Gaussian blur of the dot's edge.
    erythema : (K,) whether the dot has a fresh erythema halo.
    halo_area_mm2 : (K,) the dot's diffuse shadow as an area of full contrast,
        ``(E - 1) pi r^2`` (:func:`capture_enhancement`), spread around the core.
    halo_sigma_mm : (K,) Gaussian sigma of that spread (:func:`halo_sigma_mm`).
    skin_rgb : (3,) linear RGB of the client's skin (the table's), the multiply reference.
    """

    index: npt.NDArray[np.int64]
    radius_mm: FloatArray
    rgb: FloatArray
    blur_sigma_mm: FloatArray
    erythema: npt.NDArray[np.bool_]
    skin_rgb: FloatArray
    halo_area_mm2: FloatArray = field(default_factory=lambda: np.zeros(0))
    halo_sigma_mm: FloatArray = field(default_factory=lambda: np.zeros(0))


def skin_linear_rgb(fitzpatrick: int) -> FloatArray:
    """The skin's linear RGB from the appearance table, ``(3,)``."""
    return np.asarray(lookup_many(fitzpatrick, [0.3], [0.0])[1], dtype=np.float64)


def dot_look(scene: RenderScene, state: State | str) -> DotLook:
    """Size, colour and blur of each dot of ``scene`` in ``state``."""
    st = check_state(state)
    dots = scene.dots
    fitz = int(scene.skin_fitzpatrick)
    skin = skin_linear_rgb(fitz)
    if st == "before" or dots.count == 0:
        z = np.zeros(0)
        return DotLook(
            index=np.zeros(0, dtype=np.int64),
            radius_mm=z,
            rgb=np.zeros((0, 3)),
            blur_sigma_mm=z,
            erythema=np.zeros(0, dtype=bool),
            skin_rgb=skin,
        )
    load = 1.0 - dots.dilution_frac
    radius = 0.5 * dots.diameter_mm.copy()
    blur = core_blur_sigma_mm(radius, dots.depth_mm, fitz)
    fresh = np.zeros(dots.count, dtype=bool)
    if st == "fresh":
        fresh = dots.session == dots.session.max()
        load = np.where(fresh, FRESH_PIGMENT_FRAC * load, load)
        radius = np.where(fresh, FRESH_DIAMETER_SCALE * radius, radius)
        blur = np.where(fresh, FRESH_BLUR_SCALE * blur, blur)
    elif st == "faded":
        load = load * float(scene.faded_remaining_frac)
    load = np.clip(load, 0.0, MAX_PIGMENT_FRAC)
    rgb, _ = lookup_many(fitz, dots.depth_mm, load)
    return DotLook(
        index=np.arange(dots.count, dtype=np.int64),
        radius_mm=radius,
        rgb=np.clip(rgb, 0.0, None),
        blur_sigma_mm=np.asarray(blur, dtype=np.float64),
        erythema=fresh,
        halo_area_mm2=halo_area_mm2(radius, dots.depth_mm, load),
        halo_sigma_mm=halo_sigma_mm(dots.depth_mm),
        skin_rgb=skin,
    )
