"""Read an MCML input file (``.mci``) from disk; :func:`smpstudio.optics.mcml.parse_mci` parses
its text."""

from __future__ import annotations

from pathlib import Path

from smpstudio.errors import InputError
from smpstudio.optics.mcml import MciFile, parse_mci


def read_mci(path: str | Path) -> MciFile:
    """Read and parse an ``.mci`` file.

    Raises
    ------
    MciFormatError
        Malformed content; names the 1-based line, what was expected and what was found.
    InputError
        The file cannot be read.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("mci_file", str(path), f"a readable UTF-8 text file ({exc})") from exc
    return parse_mci(text, path=str(path))
