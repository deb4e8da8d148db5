"""The client report as one self-contained HTML file: :func:`render_report`, :func:`write_report`.

The page has no scripts and no external resources: pictures are embedded as base64 data URIs,
the style sheet is inline, fonts are the reader's own. It prints on A4 and Letter alike
(``@page { size: auto }``): major sections start on a new page, pictures shrink to the page
width, table rows and pictures are never split across pages, text is dark on white.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smpstudio.errors import InputError
from smpstudio.report import course, overview

CSS = """
@page { size: auto; margin: 16mm 14mm 16mm 14mm; }
html { background: #ffffff; }
body {
  margin: 0 auto; max-width: 190mm; padding: 6mm 8mm 10mm;
  color: #1a1a1a; background: #ffffff;
  font-family: "Segoe UI", "Helvetica Neue", Helvetica, Arial, sans-serif;
  font-size: 11pt; line-height: 1.45;
}
h1 { font-size: 24pt; line-height: 1.15; margin: 0 0 3mm; color: #222222; }
h2 {
  font-size: 16pt; margin: 9mm 0 3mm; padding-bottom: 1mm; color: #222222;
  border-bottom: 0.6mm solid #7a5c45; break-after: avoid; page-break-after: avoid;
}
h3 { font-size: 12.5pt; margin: 6mm 0 2mm; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 2.5mm; }
.kicker { text-transform: uppercase; letter-spacing: 0.12em; font-size: 9pt; color: #5a4434;
  margin: 0; }
.meta { margin: 0 0 1mm; }
.notice {
  border: 0.4mm solid #7a5c45; border-left: 2.2mm solid #7a5c45; padding: 3mm 4mm;
  margin: 4mm 0; font-weight: 600; break-inside: avoid; page-break-inside: avoid;
}
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 10pt; }
th, td { text-align: left; vertical-align: top; padding: 1.6mm 2mm;
  border-bottom: 0.3mm solid #b9b2aa; overflow-wrap: break-word; }
thead th { border-bottom: 0.5mm solid #555555; }
thead { display: table-header-group; }
tr, figure, .notice, .swatches, .group { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { border-top: 0.5mm solid #555555; border-bottom: none; }
table.facts th { width: 30%; font-weight: 600; }
.pics { margin: 2mm 0 4mm; }
.pics .row { break-inside: avoid; page-break-inside: avoid; margin-bottom: 2mm; }
.pics .cell { display: inline-block; vertical-align: top; text-align: center;
  box-sizing: border-box; padding: 0 1mm; }
.pics .head { font-weight: 600; }
.cols-1 .cell { width: 100%; }
.cols-2 .cell { width: 49.5%; }
.cols-3 .cell { width: 33%; }
.date { white-space: nowrap; }
table.sessions td.notes { width: 24%; }
table.sessions td.what { width: 30%; }
table.swatches { width: auto; }
table.swatches td { border: none; text-align: center; font-size: 9pt; padding: 1mm 4mm 1mm 0; }
figure { margin: 0; }
img { display: block; margin: 0 auto; max-width: 100%; max-height: 85mm; width: auto;
  height: auto; }
figcaption { font-size: 9pt; color: #333333; margin-top: 1mm; }
.placeholder { border: 0.4mm dashed #8c8c8c; padding: 10mm 3mm; color: #444444;
  font-size: 9.5pt; }
.swatch { vertical-align: middle; }
.hex { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8.5pt; }
.small { font-size: 9pt; color: #333333; }
ul.tight { margin: 1mm 0 0; padding-left: 4mm; }
ol.timeline li { margin-bottom: 2mm; }
footer { margin-top: 8mm; padding-top: 2mm; border-top: 0.3mm solid #b9b2aa;
  font-size: 8.5pt; color: #444444; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section.new-page { break-before: page; page-break-before: always; }
  section.new-page > h2 { margin-top: 0; }
}
@media screen and (max-width: 140mm) {
  body { padding: 3mm; }
  .pics .cell { display: block; width: auto; }
  .pics .row.head { display: none; }
}
"""


def render_report(plan: Mapping[str, Any], images: Mapping[str, bytes]) -> bytes:
    """The client's report.html for a plan, as UTF-8 bytes.

    Parameters
    ----------
    plan
        The plan.json content (docs/interface.md section 4: ``schema_version, seed, inputs, head,
        regions, loss, hairline, dots, sessions, aftercare, touch_ups, appearance, quote,
        warnings`` and the course's ``fading``; an optional ``plan_date`` (ISO date) is shown
        as the date the plan was made). Missing or unreadable values show as "not available".
    images
        Output path to PNG bytes: ``"views/{top,front,left,right,back}-{before,fresh,healed,
        faded}.png"``, ``"closeups/hairline-healed.png"``, ``"closeups/crown-healed.png"``,
        ``"design.png"``. Missing (or non-PNG) pictures become a "not rendered" note.

    Returns
    -------
    bytes
        A self-contained HTML5 page (no scripts, no external resources). The same plan and
        images give the same bytes.

    Raises
    ------
    InputError
        When ``plan`` is not a mapping or ``images`` is not a mapping.
    """
    if not isinstance(plan, Mapping):
        raise InputError("plan", type(plan).__name__, "a mapping (the plan.json content)")
    if not isinstance(images, Mapping):
        raise InputError("images", type(images).__name__, "a mapping of output path to PNG bytes")
    parts = [
        overview.title_block(plan),
        overview.summary_section(plan),
        overview.before_after_section(images),
        overview.design_section(plan, images),
        course.sessions_section(plan),
        course.aftercare_section(plan),
        course.healing_section(plan, images),
        course.touch_ups_section(plan),
        course.quote_section(plan),
        course.know_section(plan),
    ]
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        "<title>Your SMP treatment plan</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(parts)
        + "\n</main>\n"
        + course.footer(plan)
        + "\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def write_report(path: str | Path, plan: Mapping[str, Any], images: Mapping[str, bytes]) -> Path:
    """Render the report and write it to ``path`` (e.g. ``OUT/report.html``).

    The caller (the output-folder writer) decides where; this writes one file and returns its
    path. See :func:`render_report` for the arguments.
    """
    target = Path(path)
    target.write_bytes(render_report(plan, images))
    return target


SECTION_HEADINGS: tuple[str, ...] = (*overview.HEADINGS.values(), *course.HEADINGS.values())
