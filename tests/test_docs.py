"""docs/architecture.md stays true: the pipeline's imports it shows run, and every dotted entry
point of its package table names something that exists."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

ARCHITECTURE_MD = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def _section(title: str) -> str:
    text = ARCHITECTURE_MD.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def test_the_pipeline_imports_in_the_docs_run() -> None:
    block = re.search(r"```python\n(.*?)```", _section("The pipeline"), re.S)
    assert block
    imports = [line.split("#")[0] for line in block.group(1).splitlines() if "import" in line]
    assert len(imports) >= 4
    for line in imports:
        exec(line, {})


def test_every_dotted_entry_point_of_the_package_table_exists() -> None:
    missing, checked = [], 0
    for row in _section("Packages").splitlines()[4:]:
        cells = row.split("|")
        if len(cells) < 4:
            continue
        for name in re.findall(r"`([a-z_]+(?:\.[A-Za-z_]+)+)", cells[3]):
            checked += 1
            parts = f"smpstudio.{name}".split(".")
            for cut in range(len(parts), 1, -1):  # the longest importable module, then attributes
                try:
                    obj = importlib.import_module(".".join(parts[:cut]))
                except ModuleNotFoundError:
                    continue
                for attr in parts[cut:]:
                    obj = getattr(obj, attr, None)
                if obj is None:
                    missing.append(name)
                break
            else:
                missing.append(name)
    assert checked >= 15
    assert missing == []
