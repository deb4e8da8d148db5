"""Reader of MCML 1.0 input files (``.mci``; MCML manual, Wang & Jacques 1992, section 5).

Plain text, one item per line; ``#`` starts a comment and blank lines are skipped. Units: cm and
per cm. The file holds a version (1.0), a number of runs and, for each run: output file name and
format (``A`` ASCII or ``B`` binary; optional, default ``A``), number of photon packets, dz dr,
the numbers of z, r and angle bins, the number of layers, the index of the medium above, one line
``n mua mus g d`` per layer and the index of the medium below.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from smpstudio.errors import InputError, MciFormatError
from smpstudio.optics.mcml.engine import run_mcml
from smpstudio.optics.mcml.model import Grid, Layer, McmlResult


@dataclass(frozen=True, kw_only=True)
class MciRun:
    """One run of an ``.mci`` file."""

    output_file: str
    output_format: str
    photons: int
    grid: Grid
    layers: tuple[Layer, ...]
    n_above: float
    n_below: float
    line: int

    def run(self, *, seed: int, photons: int | None = None, batches: int = 10) -> McmlResult:
        """Run it with :func:`run_mcml`; ``photons`` overrides the file's count."""
        return run_mcml(
            self.layers,
            n_above=self.n_above,
            n_below=self.n_below,
            photons=self.photons if photons is None else photons,
            seed=seed,
            batches=batches,
            grid=self.grid,
        )


@dataclass(frozen=True, kw_only=True)
class MciFile:
    """A parsed ``.mci`` file."""

    version: float
    runs: tuple[MciRun, ...]


def parse_mci(text: str, *, path: str = "<string>") -> MciFile:
    """Parse the text of an ``.mci`` file (MCML 1.0 input format; Wang & Jacques 1992).

    ``path`` names the file in messages; the edge reads it
    (:func:`smpstudio.io.mci_file.read_mci`).

    Raises
    ------
    MciFormatError
        Malformed content; names the 1-based line, what was expected and what was found.
    """
    lines = _Lines(text, path)
    version = lines.numbers("file version 1.0", 1)[0]
    if version != 1.0:
        raise MciFormatError(path, lines.line, "file version 1.0", version)
    n_runs = lines.integers("number of runs (integer >= 1)", 1, minimum=1)[0]
    runs = tuple(_parse_run(lines) for _ in range(n_runs))
    extra = lines.next_or_none()
    if extra is not None:
        raise MciFormatError(path, lines.line, "end of file", " ".join(extra))
    return MciFile(version=version, runs=runs)


def _parse_run(lines: _Lines) -> MciRun:
    tokens = lines.tokens("output file name and format A|B")
    first_line = lines.line
    if len(tokens) > 2 or (len(tokens) == 2 and tokens[1].upper() not in ("A", "B")):
        raise MciFormatError(lines.path, lines.line, "output file name and format A|B", tokens)
    output_format = tokens[1].upper() if len(tokens) == 2 else "A"
    photons = lines.integers("number of photon packets (integer >= 1)", 1, minimum=1)[0]
    dz_cm, dr_cm = lines.numbers("dz dr in cm (two numbers > 0)", 2, positive=True)
    nz, nr, na = lines.integers("numbers of z, r and angle bins (three integers >= 1)", 3, 1)
    n_layers = lines.integers("number of layers (integer >= 1)", 1, minimum=1)[0]
    n_above = lines.numbers("refractive index of the medium above (> 0)", 1, positive=True)[0]
    layers = tuple(_parse_layer(lines, i, last=i == n_layers - 1) for i in range(n_layers))
    n_below = lines.numbers("refractive index of the medium below (> 0)", 1, positive=True)[0]
    return MciRun(
        output_file=tokens[0],
        output_format=output_format,
        photons=photons,
        grid=Grid(dz_cm=dz_cm, dr_cm=dr_cm, nz=nz, nr=nr, na=na),
        layers=layers,
        n_above=n_above,
        n_below=n_below,
        line=first_line,
    )


def _parse_layer(lines: _Lines, index: int, *, last: bool) -> Layer:
    expected = f"layer {index + 1}: n mua mus g d (five numbers)"
    n, mua, mus, g, d = lines.numbers(expected, 5)
    if not last and math.isinf(d):
        raise MciFormatError(lines.path, lines.line, f"{expected}, d finite", d)
    try:
        # MCML has no semi-infinite layer; "inf" is accepted as d of the last one.
        return Layer(n=n, mua_per_cm=mua, mus_per_cm=mus, g=g, thickness_cm=d)
    except InputError as exc:
        allowed = f"{expected}, {exc.field.removeprefix('layer.')} {exc.allowed}"
        raise MciFormatError(lines.path, lines.line, allowed, exc.value) from exc


class _Lines:
    """Content lines of the file with comments stripped, tracking the 1-based line number."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.line = 0
        self._iter: Iterator[tuple[int, list[str]]] = (
            (number, content.split())
            for number, raw in enumerate(text.splitlines(), start=1)
            if (content := raw.split("#", 1)[0].strip())
        )

    def next_or_none(self) -> list[str] | None:
        item = next(self._iter, None)
        if item is None:
            return None
        self.line, tokens = item
        return tokens

    def tokens(self, expected: str) -> list[str]:
        tokens = self.next_or_none()
        if tokens is None:
            self.line += 1
            raise MciFormatError(self.path, self.line, expected, "end of file")
        return tokens

    def numbers(self, expected: str, count: int, *, positive: bool = False) -> list[float]:
        tokens = self.tokens(expected)
        if len(tokens) != count:
            raise MciFormatError(self.path, self.line, expected, " ".join(tokens))
        try:
            values = [float(t) for t in tokens]
        except ValueError:
            raise MciFormatError(self.path, self.line, expected, " ".join(tokens)) from None
        if any(math.isnan(v) for v in values) or (positive and not all(v > 0 for v in values)):
            raise MciFormatError(self.path, self.line, expected, " ".join(tokens))
        return values

    def integers(self, expected: str, count: int, minimum: int) -> Sequence[int]:
        values = self.numbers(expected, count)
        if not all(math.isfinite(v) and v == int(v) and v >= minimum for v in values):
            raise MciFormatError(self.path, self.line, expected, " ".join(map(_fmt, values)))
        return [int(v) for v in values]


def _fmt(value: float) -> str:
    return f"{value:g}"
