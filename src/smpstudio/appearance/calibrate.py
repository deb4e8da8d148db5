"""Calibrate the skin model's colour against measured skin colour (docs/optics.md, section 4).

Measured CIELAB skin colour (D65, 2 degree; the rows and their sources are also in
``tests/data/skin_colour_measured.csv``):

- Alaluf et al., "Ethnic variation in melanin content and composition in photoexposed and
  photoprotected human skin", Pigment Cell Res. 15:112-118 (2002): photoprotected inner upper
  arm, tristimulus chromameter (diffuse illumination, 0 deg viewing: specular included).
- Xiao et al., "Characterising the variations in ethnic skin colours: a new calibrated data
  base for human skin", Skin Res. Technol. 23:21-29 (2017): forehead, spectrophotometer.
  Head skin, sun-exposed like a bald scalp, and redder than the arm.
- Dark skin (Fitzpatrick VI): the "dark skin" chip of the ColorChecker (McCamy, Marcus &
  Davidson, J. Appl. Photogr. Eng. 2:95, 1976), made to the colour of dark human skin, from the
  average measured spectrum of 30 charts (Pascale, BabelColor 2006, as shipped by
  colour-science, ``SDS_COLOURCHECKERS["BabelColor Average"]``); and the darkest-but-one cluster
  of 120 subjects' facial skin (nose tip, upper lip; 45/0 spectroradiometer), Wee et al.,
  "Proposed shade guide for human facial skin", J. Dent. Res. 88 (Spec. Iss. A), abstract
  120461 (IADR 2009). Both lie at L* 38, ITA -40 to -41 deg.

Fitzpatrick types map to the measured groups through the Individual Typology Angle ITA =
atan((L* - 50)/b*) and its categories (Chardon, Cretois & Hourseau, Int. J. Cosmet. Sci.
13:191, 1991; Del Bino & Bernerd, Br. J. Dermatol. 169 s3:33, 2013): very light > 55 deg ~ I,
light 41-55 ~ II, intermediate 28-41 ~ III, tan 10-28 ~ IV, brown -30..10 ~ V, dark < -30 ~ VI.
Alaluf's European group (ITA 48) is then type II, Chinese (37) III, Indian (12) IV, African
(-2.5) V; the two dark references (ITA -41) are VI. Type I has no measured group here: it is
placed inside its ITA category (60 deg).

Instruments see the skin's surface reflection too (specular component included); the
appearance table excludes it (its Lab is specular-excluded, as ``smp appearance`` reports
it). The comparison therefore adds the surface reflectance of
:func:`smpstudio.optics.skin.surface_reflectance_frac` (Fresnel, 0.033) to the model's diffuse
spectrum: like against like. Without it no melanin content reproduces
dark skin: the diffuse reflectance alone of L* 38 skin has b* 25 against the measured 14.

Run ``smp table calibrate --paths-cache build/white-paths --fit`` to refit on the table build's
own white runs (every trial skin is a reweighting, no new simulation).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from smpstudio.appearance.model import AppearanceModel, mcml_layers
from smpstudio.optics import colour as col
from smpstudio.optics.skin import SkinParameters, surface_reflectance_frac, tissue_mua_per_cm

if TYPE_CHECKING:
    from smpstudio.appearance.build import WhitePathsCache

FloatArray = npt.NDArray[np.float64]
WAVELENGTHS_NM = np.arange(400.0, 701.0, 10.0)


@dataclass(frozen=True, kw_only=True)
class SkinTarget:
    """A measured skin colour and the Fitzpatrick type it stands for."""

    fitzpatrick: int
    group: str
    source: str
    site: str
    lab: tuple[float, float, float]


#: Every measured row the fit uses (equal weights), by type; tests/data has the same rows.
MEASURED_SKIN: tuple[SkinTarget, ...] = (
    SkinTarget(fitzpatrick=2, group="European", source="Alaluf 2002", site="inner upper arm",
               lab=(65.0, 7.1, 13.3)),
    SkinTarget(fitzpatrick=3, group="Chinese", source="Alaluf 2002", site="inner upper arm",
               lab=(62.1, 8.4, 16.3)),
    SkinTarget(fitzpatrick=4, group="Indian", source="Alaluf 2002", site="inner upper arm",
               lab=(53.7, 10.3, 17.9)),
    SkinTarget(fitzpatrick=5, group="African", source="Alaluf 2002", site="inner upper arm",
               lab=(49.2, 10.2, 18.4)),
    SkinTarget(fitzpatrick=2, group="Caucasian", source="Xiao 2017", site="forehead",
               lab=(59.2, 11.6, 15.1)),
    SkinTarget(fitzpatrick=3, group="Chinese", source="Xiao 2017", site="forehead",
               lab=(56.4, 11.7, 16.3)),
    SkinTarget(fitzpatrick=6, group="dark skin chip", source="McCamy 1976 / Pascale 2006",
               site="ColorChecker chip 1", lab=(37.97, 12.11, 13.70)),
    SkinTarget(fitzpatrick=6, group="facial cluster 2", source="Wee 2009",
               site="nose tip and upper lip", lab=(37.7, 17.2, 14.7)),
)  # fmt: skip
ALALUF_2002 = tuple(t for t in MEASURED_SKIN if t.source == "Alaluf 2002")
XIAO_2017 = tuple(t for t in MEASURED_SKIN if t.source == "Xiao 2017")
#: ITA categories (degrees, Chardon 1991) of every type, and where the fit puts type I.
ITA_RANGE_DEG: dict[int, tuple[float, float]] = {
    1: (55.0, 90.0), 2: (41.0, 55.0), 3: (28.0, 41.0), 4: (10.0, 28.0), 5: (-30.0, 10.0),
    6: (-90.0, -30.0),
}  # fmt: skip
ITA_TARGET_DEG: dict[int, float] = {1: 60.0}


@dataclass(frozen=True, kw_only=True)
class TissuePaths:
    """Per-tissue path lengths of the escaping packets of one white run at one wavelength."""

    wavelength_nm: float
    weights: FloatArray  # (K,)
    tissue_path_cm: FloatArray  # (K, 4): epidermis, papillary, reticular, hypodermis
    photons: int


def white_tissue_paths(
    model: AppearanceModel, photons: int, seed: int, wavelengths_nm: FloatArray = WAVELENGTHS_NM
) -> list[TissuePaths]:
    """One white run per wavelength, paths summed per tissue (melanin and blood are uniform)."""
    from smpstudio.optics.mcml.white import run_white_mcml

    stack = model.stack()
    out = []
    for i, wl in enumerate(wavelengths_nm):
        layers = mcml_layers(model, stack, float(wl), np.zeros(stack.n_layers))
        paths = run_white_mcml(
            layers, n_above=model.skin.n_above, n_below=model.skin.n_hypodermis,
            photons=photons, seed=seed + i,
        )  # fmt: skip
        per_tissue = np.zeros((paths.weights.size, 4))
        for t in range(4):
            per_tissue[:, t] = paths.path_cm[:, stack.tissue == t].sum(axis=1)
        out.append(TissuePaths(wavelength_nm=float(wl), weights=paths.weights,
                               tissue_path_cm=per_tissue, photons=photons))  # fmt: skip
    return out


def skin_spectrum(skin: SkinParameters, fitzpatrick: int, runs: list[TissuePaths]) -> FloatArray:
    """Diffuse reflectance of the skin without pigment, one value per run's wavelength."""
    r = np.empty(len(runs))
    for i, run in enumerate(runs):
        mua = tissue_mua_per_cm(skin, fitzpatrick, np.array([run.wavelength_nm]))[0]
        r[i] = run.weights @ np.exp(-(run.tissue_path_cm @ mua)) / run.photons
    return r


def skin_lab(
    skin: SkinParameters, fitzpatrick: int, runs: list[TissuePaths], *, with_surface: bool = True
) -> FloatArray:
    """CIELAB (D65, 2 degree) of the model skin, ``(3,)``.

    ``with_surface`` adds the surface reflectance (:func:`surface_reflectance_frac`), as an
    instrument that includes the specular component records it; without, the table's
    (specular-excluded) colour.
    """
    wl = np.array([run.wavelength_nm for run in runs])
    weights = col.xyz_weights(wl)
    spectrum = skin_spectrum(skin, fitzpatrick, runs)
    if with_surface:
        spectrum = spectrum + surface_reflectance_frac(skin)
    return col.xyz_to_lab(weights @ spectrum, weights.sum(axis=1))


def fit_skin(runs: list[TissuePaths], start: SkinParameters) -> SkinParameters:
    """Fit melanin per type and papillary/reticular blood (Jacques 2013 ranges).

    Least squares of CIEDE2000 over every row of :data:`MEASURED_SKIN`, plus type I's ITA
    (in units of 2 degrees) against :data:`ITA_TARGET_DEG`.
    """
    from scipy.optimize import minimize

    def params(x: FloatArray) -> SkinParameters:
        return dataclasses.replace(
            start,
            melanin_volume_frac=tuple(float(v) for v in x[:6]),  # type: ignore[arg-type]
            papillary_blood_frac=float(x[6]),
            reticular_blood_frac=float(x[7]),
        )

    def cost(x: FloatArray) -> float:
        p = params(x)
        total = sum(
            float(col.delta_e_ciede2000(skin_lab(p, t.fitzpatrick, runs), t.lab)) ** 2
            for t in MEASURED_SKIN
        )
        for fitz, ita in ITA_TARGET_DEG.items():
            total += ((float(col.ita_deg(skin_lab(p, fitz, runs))) - ita) / 2.0) ** 2
        return total

    x0 = np.array(
        [*start.melanin_volume_frac, start.papillary_blood_frac, start.reticular_blood_frac]
    )
    # melanin inside Jacques' overall 0.013-0.43 with a margin; blood 0.002-0.05
    bounds = [(0.001, 0.43)] * 6 + [(0.002, 0.05)] * 2
    return params(minimize(cost, x0, method="L-BFGS-B", bounds=bounds).x)


def calibration_rows(skin: SkinParameters, runs: list[TissuePaths]) -> list[dict[str, object]]:
    """One row per type and target: model Lab (with and without surface), measured, CIEDE2000."""
    rows: list[dict[str, object]] = []
    for fitz in range(1, 7):
        model_lab = skin_lab(skin, fitz, runs)
        base = {
            "fitzpatrick": fitz,
            "melanin_volume_frac": skin.melanin_volume_frac[fitz - 1],
            "model_lab": [round(float(v), 1) for v in model_lab],
            "model_lab_specular_excluded": [
                round(float(v), 1) for v in skin_lab(skin, fitz, runs, with_surface=False)
            ],
            "model_ita_deg": round(float(col.ita_deg(model_lab)), 1),
            "ita_category_deg": ITA_RANGE_DEG[fitz],
        }
        targets = [t for t in MEASURED_SKIN if t.fitzpatrick == fitz]
        if not targets:
            rows.append({**base, "target": f"ITA {ITA_TARGET_DEG[fitz]} deg"})
        for t in targets:
            de = float(col.delta_e_ciede2000(model_lab, t.lab))
            rows.append({**base, "target": f"{t.source} {t.group} ({t.site})",
                         "measured_lab": list(t.lab), "delta_e2000": round(de, 2)})  # fmt: skip
    return rows


def tissue_paths_from_build(
    model: AppearanceModel, photons: int, seed: int, cache: WhitePathsCache,
    wavelengths_nm: FloatArray = WAVELENGTHS_NM,
) -> list[TissuePaths]:  # fmt: skip
    """The table build's own white runs (taken from, or added to, its cache), per tissue."""
    from smpstudio.appearance.build import white_paths

    stack = model.stack()
    out = []
    for i, wl in enumerate(wavelengths_nm):
        layers = mcml_layers(model, stack, float(wl), np.zeros(stack.n_layers))
        paths = white_paths(layers, n_above=model.skin.n_above, n_below=model.skin.n_hypodermis,
                            photons=photons, seed=seed + i, cache=cache)  # fmt: skip
        per_tissue = np.stack(
            [paths.path_cm[:, stack.tissue == t].sum(axis=1) for t in range(4)], axis=-1
        )
        out.append(TissuePaths(wavelength_nm=float(wl), weights=paths.weights,
                               tissue_path_cm=per_tissue, photons=photons))  # fmt: skip
    return out


def calibration_report(
    *, photons: int, seed: int, fit: bool, paths_cache: WhitePathsCache | None = None
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The skin parameters (the defaults, or refitted with ``fit``) and their rows of
    :func:`calibration_rows`, from one white Monte Carlo run per wavelength (with
    ``paths_cache``, the table build's own runs: same photons and seed give the same packets)."""
    model = AppearanceModel()
    if paths_cache is not None:
        runs = tissue_paths_from_build(model, photons, seed, paths_cache)
    else:
        runs = white_tissue_paths(model, photons, seed)
    skin = fit_skin(runs, model.skin) if fit else model.skin
    params: dict[str, object] = {
        "melanin_volume_frac": [round(v, 4) for v in skin.melanin_volume_frac],
        "papillary_blood_frac": round(skin.papillary_blood_frac, 4),
        "reticular_blood_frac": round(skin.reticular_blood_frac, 4),
    }
    return params, calibration_rows(skin, runs)
