"""Photo preview: photo checks, mask checks, and the dots drawn into a photo."""

from __future__ import annotations

import io
import math
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from smpstudio.appearance import lookup_many
from smpstudio.errors import InputError, PhotoError
from smpstudio.io.photo_file import load_photo
from smpstudio.render.photo import (
    MAX_PHOTO_BYTES,
    PhotoDotSpec,
    check_mm_per_px,
    decode_photo,
    parse_mask,
    photo_dots,
    preview_photo,
    srgb8_to_linear,
)

SPEC = PhotoDotSpec(density_per_cm2=60.0, fitzpatrick=3, depth_mm=0.3, sessions=3, seed=7)


def _png(image: Image.Image, **kw: object) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", **kw)
    return buf.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that declares a huge size (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused() -> None:
    with pytest.raises(PhotoError, match="photo"):
        decode_photo(_png_header_only(30_000, 30_000))


def test_more_than_40_megapixels_is_refused() -> None:
    with pytest.raises(PhotoError, match="megapixels"):
        decode_photo(_png(Image.new("1", (8000, 5100))))


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_formats_are_refused(fmt: str) -> None:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 150, 120)).save(buf, format=fmt)
    with pytest.raises(PhotoError, match="PNG, JPEG or WebP"):
        decode_photo(buf.getvalue())


def test_garbage_truncated_and_oversized_files_are_refused(tmp_path: object) -> None:
    with pytest.raises(PhotoError):
        decode_photo(b"not an image at all")
    good = _png(Image.new("RGB", (64, 64), (200, 150, 120)))
    with pytest.raises(PhotoError):
        decode_photo(good[: len(good) // 2])
    with pytest.raises(PhotoError, match="30 MB"):
        decode_photo(b"\x00" * (MAX_PHOTO_BYTES + 1))
    with pytest.raises(PhotoError, match="readable file"):
        load_photo("/nonexistent/photo.png")  # the edge reads the file


def test_exif_orientation_and_mode_are_applied() -> None:
    image = Image.new("RGB", (40, 20), (200, 150, 120))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    buf = io.BytesIO()
    image.save(buf, format="JPEG", exif=exif.tobytes())
    assert decode_photo(buf.getvalue()).shape == (40, 20, 3)
    grey = decode_photo(_png(Image.new("L", (30, 10), 128)))
    assert grey.shape == (10, 30, 3) and grey.dtype == np.uint8
    webp = io.BytesIO()
    Image.new("RGBA", (12, 9), (10, 20, 30, 255)).save(webp, format="WEBP", lossless=True)
    assert decode_photo(webp.getvalue())[0, 0].tolist() == [10, 20, 30]


@pytest.mark.parametrize(
    "mask",
    [
        [[0, 0], [10, 0]],  # too few points
        [[0, 0], [120, 0], [50, 50]],  # outside the 100 x 80 image
        [[0, 0], [50, -1], [50, 50]],
        [[0, 0], [50, 50], [50, 0], [0, 50]],  # self-crossing
        [[0, 0], [10, 10], [20, 20]],  # flat
        {"polygon": [[0, 0], [50, 0], [50, 50]]},
        [[0, 0], [50, "a"], [50, 50]],
        "[[0, 0], [50, 0]",  # bad JSON
        [[0, 0], [50, float("nan")], [50, 50]],
    ],
)
def test_bad_masks_are_refused(mask: object) -> None:
    with pytest.raises(InputError, match="mask"):
        parse_mask(mask, 100, 80)


def test_mask_forms_are_accepted() -> None:
    pts = [[0, 0], [100, 0], [100, 80], [0, 80]]
    np.testing.assert_array_equal(parse_mask(pts, 100, 80), pts)
    np.testing.assert_array_equal(parse_mask({"polygon_px": pts}, 100, 80), pts)
    np.testing.assert_array_equal(
        parse_mask('{"polygon_px": [[1,1],[5,1],[5,5]]}', 9, 9)[2], [5, 5]
    )


@pytest.mark.parametrize("bad", [0.0, -0.1, 5.0, float("nan"), float("inf"), True, "0.1"])
def test_bad_scale_is_refused(bad: object) -> None:
    with pytest.raises(InputError, match="mm_per_px"):
        check_mm_per_px(bad)  # type: ignore[arg-type]


def test_plan_density_is_checked() -> None:
    with pytest.raises(InputError, match="density"):
        PhotoDotSpec(density_per_cm2=400.0, fitzpatrick=3, depth_mm=0.3, sessions=3, seed=1)


def test_dot_count_and_darkening_follow_the_plan() -> None:
    """A flat skin-coloured photo, a 30 x 30 mm mask at 0.1 mm/px: 9 cm2 at 60 per cm2."""
    _, skin = lookup_many(3, [0.3], [0.0])
    colour = np.round(
        255 * np.where(skin <= 0.0031308, 12.92 * skin, 1.055 * skin ** (1 / 2.4) - 0.055)
    ).astype(np.uint8)
    photo = np.broadcast_to(colour, (400, 400, 3)).copy()
    mask = np.array([[50.0, 50.0], [350.0, 50.0], [350.0, 350.0], [50.0, 350.0]])
    dots = photo_dots(mask, 0.1, SPEC)
    assert dots["xy_px"].shape[0] == pytest.approx(540, rel=0.02)
    inside = (dots["xy_px"] >= 50).all(1) & (dots["xy_px"] <= 350).all(1)
    assert inside.all()
    png = preview_photo(photo, mask, 0.1, SPEC)
    out = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    lin_out, lin_in = srgb8_to_linear(out), srgb8_to_linear(photo)
    darkening = float(np.sum(1 - lin_out[60:340, 60:340, 0] / lin_in[60:340, 60:340, 0]))
    # Each dot darkens its core plus its halo (the finite dot's shadow); dots whose halo spills
    # out of the window are balanced by those spilling in, inside the mask's steady middle.
    k = (dots["xy_px"] > 60).all(1) & (dots["xy_px"] < 340).all(1)
    contrast = 1 - dots["rgb"][:, 0] / dots["skin_rgb"][0]
    area = math.pi * dots["radius_px"] ** 2 + dots["halo_area_px2"]
    expected = float(np.sum(area[k] * contrast[k]))
    assert darkening == pytest.approx(expected, rel=0.1)  # 8-bit rounding of faint tails
    # Beyond the halos' reach outside the mask the photo is untouched (label: bottom-left).
    reach = int(np.ceil(6 * dots["halo_sigma_px"].max()))
    assert np.array_equal(out[: 50 - reach], photo[: 50 - reach])
    assert np.array_equal(out[:, 350 + reach :], photo[:, 350 + reach :])
    assert not np.array_equal(out[370:], photo[370:])  # the "illustrative preview" label
    assert png == preview_photo(photo, mask, 0.1, SPEC)


def test_a_mask_too_small_for_a_dot_is_refused() -> None:
    with pytest.raises(InputError, match="mask"):
        photo_dots(np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]]), 0.1, SPEC)
