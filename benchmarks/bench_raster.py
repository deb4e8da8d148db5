"""Dot rasteriser benchmark: SMP Studio vs Pillow (4x supersampled) vs cairo, in one run.

All three draw the same 100,000 dots (radius 0.4-1.5 px, 5 % up to 4 px, random dark colours
and opacities) into a 4096 x 4096 skin-coloured image; each is timed (best of a few runs, warm,
drawing plus any downsampling, not the conversion to float for scoring) and scored by PSNR in dB
(linear RGB, peak 1) and the largest per-pixel error against the exact-coverage reference.

The dots sit one per cell of a jittered grid, at least 1 px inside their cell, so no pixel is
touched by two dots and the reference is the closed-form disc-square area of
``_raster_reference.disc_rect_area`` composited once per pixel, whatever the order.

Run: ``.venv/bin/python benchmarks/bench_raster.py`` (cairo needs ``pip install cairocffi``
and the system library libcairo2; without them the cairo row is skipped).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

from smpstudio.render import _raster_reference as ref
from smpstudio.render.raster import splat_dots

SIDE_PX = 4096
N_DOTS = 100_000
SUPERSAMPLE = 4
SKIN_RGB = np.array([0.45, 0.33, 0.26])  # linear RGB of a light skin tone
SEED = 20240605


def make_dots(n: int, side: int, seed: int) -> dict[str, np.ndarray]:
    """SMP-like dots, one per cell of a jittered grid (no pixel shared by two dots)."""
    rng = np.random.default_rng(seed)
    cells = int(np.ceil(np.sqrt(n)))
    cell_px = side / cells
    index = rng.permutation(cells * cells)[:n]
    gy, gx = np.divmod(index, cells)
    radius = rng.uniform(0.4, 1.5, n)
    large = rng.random(n) < 0.05
    radius[large] = rng.uniform(1.5, 4.0, large.sum())
    margin = radius + 1.0
    centers = np.column_stack(
        [gx * cell_px + margin + rng.random(n) * (cell_px - 2 * margin),
         gy * cell_px + margin + rng.random(n) * (cell_px - 2 * margin)]
    )  # fmt: skip
    rgb = rng.uniform(0.005, 0.12, (n, 3))
    opacity = rng.uniform(0.7, 1.0, n)
    return {"centers": centers, "radius": radius, "rgb": rgb, "opacity": opacity}


def exact_reference(dots: dict[str, np.ndarray], side: int) -> np.ndarray:
    """Exact coverage per pixel, composited over the skin (float64)."""
    image = np.empty((side, side, 3))
    image[:] = SKIN_RGB
    c, r = dots["centers"], dots["radius"]
    window = int(np.ceil(2 * r.max())) + 2
    dy, dx = (g.ravel() for g in np.mgrid[0:window, 0:window])
    for chunk in np.array_split(np.arange(len(r)), 20):
        col = np.floor(c[chunk, 0] - r[chunk])[:, None].astype(int) + dx
        row = np.floor(c[chunk, 1] - r[chunk])[:, None].astype(int) + dy
        cov = ref.disc_rect_area(
            c[chunk, 0, None], c[chunk, 1, None], r[chunk, None], col, col + 1.0, row, row + 1.0
        )
        hit = cov > 0.0
        a = (cov * dots["opacity"][chunk, None])[hit][:, None]
        rgb = np.broadcast_to(dots["rgb"][chunk, None, :], (*cov.shape, 3))[hit]
        image[row[hit], col[hit]] = SKIN_RGB * (1.0 - a) + rgb * a
    return image


def draw_smpstudio(dots: dict[str, np.ndarray], side: int) -> np.ndarray:
    image = np.empty((side, side, 3), np.float32)
    image[:] = SKIN_RGB
    splat_dots(image, dots["centers"], dots["radius"], dots["rgb"], dots["opacity"])
    return image


def _time_splat(canvas: np.ndarray, dots: dict[str, np.ndarray]) -> float:
    """splat_dots alone on a canvas already allocated (reset to skin before the clock starts)."""
    canvas[:] = SKIN_RGB
    start = time.perf_counter()
    splat_dots(canvas, dots["centers"], dots["radius"], dots["rgb"], dots["opacity"])
    return time.perf_counter() - start


def _bytes(values: np.ndarray) -> np.ndarray:
    return np.clip(np.round(values * 255.0), 0, 255).astype(np.uint8)


def draw_pillow(dots: dict[str, np.ndarray], side: int, inset: float = 0.5) -> np.ndarray:
    """ImageDraw.ellipse on a 4x supersampled 8-bit image, then a 4x4 box filter (reduce).

    Pillow fills the pixels of the supersampled image whose centres fall in the ellipse; the
    bounding box is shrunk by ``inset`` supersampled pixels on the right and bottom so that
    pixel centres line up with the continuous disc (calibrated in :func:`main`).
    """
    k = SUPERSAMPLE
    image = Image.new("RGB", (side * k, side * k), tuple(int(v) for v in _bytes(SKIN_RGB)))
    draw = ImageDraw.Draw(image, "RGBA")
    colours = _bytes(dots["rgb"])
    alphas = _bytes(dots["opacity"])
    for (x, y), r, (cr, cg, cb), a in zip(
        dots["centers"] * k, dots["radius"] * k, colours.tolist(), alphas.tolist(), strict=True
    ):
        draw.ellipse((x - r - 0.5, y - r - 0.5, x + r - 0.5 - inset, y + r - 0.5 - inset),
                     fill=(cr, cg, cb, a))  # fmt: skip
    return np.array(image.reduce(k))  # a copy: the reduced image is a temporary


def draw_cairo(dots: dict[str, np.ndarray], side: int) -> np.ndarray:
    """cairo's analytic-coverage rasteriser on an 8-bit RGB24 surface (default tolerance)."""
    import cairocffi as cairo

    surface = cairo.ImageSurface(cairo.FORMAT_RGB24, side, side)
    ctx = cairo.Context(surface)
    ctx.set_source_rgb(*(_bytes(SKIN_RGB) / 255.0))
    ctx.paint()
    colours = _bytes(dots["rgb"]) / 255.0
    alphas = _bytes(dots["opacity"]) / 255.0
    two_pi = 2.0 * np.pi
    for (x, y), r, (cr, cg, cb), a in zip(
        dots["centers"].tolist(), dots["radius"].tolist(), colours.tolist(), alphas.tolist(),
        strict=True,
    ):  # fmt: skip
        ctx.set_source_rgba(cr, cg, cb, a)
        ctx.arc(x, y, r, 0.0, two_pi)
        ctx.fill()
    surface.flush()
    data = np.frombuffer(surface.get_data(), np.uint8).reshape(side, side, 4)
    return np.array(data[..., 2::-1])  # BGRX on little-endian; a copy outlives the surface


def score(image: np.ndarray, exact: np.ndarray) -> tuple[float, float]:
    """PSNR (dB, peak 1, linear RGB) and largest absolute error of an image."""
    values = image.astype(np.float64) / (255.0 if image.dtype == np.uint8 else 1.0)
    error = values - exact
    mse = float(np.mean(error**2))
    return 10.0 * np.log10(1.0 / mse) if mse > 0 else float("inf"), float(np.abs(error).max())


def best_time(draw: Callable[[], np.ndarray], repeats: int) -> tuple[float, np.ndarray]:
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = draw()
        best = min(best, time.perf_counter() - start)
    assert out is not None
    return best, out


def main() -> None:
    dots = make_dots(N_DOTS, SIDE_PX, SEED)
    print(f"{N_DOTS} dots into {SIDE_PX} x {SIDE_PX} px (radius 0.4-4 px), best of runs, warm")
    # warm-up (numba compilation is cached on disk) and Pillow's bounding-box calibration
    small = make_dots(4000, 512, SEED + 1)
    draw_smpstudio(small, 512)
    small_exact = exact_reference(small, 512)
    inset = max((0.0, 0.5, 1.0), key=lambda v: score(draw_pillow(small, 512, v), small_exact)[0])
    exact = exact_reference(dots, SIDE_PX)

    rows: list[tuple[str, float, float, float]] = []
    seconds, image = best_time(lambda: draw_smpstudio(dots, SIDE_PX), 3)
    rows.append(("smpstudio splat_dots (float32)", seconds, *score(image, exact)))
    canvas = np.empty_like(image)
    seconds = min(_time_splat(canvas, dots) for _ in range(3))
    rows.append(("  of which splat_dots alone", seconds, *score(canvas, exact)))
    seconds, image = best_time(lambda: draw_pillow(dots, SIDE_PX, inset), 1)
    rows.append(("Pillow ellipse 4x4 SSAA (8-bit)", seconds, *score(image, exact)))
    del image
    try:
        import cairocffi  # noqa: F401
    except (ImportError, OSError) as exc:
        print(f"cairo skipped: {exc}")
    else:
        seconds, image = best_time(lambda: draw_cairo(dots, SIDE_PX), 2)
        rows.append(("cairo arc+fill (8-bit)", seconds, *score(image, exact)))

    ours = rows[0][1]
    print(f"{'method':34s} {'time s':>8s} {'x ours':>7s} {'PSNR dB':>8s} {'max err':>9s}")
    for name, secs, psnr, max_err in rows:
        print(f"{name:34s} {secs:8.3f} {secs / ours:7.1f} {psnr:8.1f} {max_err:9.2e}")


if __name__ == "__main__":
    main()
