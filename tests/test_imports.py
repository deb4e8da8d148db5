"""The core never imports the edges (CLI, case-file schema, report) nor click, pydantic or rich.

Each core module is imported in a fresh interpreter, which then lists what got loaded (the
pattern of click's tests/test_imports.py), so a failure names the module at fault.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import smpstudio

EDGE_PACKAGES = ("smpstudio.cli", "smpstudio.io", "smpstudio.report")
FORBIDDEN = ("click", "pydantic", "rich", *EDGE_PACKAGES)
SCRIPT = (
    "import importlib, json, sys, warnings\n"
    "warnings.simplefilter('ignore')\n"
    "importlib.import_module(sys.argv[1])\n"
    "print(json.dumps(sorted(sys.modules)))\n"
)


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(smpstudio.__path__, "smpstudio."):
        if info.name.startswith(EDGE_PACKAGES) or info.name.startswith("smpstudio.data"):
            continue
        names.append(info.name)
    return names


def _loaded_edges(module: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, module], capture_output=True, text=True, check=True
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    return [m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]


def test_every_core_module_imports_no_edge_code_in_a_fresh_interpreter() -> None:
    modules = core_modules()
    assert {"smpstudio.case.model", "smpstudio.units", "smpstudio.design.dot_design"} <= set(
        modules
    )
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        results = dict(zip(modules, pool.map(_loaded_edges, modules), strict=True))
    bad = {m: edges for m, edges in results.items() if edges}
    assert bad == {}, f"core modules pulled in edge code: {bad}"


def test_the_check_can_fail() -> None:
    assert _loaded_edges("smpstudio.cli.main"), "the CLI must show up as edge code"
