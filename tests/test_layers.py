"""The import graph has layers, and imports run downward only (docs/architecture.md, "Layers").

Every ``import`` of every module is read from its source (syntax tree), wherever it stands: at
the top, inside a function, under ``if TYPE_CHECKING``. A module of one package may import its
own package and packages of lower layers; never a package of its own layer or above. So there
is no loop between packages, and the core never reaches up into render, report or the edges.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import smpstudio

#: Lowest first. Packages on one line are independent of each other. Keep in step with the
#: drawing in docs/architecture.md (checked below).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "units"),
    ("case", "optics"),
    ("head", "appearance"),
    ("regions",),
    ("loss",),
    ("design",),
    ("course",),
    ("planning",),
    ("render", "report"),
    ("photofit",),
    ("io",),
    ("cli",),
)
ROOT = "smpstudio"
PACKAGE_DIR = Path(smpstudio.__file__).parent
ARCHITECTURE_MD = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"
#: Modules that hold no code of a layer: the package root (its version) and bundled data.
UNLAYERED = ("__init__", "data")


def layer_of(package: str) -> int:
    for rank, names in enumerate(LAYERS):
        if package in names:
            return rank
    raise KeyError(package)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """Every module ``source`` (the text of ``module``) imports, absolute, anywhere in it."""
    found: list[str] = []
    base = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[: len(base) - (node.level - 1)]
                target = ".".join([*parent, node.module] if node.module else parent)
            else:
                target = node.module or ""
            found.append(target)
            # ``from smpstudio import appearance`` imports the package ``smpstudio.appearance``.
            if target == ROOT:
                found.extend(f"{ROOT}.{alias.name}" for alias in node.names)
    return found


def back_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """The imports of ``module`` that break the layers: ``"a.b -> c.d"`` for each."""
    own = module.split(".")[1]
    rank = layer_of(own)
    bad = []
    for target in imported_modules(source, module, is_package=is_package):
        parts = target.split(".")
        if parts[0] != ROOT or len(parts) < 2 or parts[1] in UNLAYERED or parts[1] == own:
            continue
        if parts[1].startswith("__"):
            continue
        if layer_of(parts[1]) >= rank:
            bad.append(f"{module} -> {target}")
    return bad


def package_modules() -> list[tuple[str, Path, bool]]:
    out = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
        is_package = rel.name == "__init__"
        parts = rel.parts[:-1] if is_package else rel.parts
        out.append((".".join(parts), path, is_package))
    return out


def test_every_package_has_a_layer() -> None:
    packages = {m.split(".")[1] for m, _, _ in package_modules() if m.count(".") >= 1} - set(
        UNLAYERED
    )
    unknown = sorted(p for p in packages if not any(p in names for names in LAYERS))
    assert unknown == [], (
        f"give these packages a layer in LAYERS and docs/architecture.md: {unknown}"
    )


def test_imports_run_down_the_layers_only() -> None:
    bad: list[str] = []
    for module, path, is_package in package_modules():
        if module == ROOT or module.split(".")[1] in UNLAYERED:
            continue
        bad += back_imports(path.read_text(encoding="utf-8"), module, is_package=is_package)
    assert bad == [], "imports that run up or across the layers:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("smpstudio.regions.build", "from smpstudio.loss.assess import LossAssessment\n"),
        ("smpstudio.loss.assess", "def f():\n    import smpstudio.design.field as f\n"),
        (
            "smpstudio.planning.treatment_plan",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from smpstudio.render.scene import RenderScene\n",
        ),
        (
            "smpstudio.planning.treatment_plan",
            "def show(plan):\n    from smpstudio import report\n",
        ),
        ("smpstudio.design.field", "from ..course import build\n"),
        ("smpstudio.render.views", "from smpstudio.report.page import render_report\n"),
        (
            "smpstudio.optics.disc",
            "class K:\n    def m(self):\n        from smpstudio.case import model\n",
        ),
    ],
)
def test_a_back_import_is_caught_wherever_it_stands(module: str, source: str) -> None:
    assert back_imports(source, module), f"{source!r} in {module} must fail the layer check"


def test_a_back_import_written_into_a_module_file_fails_the_check(tmp_path: Path) -> None:
    real = PACKAGE_DIR / "loss" / "assess.py"
    changed = tmp_path / "assess.py"
    changed.write_text(
        real.read_text(encoding="utf-8")
        + "\n\ndef _late() -> None:\n    from smpstudio.planning import treatment_plan\n",
        encoding="utf-8",
    )
    assert back_imports(real.read_text(encoding="utf-8"), "smpstudio.loss.assess") == []
    assert back_imports(changed.read_text(encoding="utf-8"), "smpstudio.loss.assess") == [
        "smpstudio.loss.assess -> smpstudio.planning"
    ]


def test_downward_imports_pass() -> None:
    source = "from smpstudio.head import Head\nfrom . import patterns\nimport numpy\n"
    assert back_imports(source, "smpstudio.loss.assess") == []


def test_the_architecture_drawing_matches_the_layers() -> None:
    text = ARCHITECTURE_MD.read_text(encoding="utf-8")
    block = re.search(r"## Layers.*?```text\n(.*?)```", text, re.S)
    assert block, "docs/architecture.md needs a '## Layers' section with a ```text drawing"
    drawn = [
        tuple(name.strip() for name in line.split("·"))
        for line in block.group(1).splitlines()
        if line.strip()
    ]
    assert tuple(reversed(drawn)) == LAYERS


# Reading or writing a file: what only the edges (io, cli, report) may do.
FILE_ACCESS = re.compile(
    r"(?<![\w.])open\(|\.read_text\(|\.read_bytes\(|\.write_text\(|\.write_bytes\(|"
    r"mkstemp|mkdtemp|os\.replace|shutil\."
)
EDGES = ("io", "cli", "report")
#: Core modules that read their own package data through importlib.resources.
PACKAGE_DATA = ("appearance/table.py", "optics/skin.py", "photofit/facemesh.py")


def file_access(source: str) -> list[str]:
    return [line.strip() for line in source.splitlines() if FILE_ACCESS.search(line.split("#")[0])]


def test_the_core_reads_and_writes_no_files() -> None:
    found = []
    for module, path, _ in package_modules():
        rel = path.relative_to(PACKAGE_DIR).as_posix()
        if module.count(".") < 1 or module.split(".")[1] in EDGES or rel in PACKAGE_DATA:
            continue
        found += [f"{rel}: {line}" for line in file_access(path.read_text(encoding="utf-8"))]
    for rel in PACKAGE_DATA:
        text = (PACKAGE_DIR / rel).read_text(encoding="utf-8")
        assert "resources.files" in text and "Path(" not in text, rel
    assert found == [], "file access in the core (move it to io/ or cli/):\n" + "\n".join(found)


def test_the_file_check_can_fail() -> None:
    assert file_access("text = Path(p).read_text()\nwith open(p) as f:\n    pass\n") == [
        "text = Path(p).read_text()",
        "with open(p) as f:",
    ]
    assert file_access("image = Image.open(io.BytesIO(data))  # bytes, no file\n") == []
