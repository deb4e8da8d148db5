"""Write an output folder all at once: into a temporary sibling, then moved into place.

Bad input or a fault half-way leaves nothing behind: the target either keeps its previous
content or receives the complete new one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from smpstudio.errors import InputError


@contextlib.contextmanager
def atomic_output_dir(target: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary folder; on success it replaces ``target`` as a whole."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise InputError("--out", str(target), "a folder path (a file of that name exists)")
    parent = target.resolve().parent
    if not parent.is_dir():
        raise InputError("--out", str(target), "a path whose parent folder exists")
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = parent / f".{target.name}.old-{os.getpid()}"
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_atomic(
    path: str | Path, data: bytes, *, field: str = "--out", mode: int | None = None
) -> None:
    """Write one file atomically: a temporary file in the same folder, then renamed over
    ``path``, so that ``path`` holds either its old content or all of ``data``.

    ``mode`` sets the file's permission bits (the temporary file starts private, 0o600);
    :class:`InputError` names ``field`` when the folder does not exist.
    """
    path = Path(path)
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InputError(field, str(path), "a file in an existing folder")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
