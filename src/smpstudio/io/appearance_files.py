"""Files of the appearance table build: the packaged table and the kept white runs.

The build itself (:mod:`smpstudio.appearance.build`) reads and writes nothing; ``smp table
build`` hands it a :class:`WhitePathsFolder` and writes its arrays with :func:`write_table`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from smpstudio.appearance.build import npz_bytes
from smpstudio.appearance.table import TABLE_FILE
from smpstudio.io.output import write_atomic

#: The table ships with the package: readable by everyone.
TABLE_MODE = 0o644


def default_table_path() -> Path:
    """Where the packaged appearance table lives (``appearance/data/``)."""
    return Path(str(resources.files("smpstudio.appearance").joinpath("data", TABLE_FILE)))


def write_table(arrays: dict[str, Any], path: Path) -> None:
    """Write the table's arrays as a compressed npz, atomically, readable by everyone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, npz_bytes(arrays), field="--out", mode=TABLE_MODE)


class WhitePathsFolder:
    """A :class:`smpstudio.appearance.build.WhitePathsCache` in a folder: one
    ``white-KEY.npz`` per run."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / f"white-{key}.npz"

    def load(self, key: str) -> dict[str, npt.NDArray[Any]] | None:
        path = self._path(key)
        if not path.is_file():
            return None
        with np.load(path, allow_pickle=False) as npz:
            return {name: npz[name] for name in npz.files}

    def save(self, key: str, arrays: dict[str, npt.NDArray[Any]]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomic(self._path(key), npz_bytes(arrays), field="--paths-cache", mode=TABLE_MODE)
