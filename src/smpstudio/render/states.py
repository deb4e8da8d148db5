"""How each dot looks in each state: size, colour and blur from the appearance table.

Every dot's colour comes from its own depth, dilution and the client's skin type through
``appearance.lookup_many``, and its blur from ``appearance.blur_sigma_mm`` (the table's
diffusion-theory record), so the pictures and the physics agree.

* ``before``: no dots.
* ``healed`` (four weeks after the final session): the healed diameter; pigment load
  ``1 - dilution`` (optics.pigment: 1 = neat healed pigment); blur from the depth.
* ``fresh`` (right after the final session): the final session's dots are 1.7 x the healed
  diameter (reference/domain.md: fresh dots are 1.5-2 x the healed size), carry the fresh load
  ``1.5 (1 - dilution)`` (optics.pigment.FRESH_PIGMENT_FRAC: a third is lost while healing)
  and half the healed blur (ink still sits partly in the wound channel, above the depth the
  blur model assumes; a rendering choice), each with a faint erythema halo. Dots of earlier
  sessions are healed by then (sessions are 1-4 weeks apart; reference/domain.md).
* ``faded`` (at the touch-up date): healed, with the load times ``faded_remaining_frac``.

Blur: the healed diameters of reference/domain.md (0.12 mm 1RL, 0.20 mm 3RL) are what
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
from smpstudio.render.scene import RenderScene, State, check_state

REFERENCE_DEPTH_MM = 0.3  # standard SMP depth at which the healed diameters are measured
EDGE_SOFTNESS_FRAC = 0.15  # soft edge of a healed dot, as a fraction of its radius
FloatArray = npt.NDArray[np.float64]

FRESH_DIAMETER_SCALE = 1.7
FRESH_BLUR_SCALE = 0.5
ERYTHEMA_RADIUS_SCALE = 2.0
ERYTHEMA_TINT = (1.0, 0.84, 0.84)
ERYTHEMA_BLUR_MM = 0.2
MAX_PIGMENT_FRAC = 2.0
# Transport mean free path 1/mus' of the dermis at 550 nm: mus' = 42.4 [0.62 (550/500)^-4 +
# 0.38 (550/500)^-1] = 32.6 per cm (Jacques 2013, Phys Med Biol 58:R37) -> 0.31 mm.
TRANSPORT_MFP_MM = 0.31
# Capacitance of a thin disc (8 a) over its two-sided geometric interception (pi a^2 / 2 per
# unit fluence): diffusion-limited capture by a black disc of radius a exceeds its geometric
# interception by 16 l* / (3 pi a) (Smoluchowski 1917 capture by a perfect absorber; disc
# capacitance, Jackson, Classical Electrodynamics, 3rd ed., problem 3.3).
DISC_CAPTURE_COEFF = 16.0 / (3.0 * np.pi)
# That diffusion-limited excess holds for a >> l*; a dot smaller than l* cannot draw light
# from an ever wider area, so the excess saturates. The two limits are combined as series
# resistances (Collins & Kimball 1949, J Colloid Sci 4:425), 1/x = 1/x_diff + 1/CAPTURE_SAT,
# and the saturation and the (weak) depth dependence are fitted to the project's finite-disc
# Monte Carlo (smpstudio.optics.disc, 550 nm, type 3, 3-4e5 packets): E = 3.70, 3.33, 3.08,
# 2.15 for a = 0.06, 0.08, 0.10, 0.30 mm at z = 0.3 mm; 3.13 at z = 0.15, 3.81 at z = 0.45,
# 3.87 at z = 0.6 mm (a = 0.06-0.08). The fit is within 4 % of every one of them.
CAPTURE_SAT = 4.0
CAPTURE_DEPTH_MM = 0.09
# The same Monte Carlo spreads the shadow widely: half of it lies beyond r = 0.49 mm of a
# 0.16 mm dot at z = 0.3 mm (0.36 mm at z = 0.15, 0.61 mm at z = 0.45). A Gaussian halo of
# sigma = HALO_SPREAD sqrt(z l*) around the dot's core reproduces the radii holding 50, 70
# and 90 % of it to within ~10 % (diffusive spread grows as the root of depth x step length).
HALO_SPREAD = 2.0


def capture_enhancement(radius_mm: npt.ArrayLike, depth_mm: npt.ArrayLike) -> FloatArray:
    """Integrated shadow of a small pigment dot over its face x the sheet contrast, ``E``.

    Light diffuses laterally under and around a strongly absorbing dot, so a dot smaller than
    the transport mean free path ``l*`` darkens a wider area than it covers:
    ``E = 1 + g(z) x / (1 + x / CAPTURE_SAT)`` with ``x = 16 l* / (3 pi a)``, the
    diffusion-limited excess of a black disc, saturating for ``a << l*`` (Collins-Kimball),
    and ``g(z) = 1 - exp(-z / CAPTURE_DEPTH_MM)`` (a dot at the very surface casts only its
    own shadow). Fitted to the finite-disc Monte Carlo (constants above).

    Parameters
    ----------
    radius_mm, depth_mm
        Dot radius (> 0) and pigment depth (>= 0), mm, broadcastable.

    Returns
    -------
    E, >= 1, the broadcast shape; falls with the radius and rises with the depth.
    """
    a = np.maximum(np.asarray(radius_mm, dtype=np.float64), 1e-6)
    z = np.maximum(np.asarray(depth_mm, dtype=np.float64), 0.0)
    x = DISC_CAPTURE_COEFF * TRANSPORT_MFP_MM / a
    return np.asarray(1.0 + (1.0 - np.exp(-z / CAPTURE_DEPTH_MM)) * x / (1.0 + x / CAPTURE_SAT))


def halo_sigma_mm(depth_mm: npt.ArrayLike) -> FloatArray:
    """Gaussian sigma (mm) of a dot's diffuse shadow at ``depth_mm`` (constants above)."""
    z = np.maximum(np.asarray(depth_mm, dtype=np.float64), 0.0)
    return np.asarray(HALO_SPREAD * np.sqrt(z * TRANSPORT_MFP_MM))


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
    load = 1.0 - dots.dilution
    radius = 0.5 * dots.diameter_mm.copy()
    reference = float(np.asarray(blur_sigma_mm(np.array([REFERENCE_DEPTH_MM]), fitz))[0])
    extra = np.asarray(blur_sigma_mm(dots.depth_mm, fitz), dtype=np.float64) - reference
    blur = np.maximum(extra, 0.0) + EDGE_SOFTNESS_FRAC * radius
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
        halo_area_mm2=(capture_enhancement(radius, dots.depth_mm) - 1.0) * np.pi * radius**2,
        halo_sigma_mm=halo_sigma_mm(dots.depth_mm),
        skin_rgb=skin,
    )
