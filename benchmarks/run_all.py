"""Run every benchmark: each measures SMP Studio against a peer on the same work, in one run,
and prints the ratio. ``make bench`` calls this; ``python benchmarks/run_all.py NAME`` runs one.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = (
    "bench_dots", "bench_mcml", "bench_disc", "bench_raster", "bench_appearance", "bench_plan",
    "bench_photo",
)  # fmt: skip


def _load(name: str):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no benchmark {name}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> None:
    names = [n for n in ORDER if (HERE / f"{n}.py").exists()] if not argv else argv
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        sys.argv = [f"{name}.py"]  # each benchmark parses its own (default) options
        _load(name).main()
        print(f"({name}: {time.perf_counter() - start:.1f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
