"""The head: a fitted cranial-vault surface, its landmarks and the scalp chart.

``build_head(measurements, sex)`` fits the surface to the four ANSUR head measurements and
returns a :class:`Head` with its :class:`ScalpChart` (docs/interface.md section 2), landmarks
and the outline of the hair-bearing scalp. See docs/head-model.md.
"""

from smpstudio.head.chart import ScalpChart
from smpstudio.head.landmarks import Landmarks, ScalpOutline
from smpstudio.head.model import ANSUR_HEAD_MM, Head, build_head, mean_head

__all__ = [
    "ANSUR_HEAD_MM",
    "Head",
    "Landmarks",
    "ScalpChart",
    "ScalpOutline",
    "build_head",
    "mean_head",
]
