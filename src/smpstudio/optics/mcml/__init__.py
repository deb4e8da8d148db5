"""Monte Carlo light transport in multi-layered media by the MCML method.

Wang, Jacques & Zheng, Comput. Methods Programs Biomed. 47:131-146 (1995). ``run_mcml`` runs
the method; ``run_white_mcml`` runs it without absorption and records path lengths for
reweighting; ``parse_mci`` parses MCML input files (``io.mci_file.read_mci`` reads them).
"""

from smpstudio.optics.mcml.engine import run_mcml, specular_reflectance
from smpstudio.optics.mcml.mci import MciFile, MciRun, parse_mci
from smpstudio.optics.mcml.model import Grid, Layer, McmlResult
from smpstudio.optics.mcml.white import DEFAULT_MAX_PATH_CM, WhitePaths, run_white_mcml

__all__ = [
    "DEFAULT_MAX_PATH_CM",
    "Grid",
    "Layer",
    "MciFile",
    "MciRun",
    "McmlResult",
    "WhitePaths",
    "parse_mci",
    "run_mcml",
    "run_white_mcml",
    "specular_reflectance",
]
