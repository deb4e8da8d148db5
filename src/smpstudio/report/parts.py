"""HTML building blocks of the report: sections, notices, tables and embedded pictures.

Pictures are embedded as ``data:image/png;base64`` URIs so that the report is one file that
opens offline. A picture that is missing or is not a PNG becomes a polite placeholder.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping, Sequence

from smpstudio.report.words import DISCLAIMER

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"  # ISO/IEC 15948 (PNG), section 5.2


def png_data_uri(data: object) -> str | None:
    """``data:image/png;base64,...`` for PNG bytes; None for anything else."""
    if not isinstance(data, bytes | bytearray | memoryview):
        return None
    raw = bytes(data)
    if not raw.startswith(PNG_SIGNATURE):
        return None
    return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")


def figure(images: Mapping[str, bytes], key: str, caption: str, alt: str) -> str:
    """One picture with its caption, or a placeholder saying it was not rendered.

    ``caption`` and ``alt`` are trusted report text (already escaped where they hold plan
    values); ``key`` is an output path such as ``"views/front-healed.png"``.
    """
    uri = png_data_uri(images.get(key))
    if uri is None:
        return (
            '<figure class="pic missing"><div class="placeholder">'
            "Sorry, this picture was not rendered for your plan. "
            "Your practitioner can show you the design in the studio.</div>"
            f"<figcaption>{caption}</figcaption></figure>"
        )
    return (
        f'<figure class="pic"><img src="{uri}" alt="{alt}"/>'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def picture_grid(rows: Sequence[Sequence[str]], headers: Sequence[str] | None = None) -> str:
    """Figures in rows of inline blocks; a row is never split across printed pages.

    Blocks rather than a table or CSS grid: old print engines (wkhtmltopdf's WebKit) split
    table rows across pages and do not know CSS grid, but keep a block with
    ``page-break-inside: avoid`` whole.
    """
    columns = max((len(r) for r in rows), default=1)
    cls = f"pics cols-{columns}"
    out = [f'<div class="{cls}">']
    if headers:
        cells = "".join(f'<div class="cell head">{h}</div>' for h in headers)
        out.append(f'<div class="row head">{cells}</div>')
    for row in rows:
        out.append(
            '<div class="row">' + "".join(f'<div class="cell">{c}</div>' for c in row) + "</div>"
        )
    out.append("</div>")
    return "".join(out)


def notice(text: str = DISCLAIMER, *, kind: str = "disclaimer") -> str:
    """A boxed statement; by default the illustrative-preview disclaimer."""
    return f'<p class="notice {kind}">{text}</p>'


def section(section_id: str, heading: str, body: Iterable[str], *, new_page: bool) -> str:
    """A report section with its heading; ``new_page`` starts it on a new printed page."""
    cls = "major new-page" if new_page else "major"
    inner = "\n".join(body)
    return f'<section class="{cls}" id="{section_id}">\n<h2>{heading}</h2>\n{inner}\n</section>'


def data_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numeric: Sequence[int] = (),
    footer: Sequence[str] | None = None,
    cls: str = "data",
    column_classes: Mapping[int, str] | None = None,
) -> str:
    """A table with a repeating header; columns in ``numeric`` are right-aligned.

    ``column_classes`` adds a CSS class to every cell of a column (e.g. ``{1: "date"}``).
    """
    num = set(numeric)
    extra = dict(column_classes or {})

    def cell(tag: str, i: int, text: str) -> str:
        names = " ".join(n for n in ("num" if i in num else "", extra.get(i, "")) if n)
        attr = f' class="{names}"' if names else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{attr}{scope}>{text}</{tag}>"

    out = [f'<table class="{cls}"><thead><tr>']
    out.extend(cell("th", i, h) for i, h in enumerate(headers))
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>")
    if footer is not None:  # in the body: a tfoot would repeat on every printed page
        out.append(
            '<tr class="total">' + "".join(cell("td", i, c) for i, c in enumerate(footer)) + "</tr>"
        )
    out.append("</tbody></table>")
    return "".join(out)


def facts(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column list of labelled facts (label, value), both trusted HTML."""
    out = ['<table class="facts"><tbody>']
    for label, value in rows:
        out.append(f'<tr><th scope="row">{label}</th><td>{value}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)
