"""The core never imports the edges (CLI, case-file schema) nor click, pydantic or rich.

One fresh interpreter imports every core module and then lists what got loaded
(the pattern of click's tests/test_imports.py).
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import smpstudio

EDGE_PACKAGES = ("smpstudio.cli", "smpstudio.io", "smpstudio.report")
FORBIDDEN = ("click", "pydantic", "rich", *EDGE_PACKAGES)


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(smpstudio.__path__, "smpstudio."):
        if info.name.startswith(EDGE_PACKAGES) or info.name.startswith("smpstudio.data"):
            continue
        if info.name.rsplit(".", 1)[-1] == "build":  # offline table builders run as scripts
            continue
        names.append(info.name)
    return names


def test_core_modules_import_no_edge_code() -> None:
    modules = core_modules()
    assert "smpstudio.case.model" in modules and "smpstudio.units" in modules
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    bad = [m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)]
    assert bad == [], f"core modules pulled in edge code: {bad}"
