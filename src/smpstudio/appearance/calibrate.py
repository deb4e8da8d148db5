"""Calibrate the skin model's colour against measured skin colour (docs/optics.md, section 4).

Measured CIELAB skin colour: Alaluf et al., Pigment Cell Res.
15:112-118 (2002), inner upper arm, and Xiao et al., Color Res. Appl. 42:143 (2017),
forehead. Fitzpatrick types are matched to the measured groups through the Individual
Typology Angle ITA = atan((L* - 50)/b*) and its categories (Chardon et al., Int. J. Cosmet.
Sci. 13:191, 1991; Del Bino & Bernerd, Br. J. Dermatol. 169 s3:33, 2013): very light > 55
deg ~ I, light 41-55 ~ II, intermediate 28-41 ~ III, tan 10-28 ~ IV, brown -30..10 ~ V,
dark < -30 ~ VI. Alaluf's European group (ITA 48) is then type II, Chinese (37) III,
Indian (12) IV, African (-2.5) V. Types I and VI have no measured group here; they are
placed inside their ITA category.

Run ``smp table calibrate --fit`` to refit: one white Monte Carlo run per
wavelength, then every trial skin is a reweighting (no new simulation).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from smpstudio.appearance.model import AppearanceModel, mcml_layers
from smpstudio.optics import colour as col
from smpstudio.optics.skin import SkinParameters, tissue_mua_per_cm

FloatArray = npt.NDArray[np.float64]
WAVELENGTHS_NM = np.arange(400.0, 701.0, 10.0)


@dataclass(frozen=True, kw_only=True)
class SkinTarget:
    """A measured skin colour and the Fitzpatrick type it stands for."""

    fitzpatrick: int
    group: str
    source: str
    lab: tuple[float, float, float]


#: Alaluf 2002 (inner upper arm) are the fit targets; Xiao 2017 (forehead) are shown too.
ALALUF_2002: tuple[SkinTarget, ...] = (
    SkinTarget(fitzpatrick=2, group="European", source="Alaluf 2002", lab=(65.0, 7.1, 13.3)),
    SkinTarget(fitzpatrick=3, group="Chinese", source="Alaluf 2002", lab=(62.1, 8.4, 16.3)),
    SkinTarget(fitzpatrick=4, group="Indian", source="Alaluf 2002", lab=(53.7, 10.3, 17.9)),
    SkinTarget(fitzpatrick=5, group="African", source="Alaluf 2002", lab=(49.2, 10.2, 18.4)),
)
XIAO_2017: tuple[SkinTarget, ...] = (
    SkinTarget(fitzpatrick=2, group="Caucasian", source="Xiao 2017", lab=(59.2, 11.6, 15.1)),
    SkinTarget(fitzpatrick=3, group="Chinese", source="Xiao 2017", lab=(56.4, 11.7, 16.3)),
)
#: ITA categories (degrees) of the types without a measured group.
ITA_RANGE_DEG: dict[int, tuple[float, float]] = {1: (55.0, 90.0), 6: (-90.0, -30.0)}


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


def skin_lab(skin: SkinParameters, fitzpatrick: int, runs: list[TissuePaths]) -> FloatArray:
    """CIELAB (D65, 2 degree) of the model skin, ``(3,)``."""
    wl = np.array([run.wavelength_nm for run in runs])
    weights = col.xyz_weights(wl)
    xyz = weights @ skin_spectrum(skin, fitzpatrick, runs)
    return col.xyz_to_lab(xyz, weights.sum(axis=1))


def fit_skin(runs: list[TissuePaths], start: SkinParameters) -> SkinParameters:
    """Fit melanin per type and papillary/reticular blood (Jacques 2013 ranges) to Alaluf."""
    from scipy.optimize import minimize, minimize_scalar

    mel_bounds = [(0.005, 0.43)] * 4  # types II-V, inside Jacques' overall 0.013-0.43 (+margin)

    def params(x: FloatArray, base: SkinParameters) -> SkinParameters:
        mel = list(base.melanin_volume_frac)
        mel[1:5] = [float(v) for v in x[:4]]
        return dataclasses.replace(
            base,
            melanin_volume_frac=tuple(mel),  # type: ignore[arg-type]
            papillary_blood_frac=float(x[4]),
            reticular_blood_frac=float(x[5]),
        )

    def cost(x: FloatArray) -> float:
        p = params(x, start)
        return float(
            sum(
                col.delta_e_ciede2000(skin_lab(p, t.fitzpatrick, runs), t.lab) ** 2
                for t in ALALUF_2002
            )
        )

    x0 = np.array(
        [*start.melanin_volume_frac[1:5], start.papillary_blood_frac, start.reticular_blood_frac]
    )
    res = minimize(cost, x0, method="L-BFGS-B", bounds=[*mel_bounds, *[(0.002, 0.05)] * 2])
    fitted = params(res.x, start)
    mel = list(fitted.melanin_volume_frac)
    # Types I and VI: 5 and 15 degrees inside their ITA category (> 55, < -30).
    for fitz, (lo_mel, hi_mel), target in ((1, (0.002, mel[1]), 60.0), (6, (mel[4], 0.43), -45.0)):

        def ita_cost(f: float, fitz: int = fitz, target: float = target) -> float:
            trial = list(mel)
            trial[fitz - 1] = f
            p = dataclasses.replace(fitted, melanin_volume_frac=tuple(trial))  # type: ignore[arg-type]
            return float((col.ita_deg(skin_lab(p, fitz, runs)) - target) ** 2)

        mel[fitz - 1] = float(minimize_scalar(ita_cost, bounds=(lo_mel, hi_mel)).x)
    return dataclasses.replace(fitted, melanin_volume_frac=tuple(mel))  # type: ignore[arg-type]


def calibration_rows(skin: SkinParameters, runs: list[TissuePaths]) -> list[dict[str, object]]:
    """One row per type and target: model Lab, measured Lab, CIEDE2000, ITA."""
    rows: list[dict[str, object]] = []
    for fitz in range(1, 7):
        model_lab = skin_lab(skin, fitz, runs)
        targets = [t for t in (*ALALUF_2002, *XIAO_2017) if t.fitzpatrick == fitz]
        base = {
            "fitzpatrick": fitz,
            "melanin_volume_frac": skin.melanin_volume_frac[fitz - 1],
            "model_lab": [round(float(v), 1) for v in model_lab],
            "model_ita_deg": round(float(col.ita_deg(model_lab)), 1),
        }
        if not targets:
            rows.append({**base, "target": f"ITA {ITA_RANGE_DEG[fitz]} deg"})
        for t in targets:
            de = float(col.delta_e_ciede2000(model_lab, t.lab))
            rows.append({**base, "target": f"{t.source} {t.group}", "measured_lab": list(t.lab),
                         "delta_e2000": round(de, 2)})  # fmt: skip
    return rows


def calibration_report(
    *, photons: int, seed: int, fit: bool
) -> tuple[dict[str, object], list[dict[str, object]]]:
    """The skin parameters (the defaults, or refitted with ``fit``) and their rows of
    :func:`calibration_rows`, from one white Monte Carlo run per wavelength."""
    model = AppearanceModel()
    runs = white_tissue_paths(model, photons, seed)
    skin = fit_skin(runs, model.skin) if fit else model.skin
    params: dict[str, object] = {
        "melanin_volume_frac": [round(v, 4) for v in skin.melanin_volume_frac],
        "papillary_blood_frac": round(skin.papillary_blood_frac, 4),
        "reticular_blood_frac": round(skin.reticular_blood_frac, 4),
    }
    return params, calibration_rows(skin, runs)
