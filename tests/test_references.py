"""The repository stands on its own: no citation of a file outside it, no machine path, and
every author-year citation in the code is listed in docs/references.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "docs" / "references.md"
OUTSIDE = re.compile(
    r'domain\.md|reference/optics\.md|CONTRACT\.md|/work/|\.\./shared|shared/cases|/ "shared"'
)
# "Author 2013", "Author et al. 2013", "Author & Other 2013", "Author, Other & Third 1992".
CITATION = re.compile(
    r"\b([A-Z][a-z]+(?:[- ][A-Z][a-z]+)?)(?: et al\.,?|(?:, [A-Z][a-z]+)* (?:&|and) [A-Z][a-z]+)?"
    r",? \(?((?:19|20)\d\d)\b"
)
NOT_CITATIONS = {"January", "February", "March", "April", "May", "June", "July", "August",
                 "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr",
                 "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Monday", "Tuesday",
                 "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Dermatol",
                 "Center", "Version", "Python"}  # fmt: skip


def _files() -> list[Path]:
    found = [ROOT / "README.md", ROOT / "CHANGES.md"]
    for folder in ("src", "tests", "docs", "benchmarks"):
        found += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".md", ".yaml")]
    return [p for p in found if p.is_file() and "__pycache__" not in p.parts]


def test_nothing_cites_a_file_outside_the_repository() -> None:
    me = Path(__file__).resolve()
    hits = []
    for path in _files():
        if path.resolve() == me:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OUTSIDE.search(line) and not line.lstrip().startswith("# Copied from"):
                hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert hits == [], "\n".join(hits)


def test_every_author_year_citation_in_the_code_is_in_the_references() -> None:
    listed = REFERENCES.read_text(encoding="utf-8")
    missing = set()
    for path in (ROOT / "src").rglob("*.py"):
        for author, year in CITATION.findall(path.read_text(encoding="utf-8")):
            surname = author.split()[-1].split("-")[-1]
            if author in NOT_CITATIONS or surname in NOT_CITATIONS:
                continue
            if surname not in listed or year not in listed:
                missing.add(f"{author} {year} ({path.relative_to(ROOT)})")
    assert sorted(missing) == []


def test_the_check_can_fail() -> None:
    assert OUTSIDE.search("see reference/domain.md") and OUTSIDE.search("/work/shared/x")
    assert OUTSIDE.search('Path(__file__).parents[3] / "shared" / "cases"')
    assert CITATION.findall("(Jacques 2013) and Wang, Jacques & Zheng 1995") == [
        ("Jacques", "2013"),
        ("Wang", "1995"),
    ]
