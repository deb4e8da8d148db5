"""Read a client photo from disk: the size is checked before the file is read, the bytes are
then checked and decoded by :func:`smpstudio.render.photo.decode_photo`."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from smpstudio.errors import PhotoError
from smpstudio.render.photo import MAX_PHOTO_BYTES, decode_photo


def load_photo(path: str | Path) -> npt.NDArray[np.uint8]:
    """The photo at ``path`` as 8-bit sRGB ``(H, W, 3)``, upright.

    Raises
    ------
    PhotoError
        Unreadable, larger than 30 MB, or not a usable image (see ``decode_photo``).
    """
    name = str(path)
    try:
        size = Path(path).stat().st_size
    except OSError as exc:
        raise PhotoError("photo", name, f"a readable file ({exc.strerror})") from None
    if size > MAX_PHOTO_BYTES:
        raise PhotoError("photo", f"{size} bytes", f"at most {MAX_PHOTO_BYTES} bytes (30 MB)")
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise PhotoError("photo", name, f"a readable file ({exc.strerror})") from None
    return decode_photo(data, name=name)
